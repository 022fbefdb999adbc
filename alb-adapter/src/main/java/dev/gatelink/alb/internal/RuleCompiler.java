package dev.gatelink.alb.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a listener's rules against the limits and character sets of the Elastic Load Balancing documentation
 * and compiles them. Every error is an {@link IllegalArgumentException} whose message starts with the rule's
 * {@link ListenerRule#label() label} and quotes the offending value.
 */
final class RuleCompiler {
  static final int MIN_PRIORITY = 1;
  static final int MAX_PRIORITY = 50000;
  static final int MAX_VALUES_PER_CONDITION = 3;
  static final int MAX_VALUES_PER_RULE = 5;
  static final int MAX_WILDCARDS_PER_RULE = 5;
  static final int MAX_VALUE_LENGTH = 128;
  static final int MAX_NAME_LENGTH = 40;
  static final int MAX_TARGET_GROUPS = 5;
  static final int MAX_WEIGHT = 999;
  static final int MAX_STICKINESS_SECONDS = 604800;
  static final int MAX_MESSAGE_BODY = 1024;
  static final List<String> CONTENT_TYPES =
      List.of("text/plain", "text/css", "text/html", "application/javascript", "application/json");

  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String PATH_CHARS = ALNUM + "_-.$/~\"'@:+&*?";
  private static final String HOST_CHARS = ALNUM + "-_.*?";
  private static final String HEADER_NAME_CHARS = ALNUM + "!#$%&'*+-.^_`|~";
  private static final String HEADER_VALUE_CHARS = ALNUM + " !\"#$%&'()+,./:;<=>@[]^_`{|}~-*?";
  private static final String METHOD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  private static final String QUERY_CHARS = ALNUM + "_-.$/~\"'@:+&()!,;=*?";
  private static final String REDIRECT_HOST_CHARS = ALNUM + "-.*?";

  private static final String PATH_ALLOWED = "A-Z, a-z, 0-9, _ - . $ / ~ \" ' @ : + & and the wildcards * and ?";
  private static final String HOST_ALLOWED = "A-Z, a-z, 0-9, - _ . and the wildcards * and ?";
  private static final String HEADER_NAME_ALLOWED = "A-Z, a-z, 0-9 and ! # $ % & ' * + - . ^ _ ` | ~ (a token)";
  private static final String HEADER_VALUE_ALLOWED = "A-Z, a-z, 0-9, space, ! \" # $ % & ' ( ) + , . / : ; < = > @ [ ]"
      + " ^ _ ` { | } ~ - and the wildcards * and ?";
  private static final String METHOD_ALLOWED = "A-Z, - and _ (methods are case-sensitive)";
  private static final String QUERY_ALLOWED = "A-Z, a-z, 0-9, _ - . $ / ~ \" ' @ : + & ( ) ! , ; = and the wildcards"
      + " * and ? (\\* and \\? for the characters themselves)";
  private static final String REDIRECT_HOST_ALLOWED = "A-Z, a-z, 0-9, - . * ? and the keyword #{host}";
  private static final String REDIRECT_PATH_ALLOWED =
      "A-Z, a-z, 0-9, _ - . $ / ~ \" ' @ : + & * ? and the keywords #{host}, #{path} and #{port}";
  private static final String REDIRECT_QUERY_ALLOWED = "visible ASCII characters other than # and the keywords";
  private static final String KEYWORDS = "#{protocol}, #{host}, #{port}, #{path} and #{query}";
  private static final String FIELDS = "host-header, http-request-method, path-pattern and source-ip";

  private RuleCompiler() {}

  static CompiledRules compile(List<ListenerRule> rules) {
    ListenerRule defaultRule = null;
    Map<Integer, ListenerRule> byPriority = new HashMap<>();
    List<ListenerRule> ordered = new ArrayList<>();
    for (ListenerRule rule : rules) {
      if (rule.isDefault()) {
        if (defaultRule != null) {
          throw new IllegalArgumentException(rule.label() + ": the listener already has a default rule ("
              + defaultRule.label() + "); a listener has exactly one");
        }
        if (!rule.conditions().isEmpty()) {
          throw new IllegalArgumentException(rule.label() + ": the default rule can't have conditions; found "
              + rule.conditions().size());
        }
        defaultRule = rule;
        continue;
      }
      if (rule.priority() < MIN_PRIORITY || rule.priority() > MAX_PRIORITY) {
        throw new IllegalArgumentException(rule.label() + ": priority " + rule.priority()
            + " is out of range; expected " + MIN_PRIORITY + " to " + MAX_PRIORITY);
      }
      ListenerRule other = byPriority.putIfAbsent(rule.priority(), rule);
      if (other != null) {
        throw new IllegalArgumentException(rule.label() + ": priority " + rule.priority() + " is also the priority of "
            + other.label() + "; priorities are unique within a listener");
      }
      if (rule.conditions().isEmpty()) {
        throw new IllegalArgumentException(rule.label() + ": a rule needs at least one condition; only the default"
            + " rule has none");
      }
      ordered.add(rule);
    }
    if (defaultRule == null) {
      throw new IllegalArgumentException("the listener has no default rule; exactly one rule must be the default"
          + " rule");
    }
    ordered.sort(Comparator.comparingInt(ListenerRule::priority));
    ordered.add(defaultRule);
    ConditionMatcher[][] conditions = new ConditionMatcher[ordered.size()][];
    RuleAction[] actions = new RuleAction[ordered.size()];
    for (int i = 0; i < ordered.size(); i++) {
      ListenerRule rule = ordered.get(i);
      conditions[i] = conditions(rule);
      actions[i] = action(rule);
    }
    return new CompiledRules(ordered, conditions, actions);
  }

  // ---------------------------------------------------------------------------------------------
  // Conditions
  // ---------------------------------------------------------------------------------------------

  private static ConditionMatcher[] conditions(ListenerRule rule) {
    String label = rule.label();
    Set<String> once = new HashSet<>();
    int values = 0;
    int wildcards = 0;
    List<ConditionMatcher> matchers = new ArrayList<>();
    for (RuleCondition condition : rule.conditions()) {
      String field = condition.field();
      boolean single = !(condition instanceof RuleCondition.HttpHeader || condition instanceof RuleCondition.QueryString);
      if (single && !once.add(field)) {
        throw new IllegalArgumentException(label + ": more than one " + field + " condition; a rule can have at most"
            + " one each of " + FIELDS);
      }
      int count = condition.valueCount();
      if (count == 0) {
        throw new IllegalArgumentException(label + ": " + field + " condition has no values; a condition needs at"
            + " least one");
      }
      if (count > MAX_VALUES_PER_CONDITION) {
        throw new IllegalArgumentException(label + ": " + field + " condition has " + count + " values; a condition"
            + " can have at most " + MAX_VALUES_PER_CONDITION);
      }
      values += count;
      ConditionMatcher matcher;
      if (condition instanceof RuleCondition.PathPattern path) {
        WildcardPattern[] patterns = patterns(label, field, "value", path.values(), PATH_CHARS, PATH_ALLOWED, false,
            false);
        wildcards += wildcards(patterns);
        matcher = new ConditionMatcher.Path(patterns);
      } else if (condition instanceof RuleCondition.HostHeader host) {
        WildcardPattern[] patterns = patterns(label, field, "value", host.values(), HOST_CHARS, HOST_ALLOWED, true,
            false);
        for (String value : host.values()) {
          checkHostName(label, value);
        }
        wildcards += wildcards(patterns);
        matcher = new ConditionMatcher.Host(patterns);
      } else if (condition instanceof RuleCondition.HttpHeader header) {
        String name = header.name();
        checkText(label, field, "name", name, MAX_NAME_LENGTH, HEADER_NAME_CHARS, HEADER_NAME_ALLOWED, false);
        if (name.equalsIgnoreCase("host")) {
          throw new IllegalArgumentException(label + ": http-header name '" + name + "' is not allowed; use a"
              + " host-header condition for the Host header");
        }
        WildcardPattern[] patterns = patterns(label, field, "value", header.values(), HEADER_VALUE_CHARS,
            HEADER_VALUE_ALLOWED, true, false);
        wildcards += wildcards(patterns);
        matcher = new ConditionMatcher.Header(name, patterns);
      } else if (condition instanceof RuleCondition.HttpRequestMethod method) {
        for (String value : method.values()) {
          checkText(label, field, "value", value, MAX_NAME_LENGTH, METHOD_CHARS, METHOD_ALLOWED, false);
        }
        matcher = new ConditionMatcher.Method(method.values().toArray(new String[0]));
      } else if (condition instanceof RuleCondition.QueryString query) {
        List<RuleCondition.KeyValue> pairs = query.values();
        WildcardPattern[] keys = new WildcardPattern[pairs.size()];
        WildcardPattern[] patterns = new WildcardPattern[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
          RuleCondition.KeyValue pair = pairs.get(i);
          if (pair.key() != null) {
            keys[i] = pattern(label, field, "key", pair.key(), QUERY_CHARS, QUERY_ALLOWED, true, true);
            wildcards += keys[i].wildcards();
          }
          patterns[i] = pattern(label, field, "value", pair.value(), QUERY_CHARS, QUERY_ALLOWED, true, true);
          wildcards += patterns[i].wildcards();
        }
        matcher = new ConditionMatcher.Query(keys, patterns);
      } else if (condition instanceof RuleCondition.SourceIp sourceIp) {
        IpBlock[] blocks = new IpBlock[sourceIp.values().size()];
        for (int i = 0; i < blocks.length; i++) {
          blocks[i] = ipBlock(label, sourceIp.values().get(i));
        }
        matcher = new ConditionMatcher.SourceIp(blocks);
      } else {
        throw new AssertionError(condition);
      }
      matchers.add(matcher);
    }
    if (values > MAX_VALUES_PER_RULE) {
      throw new IllegalArgumentException(label + ": the conditions have " + values + " values in all; a rule can"
          + " have at most " + MAX_VALUES_PER_RULE);
    }
    if (wildcards > MAX_WILDCARDS_PER_RULE) {
      throw new IllegalArgumentException(label + ": the conditions have " + wildcards + " wildcards in all; a rule"
          + " can have at most " + MAX_WILDCARDS_PER_RULE);
    }
    matchers.sort(Comparator.comparingInt(matcher -> matcher.kind));
    return matchers.toArray(new ConditionMatcher[0]);
  }

  private static WildcardPattern[] patterns(String label, String field, String what, List<String> values,
      String allowed, String allowedText, boolean caseInsensitive, boolean escapes) {
    WildcardPattern[] patterns = new WildcardPattern[values.size()];
    for (int i = 0; i < patterns.length; i++) {
      patterns[i] = pattern(label, field, what, values.get(i), allowed, allowedText, caseInsensitive, escapes);
    }
    return patterns;
  }

  private static WildcardPattern pattern(String label, String field, String what, String value, String allowed,
      String allowedText, boolean caseInsensitive, boolean escapes) {
    checkText(label, field, what, value, MAX_VALUE_LENGTH, allowed, allowedText, escapes);
    return WildcardPattern.compile(value, caseInsensitive, escapes);
  }

  private static int wildcards(WildcardPattern[] patterns) {
    int n = 0;
    for (WildcardPattern pattern : patterns) {
      n += pattern.wildcards();
    }
    return n;
  }

  /** Length and characters; with {@code escapes}, a backslash must escape a wildcard. */
  private static void checkText(String label, String field, String what, String value, int maxLength,
      String allowed, String allowedText, boolean escapes) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(label + ": " + field + " " + what + " is empty; a condition " + what
          + " can't be empty");
    }
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(label + ": " + field + " " + what + " '" + value + "' is " + value.length()
          + " characters long; the maximum is " + maxLength);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (escapes && c == '\\') {
        if (i + 1 < value.length() && (value.charAt(i + 1) == '*' || value.charAt(i + 1) == '?')) {
          i++;
          continue;
        }
        throw new IllegalArgumentException(label + ": " + field + " " + what + " '" + value + "' has '\\' at index "
            + i + " not followed by '*' or '?'; a backslash only escapes a wildcard");
      }
      if (allowed.indexOf(c) < 0) {
        throw new IllegalArgumentException(label + ": " + field + " " + what + " '" + value + "' contains "
            + describe(c) + " at index " + i + "; allowed are " + allowedText);
      }
    }
  }

  /** At least one {@code .}, and only letters after the last one. */
  private static void checkHostName(String label, String value) {
    int dot = value.lastIndexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException(label + ": host-header value '" + value + "' has no '.'; a host name needs"
          + " at least one");
    }
    for (int i = dot + 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        throw new IllegalArgumentException(label + ": host-header value '" + value + "' has " + describe(c)
            + " after its last '.'; only letters may follow the last '.'");
      }
    }
  }

  private static IpBlock ipBlock(String label, String value) {
    String notCidr = label + ": source-ip value '" + value + "' is not a CIDR block; expected an IPv4 or IPv6"
        + " address, '/' and a prefix length, such as 192.0.2.0/24 or 2001:db8::/32";
    int slash = value.indexOf('/');
    if (slash < 0 || slash == value.length() - 1 || value.length() - slash - 1 > 3) {
      throw new IllegalArgumentException(notCidr);
    }
    int prefix = 0;
    for (int i = slash + 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(notCidr);
      }
      prefix = prefix * 10 + (c - '0');
    }
    long v4 = IpAddresses.ipv4(value, 0, slash);
    if (v4 >= 0) {
      if (prefix > 32) {
        throw new IllegalArgumentException(label + ": source-ip value '" + value + "' has prefix length " + prefix
            + "; an IPv4 block's is 0 to 32");
      }
      return IpBlock.ipv4(v4, prefix);
    }
    if (!IpAddresses.isIpv6(value, 0, slash)) {
      throw new IllegalArgumentException(notCidr);
    }
    if (prefix > 128) {
      throw new IllegalArgumentException(label + ": source-ip value '" + value + "' has prefix length " + prefix
          + "; an IPv6 block's is 0 to 128");
    }
    return IpBlock.ipv6(IpAddresses.ipv6High(value, 0, slash), IpAddresses.ipv6Low(value, 0, slash), prefix);
  }

  // ---------------------------------------------------------------------------------------------
  // Actions
  // ---------------------------------------------------------------------------------------------

  private static RuleAction action(ListenerRule rule) {
    ActionConfig action = rule.action();
    if (action instanceof ForwardConfig forward) {
      return forward(rule.label(), forward);
    }
    if (action instanceof FixedResponseConfig fixed) {
      return fixedResponse(rule.label(), fixed);
    }
    return redirect(rule.label(), (RedirectConfig) action);
  }

  private static Forward forward(String label, ForwardConfig forward) {
    List<WeightedTargetGroup> groups = forward.targetGroups();
    if (groups.isEmpty()) {
      throw new IllegalArgumentException(label + ": forward action has no target group");
    }
    if (groups.size() > MAX_TARGET_GROUPS) {
      throw new IllegalArgumentException(label + ": forward action has " + groups.size() + " target groups; an"
          + " action can have at most " + MAX_TARGET_GROUPS);
    }
    Set<String> arns = new HashSet<>();
    for (WeightedTargetGroup group : groups) {
      if (group.targetGroupArn().isEmpty()) {
        throw new IllegalArgumentException(label + ": forward action has a target group without an ARN");
      }
      if (!arns.add(group.targetGroupArn())) {
        throw new IllegalArgumentException(label + ": forward action names target group '" + group.targetGroupArn()
            + "' twice");
      }
      if (group.weight() < 0 || group.weight() > MAX_WEIGHT) {
        throw new IllegalArgumentException(label + ": forward action gives target group '" + group.targetGroupArn()
            + "' weight " + group.weight() + "; a weight is 0 to " + MAX_WEIGHT);
      }
    }
    TargetGroupStickiness stickiness = forward.stickiness();
    Integer duration = stickiness == null ? null : stickiness.durationSeconds();
    if (stickiness != null && stickiness.enabled() && duration == null) {
      throw new IllegalArgumentException(label + ": forward action enables stickiness without a duration; expected"
          + " 1 to " + MAX_STICKINESS_SECONDS + " seconds");
    }
    if (duration != null && (duration < 1 || duration > MAX_STICKINESS_SECONDS)) {
      throw new IllegalArgumentException(label + ": forward action's stickiness duration " + duration
          + " is out of range; expected 1 to " + MAX_STICKINESS_SECONDS + " seconds");
    }
    return new Forward(groups, stickiness);
  }

  private static FixedResponse fixedResponse(String label, FixedResponseConfig fixed) {
    String status = fixed.statusCode();
    if (status.length() != 3 || "245".indexOf(status.charAt(0)) < 0 || !isDigit(status.charAt(1))
        || !isDigit(status.charAt(2))) {
      throw new IllegalArgumentException(label + ": fixed-response status code '" + status + "' is not valid;"
          + " expected 2XX, 4XX or 5XX, such as 200, 404 or 503");
    }
    String contentType = fixed.contentType();
    if (contentType != null && !CONTENT_TYPES.contains(contentType)) {
      throw new IllegalArgumentException(label + ": fixed-response content type '" + contentType + "' is not"
          + " valid; expected one of " + String.join(", ", CONTENT_TYPES));
    }
    String body = fixed.messageBody();
    if (body != null && body.length() > MAX_MESSAGE_BODY) {
      throw new IllegalArgumentException(label + ": fixed-response message body is " + body.length()
          + " characters long; the maximum is " + MAX_MESSAGE_BODY);
    }
    return new FixedResponse(Integer.parseInt(status), contentType, body);
  }

  private static Redirect redirect(String label, RedirectConfig redirect) {
    int status;
    switch (redirect.statusCode()) {
      case "HTTP_301":
        status = 301;
        break;
      case "HTTP_302":
        status = 302;
        break;
      default:
        throw new IllegalArgumentException(label + ": redirect status code '" + redirect.statusCode() + "' is not"
            + " valid; expected HTTP_301 or HTTP_302");
    }
    String protocolText = redirect.protocol();
    Redirect.Protocol protocol;
    if (protocolText == null || protocolText.equals("#{protocol}")) {
      protocol = Redirect.Protocol.KEEP;
    } else if (protocolText.equals("HTTP")) {
      protocol = Redirect.Protocol.HTTP;
    } else if (protocolText.equals("HTTPS")) {
      protocol = Redirect.Protocol.HTTPS;
    } else {
      throw new IllegalArgumentException(label + ": redirect protocol '" + protocolText + "' is not valid; expected"
          + " HTTP, HTTPS or #{protocol}");
    }
    String portText = redirect.port();
    int port = -1;
    if (portText != null && !portText.equals("#{port}")) {
      port = portNumber(portText);
      if (port < 1) {
        throw new IllegalArgumentException(label + ": redirect port '" + portText + "' is not valid; expected 1 to"
            + " 65535 or #{port}");
      }
    }
    String host = redirect.host() == null ? "#{host}" : redirect.host();
    String path = redirect.path() == null ? "/#{path}" : redirect.path();
    String query = redirect.query() == null ? "#{query}" : redirect.query();
    checkComponent(label, "host", host, 1, REDIRECT_HOST_CHARS, REDIRECT_HOST_ALLOWED,
        EnumSet.of(Redirect.Keyword.HOST), "a host can use only #{host}");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(label + ": redirect path '" + path + "' must start with '/'");
    }
    checkComponent(label, "path", path, 1, PATH_CHARS, REDIRECT_PATH_ALLOWED,
        EnumSet.of(Redirect.Keyword.HOST, Redirect.Keyword.PATH, Redirect.Keyword.PORT),
        "a path can use only #{host}, #{path} and #{port}");
    if (query.startsWith("?")) {
      throw new IllegalArgumentException(label + ": redirect query '" + query + "' starts with '?'; write the query"
          + " without it, the '?' is added");
    }
    checkComponent(label, "query", query, 0, null, REDIRECT_QUERY_ALLOWED, EnumSet.allOf(Redirect.Keyword.class), "");
    if (protocol == Redirect.Protocol.KEEP && host.equals("#{host}") && port < 0 && path.equals("/#{path}")) {
      throw new IllegalArgumentException(label + ": redirect keeps protocol, host, port and path as they are, a"
          + " redirect loop; change at least one of them");
    }
    return new Redirect(redirect, status, protocol, port, Redirect.template(host), Redirect.template(path),
        Redirect.template(query));
  }

  /** The port 1 to 65535 written in decimal without a sign or leading zeros, or -1. */
  private static int portNumber(String text) {
    if (text.isEmpty() || text.length() > 5 || text.charAt(0) == '0') {
      return -1;
    }
    int port = 0;
    for (int i = 0; i < text.length(); i++) {
      if (!isDigit(text.charAt(i))) {
        return -1;
      }
      port = port * 10 + (text.charAt(i) - '0');
    }
    return port <= 65535 ? port : -1;
  }

  /**
   * Length, characters outside keywords ({@code allowed} null: visible ASCII but {@code #}) and keywords.
   */
  private static void checkComponent(String label, String component, String value, int minLength,
      @Nullable String allowed, String allowedText, Set<Redirect.Keyword> keywords, String keywordRule) {
    if (value.length() < minLength || value.length() > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException(label + ": redirect " + component + " '" + value + "' is " + value.length()
          + " characters long; expected " + minLength + " to " + MAX_VALUE_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '#' && i + 1 < value.length() && value.charAt(i + 1) == '{' && value.indexOf('}', i) > 0) {
        int close = value.indexOf('}', i);
        String name = value.substring(i, close + 1);
        Redirect.Keyword keyword = null;
        for (Redirect.Keyword candidate : Redirect.Keyword.values()) {
          if (candidate.text.equals(name)) {
            keyword = candidate;
          }
        }
        if (keyword == null) {
          throw new IllegalArgumentException(label + ": redirect " + component + " '" + value + "' has an unknown"
              + " keyword '" + name + "'; the keywords are " + KEYWORDS);
        }
        if (!keywords.contains(keyword)) {
          throw new IllegalArgumentException(label + ": redirect " + component + " '" + value + "' can't use "
              + keyword.text + "; " + keywordRule);
        }
        i = close;
        continue;
      }
      boolean ok = allowed == null ? c > 0x20 && c < 0x7F && c != '#' : allowed.indexOf(c) >= 0;
      if (!ok) {
        throw new IllegalArgumentException(label + ": redirect " + component + " '" + value + "' contains "
            + describe(c) + " at index " + i + "; allowed are " + allowedText);
      }
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A character for a message: {@code 'c'} when visible ASCII, else {@code U+XXXX}. */
  static String describe(char c) {
    return c > 0x20 && c < 0x7F ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
  }
}
