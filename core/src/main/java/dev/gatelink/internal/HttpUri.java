package dev.gatelink.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import dev.gatelink.config.InvalidConfigException;

/**
 * An {@code http(s)://} integration uri with its stage variables substituted, split into what forwarding
 * needs: the scheme, the host and port to reach, the Host header, the path template and the query.
 *
 * @param https true for {@code https://}
 * @param host the host, without brackets for IPv6
 * @param port the port, from the uri or the scheme's default
 * @param authority the Host header value: host and port as written in the uri
 * @param path the path template (may hold {@code {name}} placeholders), empty when the uri has none
 * @param query the query (without {@code ?}), or null
 */
public record HttpUri(boolean https, String host, int port, String authority, String path, @Nullable String query) {

  public static HttpUri parse(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    boolean https = lower.startsWith("https://");
    int authorityStart = https ? 8 : 7;
    int authorityEnd = authorityStart;
    while (authorityEnd < uri.length() && uri.charAt(authorityEnd) != '/' && uri.charAt(authorityEnd) != '?') {
      authorityEnd++;
    }
    String authority = uri.substring(authorityStart, authorityEnd);
    if (authority.indexOf('@') >= 0) {
      throw new InvalidConfigException("uri '" + uri + "' has user information: expected http(s)://HOST[:PORT]/PATH");
    }
    String host;
    int port = https ? 443 : 80;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new InvalidConfigException("uri '" + uri + "' has an unclosed IPv6 address: expected [ADDRESS]");
      }
      host = authority.substring(1, close);
      if (host.indexOf(':') < 0 || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        throw new InvalidConfigException("uri '" + uri + "' has IPv6 address '" + host
            + "': expected hexadecimal groups separated by colons, such as [::1]");
      }
      if (close + 1 < authority.length()) {
        if (authority.charAt(close + 1) != ':') {
          throw new InvalidConfigException("uri '" + uri + "' has text after the IPv6 address: expected [ADDRESS]:PORT");
        }
        portText = authority.substring(close + 2);
      }
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
      boolean numeric = !host.isEmpty() && host.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.');
      if (numeric ? !isIpv4(host) : !HostNames.isDnsName(host)) {
        throw new InvalidConfigException("uri '" + uri + "' has host '" + host + "': expected a host name or an IP address");
      }
    }
    if (host.isEmpty()) {
      throw new InvalidConfigException("uri '" + uri + "' has no host: expected http(s)://HOST[:PORT]/PATH");
    }
    if (portText != null) {
      port = parsePort(uri, portText);
    }
    int queryStart = uri.indexOf('?', authorityEnd);
    String path = uri.substring(authorityEnd, queryStart < 0 ? uri.length() : queryStart);
    String query = queryStart < 0 ? null : uri.substring(queryStart + 1);
    return new HttpUri(https, host, port, authority, path, query);
  }

  private static int parsePort(String uri, String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidConfigException("uri '" + uri + "' has port '" + text + "': expected 1 to 65535");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65_535) {
      throw new InvalidConfigException("uri '" + uri + "' has port '" + text + "': expected 1 to 65535");
    }
    return port;
  }

  private static boolean isIpv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
