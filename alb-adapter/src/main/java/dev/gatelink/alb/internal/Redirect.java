package dev.gatelink.alb.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code redirect} action: the load balancer answers 301 or 302 with a {@code Location} made from the
 * request's URL, {@code protocol://host:port/path?query}, where every component the rule leaves out keeps its
 * original value and the keywords {@code #{protocol}}, {@code #{host}}, {@code #{port}}, {@code #{path}} (without
 * its leading {@code /}) and {@code #{query}} stand for the original values.
 */
public final class Redirect implements RuleAction {

  /** The keywords, with the components they may appear in checked when the rules are compiled. */
  enum Keyword {
    PROTOCOL("#{protocol}"),
    HOST("#{host}"),
    PORT("#{port}"),
    PATH("#{path}"),
    QUERY("#{query}");

    final String text;

    Keyword(String text) {
      this.text = text;
    }
  }

  /** The protocol of the {@code Location}. */
  enum Protocol {
    /** {@code #{protocol}}: the request's. */
    KEEP,
    HTTP,
    HTTPS
  }

  private final RedirectConfig config;
  private final int statusCode;
  private final Protocol protocol;
  /** The port, or -1 for {@code #{port}}. */
  private final int port;
  private final Object[] host;
  private final Object[] path;
  private final Object[] query;

  Redirect(RedirectConfig config, int statusCode, Protocol protocol, int port, Object[] host, Object[] path,
      Object[] query) {
    this.config = config;
    this.statusCode = statusCode;
    this.protocol = protocol;
    this.port = port;
    this.host = host;
    this.path = path;
    this.query = query;
  }

  /**
   * Splits a component into literal text ({@code String}) and keywords ({@link Keyword}). The caller has
   * checked that every {@code #{...}} is a keyword.
   */
  static Object[] template(String text) {
    List<Object> parts = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int open = text.indexOf("#{", start);
      if (open < 0) {
        parts.add(text.substring(start));
        break;
      }
      if (open > start) {
        parts.add(text.substring(start, open));
      }
      int close = text.indexOf('}', open);
      String name = text.substring(open, close + 1);
      for (Keyword keyword : Keyword.values()) {
        if (keyword.text.equals(name)) {
          parts.add(keyword);
        }
      }
      start = close + 1;
    }
    return parts.toArray();
  }

  /** {@return the status of the answer: 301 (permanent, {@code HTTP_301}) or 302 (temporary, {@code HTTP_302})} */
  public int statusCode() {
    return statusCode;
  }

  /** {@return the action as the rule writes it} */
  public RedirectConfig config() {
    return config;
  }

  /**
   * The {@code Location} of the answer to a request, such as {@code https://example.com:8443/new/a?b=c}.
   *
   * <p>The protocol is written in lower case. The port is left out when it is the protocol's default (80 for
   * http, 443 for https). The {@code ?} is left out when the query comes out empty. Nothing is percent-encoded
   * or decoded: the rule's text and the request's path and query are used as they are.
   *
   * @param request the request the rule matched
   * @return the {@code Location} header's value
   */
  public String location(RuleRequest request) {
    boolean secure = request.secure();
    // Gatelink's choice where the documentation only says that HTTPS can't be redirected to HTTP: a rule with
    // protocol HTTP keeps https for a request that came over HTTPS (AWS refuses such a rule on an HTTPS
    // listener, so this only happens when a request and the listener disagree).
    boolean https = protocol == Protocol.HTTPS || secure;
    int port = this.port >= 0 ? this.port : request.port();
    StringBuilder location = new StringBuilder(64);
    location.append(https ? "https://" : "http://");
    render(host, request, location);
    if (port != (https ? 443 : 80)) {
      location.append(':').append(port);
    }
    render(path, request, location);
    int mark = location.length();
    location.append('?');
    render(query, request, location);
    if (location.length() == mark + 1) {
      location.setLength(mark);
    }
    return location.toString();
  }

  private static void render(Object[] parts, RuleRequest request, StringBuilder out) {
    for (Object part : parts) {
      if (part instanceof String literal) {
        out.append(literal);
        continue;
      }
      switch ((Keyword) part) {
        case PROTOCOL:
          out.append(request.secure() ? "https" : "http");
          break;
        case HOST:
          appendHostName(request.host(), out);
          break;
        case PORT:
          out.append(request.port());
          break;
        case PATH:
          CharSequence path = request.path();
          out.append(path, path.length() > 0 && path.charAt(0) == '/' ? 1 : 0, path.length());
          break;
        case QUERY:
          CharSequence query = request.query();
          if (query != null) {
            out.append(query);
          }
          break;
        default:
          throw new AssertionError(part);
      }
    }
  }

  /**
   * The host name of a {@code Host} header, without its port: up to the first {@code :}, or the whole
   * bracketed IPv6 literal. Nothing when the request has no {@code Host} (Gatelink's choice; the documentation
   * does not say).
   */
  private static void appendHostName(@Nullable CharSequence host, StringBuilder out) {
    if (host == null) {
      return;
    }
    int end = host.length();
    if (end > 0 && host.charAt(0) == '[') {
      for (int i = 0; i < host.length(); i++) {
        if (host.charAt(i) == ']') {
          end = i + 1;
          break;
        }
      }
    } else {
      for (int i = 0; i < host.length(); i++) {
        if (host.charAt(i) == ':') {
          end = i;
          break;
        }
      }
    }
    out.append(host, 0, end);
  }

  @Override
  public String toString() {
    return "redirect " + config;
  }
}
