package dev.gatelink.alb.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A deliberately simple evaluator of listener rules: wildcards become regular expressions, the query string is
 * split with {@link String#split} and decoded into new strings, CIDR blocks are compared as {@link BigInteger}s.
 * It shares no code with the compiled engine and applies the same documented rules and the same choices.
 */
final class ReferenceEvaluator {
  private final List<ListenerRule> rules;

  ReferenceEvaluator(List<ListenerRule> rules) {
    List<ListenerRule> sorted = new ArrayList<>(rules);
    // Priority order, the default rule last.
    sorted.sort(Comparator.comparing((ListenerRule r) -> r.isDefault()).thenComparingInt(ListenerRule::priority));
    this.rules = sorted;
  }

  ListenerRule match(TestRequest request) {
    for (ListenerRule rule : rules) {
      boolean all = true;
      for (RuleCondition condition : rule.conditions()) {
        all &= meets(condition, request);
      }
      if (all) {
        return rule;
      }
    }
    throw new AssertionError("no default rule");
  }

  static boolean meets(RuleCondition condition, TestRequest request) {
    if (condition instanceof RuleCondition.PathPattern path) {
      return path.values().stream().anyMatch(v -> regex(v, false, false).matcher(request.path).matches());
    }
    if (condition instanceof RuleCondition.HostHeader host) {
      if (request.host == null) {
        return false;
      }
      String name = request.host;
      String defaultPort = request.secure ? ":443" : ":80";
      if (name.endsWith(defaultPort)) {
        name = name.substring(0, name.length() - defaultPort.length());
      }
      String hostName = name;
      return host.values().stream().anyMatch(v -> regex(v, true, false).matcher(hostName).matches());
    }
    if (condition instanceof RuleCondition.HttpHeader header) {
      for (Map.Entry<String, String> line : request.headers) {
        if (line.getKey().equalsIgnoreCase(header.name())) {
          for (String value : header.values()) {
            if (regex(value, true, false).matcher(line.getValue()).matches()) {
              return true;
            }
          }
        }
      }
      return false;
    }
    if (condition instanceof RuleCondition.HttpRequestMethod method) {
      return method.values().contains(request.method);
    }
    if (condition instanceof RuleCondition.QueryString query) {
      if (request.query == null) {
        return false;
      }
      for (String parameter : request.query.split("&", -1)) {
        if (parameter.isEmpty()) {
          continue;
        }
        int equals = parameter.indexOf('=');
        String key = decode(equals < 0 ? parameter : parameter.substring(0, equals));
        String value = equals < 0 ? "" : decode(parameter.substring(equals + 1));
        for (RuleCondition.KeyValue pair : query.values()) {
          if ((pair.key() == null || regex(pair.key(), true, true).matcher(key).matches())
              && regex(pair.value(), true, true).matcher(value).matches()) {
            return true;
          }
        }
      }
      return false;
    }
    if (condition instanceof RuleCondition.SourceIp sourceIp) {
      if (request.sourceAddress == null) {
        return false;
      }
      String text = request.sourceAddress;
      if (text.contains("%")) {
        text = text.substring(0, text.indexOf('%'));
      }
      BigInteger[] address = parseAddress(text);
      if (address == null) {
        return false;
      }
      for (String block : sourceIp.values()) {
        String[] parts = block.split("/");
        BigInteger[] network = parseAddress(parts[0]);
        int prefix = Integer.parseInt(parts[1]);
        int bits = network[1].intValue();
        if (bits != address[1].intValue()) {
          continue;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
            .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        if (address[0].and(mask).equals(network[0].and(mask))) {
          return true;
        }
      }
      return false;
    }
    throw new AssertionError(condition);
  }

  /** A wildcard value as a regular expression. */
  static Pattern regex(String value, boolean caseInsensitive, boolean escapes) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (escapes && c == '\\' && i + 1 < value.length()) {
        regex.append(Pattern.quote(String.valueOf(value.charAt(++i))));
      } else if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL | (caseInsensitive ? Pattern.CASE_INSENSITIVE : 0));
  }

  /**
   * Percent-decodes into a new String: runs of escaped bytes are decoded as UTF-8 one sequence at a time, a
   * byte that starts no valid sequence becoming U+FFFD; a '%' without two hex digits stays.
   */
  static String decode(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (!isEscape(text, i)) {
        out.append(text.charAt(i));
        i++;
        continue;
      }
      int lead = Integer.parseInt(text.substring(i + 1, i + 3), 16);
      int length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (int k = 0; k < length && isEscape(text, i + 3 * k); k++) {
        bytes.write(Integer.parseInt(text.substring(i + 3 * k + 1, i + 3 * k + 3), 16));
      }
      String decoded = bytes.size() == length && length > 0 ? strictUtf8(bytes.toByteArray()) : null;
      if (decoded == null) {
        out.append('\uFFFD');
        i += 3;
      } else {
        out.append(decoded);
        i += 3 * length;
      }
    }
    return out.toString();
  }

  private static boolean isEscape(String text, int i) {
    return i + 2 < text.length() && text.charAt(i) == '%' && "0123456789abcdefABCDEF".indexOf(text.charAt(i + 1)) >= 0
        && "0123456789abcdefABCDEF".indexOf(text.charAt(i + 2)) >= 0;
  }

  private static @Nullable String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

  /**
   * {@return the address and its width in bits (32 or 128), or null} An IPv4-mapped IPv6 address is its IPv4
   * address.
   */
  static BigInteger @Nullable [] parseAddress(String text) {
    if (IPV4.matcher(text).matches()) {
      return new BigInteger[] {ipv4(text), BigInteger.valueOf(32)};
    }
    if (!text.contains(":")) {
      return null;
    }
    List<String> groups = new ArrayList<>();
    String[] halves = text.split("::", -1);
    if (halves.length > 2) {
      return null;
    }
    List<String> left = groups(halves[0], halves.length == 1);
    List<String> right = halves.length == 2 ? groups(halves[1], true) : List.of();
    if (left == null || right == null) {
      return null;
    }
    int count = left.size() + right.size();
    if (halves.length == 2 ? count > 7 : count != 8) {
      return null;
    }
    groups.addAll(left);
    for (int k = count; k < 8; k++) {
      groups.add("0");
    }
    groups.addAll(right);
    BigInteger value = BigInteger.ZERO;
    for (String group : groups) {
      value = value.shiftLeft(16).or(new BigInteger(group, 16));
    }
    if (value.shiftRight(32).equals(BigInteger.valueOf(0xFFFF))) {
      return new BigInteger[] {value.and(BigInteger.valueOf(0xFFFFFFFFL)), BigInteger.valueOf(32)};
    }
    return new BigInteger[] {value, BigInteger.valueOf(128)};
  }

  /**
   * Hex groups separated by ':', the last possibly an IPv4 address (two groups) when {@code last} (the text
   * ends the address); null when malformed.
   */
  private static @Nullable List<String> groups(String text, boolean last) {
    List<String> groups = new ArrayList<>();
    if (text.isEmpty()) {
      return groups;
    }
    String[] parts = text.split(":", -1);
    for (int k = 0; k < parts.length; k++) {
      if (last && k == parts.length - 1 && IPV4.matcher(parts[k]).matches()) {
        long v4 = ipv4(parts[k]).longValue();
        groups.add(Long.toHexString(v4 >>> 16));
        groups.add(Long.toHexString(v4 & 0xFFFF));
      } else if (GROUP.matcher(parts[k]).matches()) {
        groups.add(parts[k]);
      } else {
        return null;
      }
    }
    return groups;
  }

  private static BigInteger ipv4(String text) {
    long value = 0;
    for (String part : text.split("\\.")) {
      value = value << 8 | Integer.parseInt(part);
    }
    return BigInteger.valueOf(value);
  }

  /** The Location of a redirect, by string replacement. */
  static String location(RedirectConfig redirect, TestRequest request) {
    String originalProtocol = request.secure ? "https" : "http";
    String originalHost = request.host == null ? "" : request.host.startsWith("[")
        ? request.host.substring(0, request.host.indexOf(']') + 1)
        : request.host.split(":", -1)[0];
    String originalPath = request.path.startsWith("/") ? request.path.substring(1) : request.path;
    String originalQuery = request.query == null ? "" : request.query;
    String protocol = redirect.protocol() == null || redirect.protocol().equals("#{protocol}") ? originalProtocol
        : redirect.protocol().toLowerCase(java.util.Locale.ROOT);
    if (request.secure) {
      protocol = "https";
    }
    String port = redirect.port() == null ? "#{port}" : redirect.port();
    port = port.replace("#{port}", String.valueOf(request.port));
    String host = redirect.host() == null ? "#{host}" : redirect.host();
    String path = redirect.path() == null ? "/#{path}" : redirect.path();
    String query = redirect.query() == null ? "#{query}" : redirect.query();
    String[][] keywords = {{"#{protocol}", originalProtocol}, {"#{host}", originalHost},
        {"#{port}", String.valueOf(request.port)}, {"#{path}", originalPath}, {"#{query}", originalQuery}};
    for (String[] keyword : keywords) {
      host = host.replace(keyword[0], keyword[1]);
      path = path.replace(keyword[0], keyword[1]);
      query = query.replace(keyword[0], keyword[1]);
    }
    boolean defaultPort = protocol.equals("https") ? port.equals("443") : port.equals("80");
    return protocol + "://" + host + (defaultPort ? "" : ":" + port) + path + (query.isEmpty() ? "" : "?" + query);
  }
}
