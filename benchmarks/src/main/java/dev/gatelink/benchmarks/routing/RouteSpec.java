package dev.gatelink.benchmarks.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * One generated route, in the benchmark's own parsed form (independent of gatelink-core): an API Gateway
 * HTTP API route key such as {@code GET /v1/sales/orders/{orderId}} cut into segments.
 */
public final class RouteSpec {

  /** What kind of request path the route takes: all literal, with {@code {var}} segments, or ending greedy. */
  public enum Kind {
    LITERAL,
    VARIABLE,
    GREEDY
  }

  static final byte LIT = 0;
  static final byte VAR = 1;
  static final byte GREEDY = 2;

  /**
   * The order in which API Gateway prefers routes that both match one request: a full match (no greedy
   * variable) before a greedy one; then, segment by segment from the left, literal before {@code {var}}
   * before {@code {greedy+}}; then the request's own method before {@code ANY}.
   */
  public static final Comparator<RouteSpec> PRIORITY = RouteSpec::comparePriority;

  private final String method;
  private final String path;
  private final String key;
  private final String[] segments;
  private final byte[] segmentKinds;
  private final Kind kind;

  RouteSpec(String method, String path) {
    this.method = method;
    this.path = path;
    this.key = method + " " + path;
    String[] parts = path.substring(1).split("/", -1);
    this.segments = new String[parts.length];
    this.segmentKinds = new byte[parts.length];
    boolean variables = false;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.startsWith("{") && part.endsWith("+}")) {
        if (i != parts.length - 1) {
          throw new IllegalArgumentException("greedy variable must be last: " + key);
        }
        segments[i] = part.substring(1, part.length() - 2);
        segmentKinds[i] = GREEDY;
      } else if (part.startsWith("{") && part.endsWith("}")) {
        segments[i] = part.substring(1, part.length() - 1);
        segmentKinds[i] = VAR;
        variables = true;
      } else if (part.isEmpty()) {
        throw new IllegalArgumentException("empty segment: " + key);
      } else {
        segments[i] = part;
        segmentKinds[i] = LIT;
      }
    }
    this.kind = segmentKinds[parts.length - 1] == GREEDY ? Kind.GREEDY
        : variables ? Kind.VARIABLE : Kind.LITERAL;
  }

  /** {@code GET}, {@code POST}, ... or {@code ANY}. */
  public String method() {
    return method;
  }

  /** The route path, e.g. {@code /v1/sales/orders/{orderId}}. */
  public String path() {
    return path;
  }

  /** The route key, e.g. {@code GET /v1/sales/orders/{orderId}}; also the route's value in both routers. */
  public String key() {
    return key;
  }

  public Kind kind() {
    return kind;
  }

  public boolean anyMethod() {
    return "ANY".equals(method);
  }

  /** Variable names in path order, greedy included. */
  public List<String> variableNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < segments.length; i++) {
      if (segmentKinds[i] != LIT) {
        names.add(segments[i]);
      }
    }
    return Collections.unmodifiableList(names);
  }

  int segmentCount() {
    return segments.length;
  }

  String segment(int i) {
    return segments[i];
  }

  byte segmentKind(int i) {
    return segmentKinds[i];
  }

  /**
   * The same route as a Vert.x Web path: {@code {x}} becomes {@code :x}, a trailing {@code {p+}} becomes
   * the wildcard {@code *} (Vert.x exposes the rest as path parameter {@code "*"}).
   */
  public String vertxPath() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      sb.append('/');
      switch (segmentKinds[i]) {
        case LIT -> sb.append(segments[i]);
        case VAR -> sb.append(':').append(segments[i]);
        default -> sb.append('*');
      }
    }
    return sb.toString();
  }

  private static int comparePriority(RouteSpec a, RouteSpec b) {
    boolean ag = a.kind == Kind.GREEDY;
    boolean bg = b.kind == Kind.GREEDY;
    if (ag != bg) {
      return ag ? 1 : -1;
    }
    int n = Math.min(a.segments.length, b.segments.length);
    for (int i = 0; i < n; i++) {
      int c = Byte.compare(a.segmentKinds[i], b.segmentKinds[i]);
      if (c != 0) {
        return c;
      }
    }
    int c = Integer.compare(b.segments.length, a.segments.length); // longer (more specific) first
    if (c != 0) {
      return c;
    }
    return Boolean.compare(a.anyMethod(), b.anyMethod());
  }

  @Override
  public String toString() {
    return key;
  }
}
