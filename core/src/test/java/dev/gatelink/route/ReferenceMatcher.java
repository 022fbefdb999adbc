package dev.gatelink.route;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A deliberately simple, obviously-correct route matcher used as the oracle for {@link RouteTable}.
 *
 * <p>It follows the routing rules written down for Gatelink (spec sections 1.3, 1.4, 1.7 and 11,
 * and {@code docs/architecture.md} for dot segments and malformed escapes)
 * in the most literal way possible: for every request it tries every route, segment by segment,
 * collects the candidates, sorts them with an explicit comparator and returns the first one (else
 * {@code $default}, else a miss). It is O(number of routes) per request and allocates freely: it
 * is test code and must stay easy to check by reading.
 *
 * <p>It only uses the public API of the production code ({@link RouteKey#parse}, {@link
 * RouteKey#method()}, {@link RouteKey#path()}, {@link RouteKey#isDefault()}, {@link Route}); it
 * parses the route path text itself and decodes request paths with the JDK's strict UTF-8 {@link
 * CharsetDecoder}, never with the production decoder.
 */
final class ReferenceMatcher<T> {

  /** The seven concrete request methods; anything else (e.g. "TRACE", "get", "ANY") only reaches ANY routes. */
  static final Set<String> CONCRETE_METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  /** Segment kinds, declared from most to least specific: the ordinal is the rank. */
  enum Kind {
    LITERAL,
    VARIABLE,
    GREEDY
  }

  /** One route path segment: a literal (text = the literal) or a variable (text = its name). */
  record Segment(Kind kind, String text) {}

  /** A non-default route, with its path cut into segments. */
  record Pattern<T>(Route<T> route, List<Segment> segments) {
    boolean greedy() {
      return segments.get(segments.size() - 1).kind() == Kind.GREEDY;
    }

    boolean anyMethod() {
      return route.key().method() == RouteMethod.ANY;
    }
  }

  /** A route that matched a request, with the path parameters it produced. */
  record Candidate<T>(Pattern<T> pattern, Map<String, String> parameters) {}

  /**
   * The result of a match, in a form that is easy to compare: the matched route key text (null
   * on a miss), the route's value and the ordered parameters.
   */
  record Outcome(String routeKey, Object value, List<Map.Entry<String, String>> parameters) {
    static final Outcome MISS = new Outcome(null, null, List.of());

    static Outcome of(String routeKey, Object value, Map<String, String> parameters) {
      List<Map.Entry<String, String>> copy = new ArrayList<>();
      for (Map.Entry<String, String> e : parameters.entrySet()) {
        copy.add(Map.entry(e.getKey(), e.getValue()));
      }
      return new Outcome(Objects.requireNonNull(routeKey), value, List.copyOf(copy));
    }

    boolean matched() {
      return routeKey != null;
    }

    /** Renders like a table row's right-hand side: {@code none}, {@code $default}, or the key and {@code name="value"} pairs. */
    String render() {
      if (routeKey == null) {
        return "none";
      }
      StringBuilder sb = new StringBuilder(routeKey);
      for (Map.Entry<String, String> e : parameters) {
        sb.append(' ').append(e.getKey()).append('=').append(quote(e.getValue()));
      }
      return sb.toString();
    }

    /** Java-string-literal style quoting, every non-printable-ASCII char as a \\u escape. */
    static String quote(String s) {
      StringBuilder sb = new StringBuilder("\"");
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          sb.append('\\').append(c);
        } else if (c >= 0x20 && c < 0x7f) {
          sb.append(c);
        } else {
          sb.append(String.format("\\u%04X", (int) c));
        }
      }
      return sb.append('"').toString();
    }
  }

  /**
   * The ranking, as an explicit comparator (smaller = better):
   *
   * <ol>
   *   <li>non-greedy routes before greedy routes;
   *   <li>segment by segment from the left: literal before {x} before {x+};
   *   <li>a specific method before ANY (decided after the path).
   * </ol>
   */
  static final Comparator<Pattern<?>> RANKING =
      (a, b) -> {
        if (a.greedy() != b.greedy()) {
          return a.greedy() ? 1 : -1;
        }
        int n = Math.min(a.segments().size(), b.segments().size());
        for (int i = 0; i < n; i++) {
          int c =
              Integer.compare(
                  a.segments().get(i).kind().ordinal(), b.segments().get(i).kind().ordinal());
          if (c != 0) {
            return c;
          }
        }
        if (a.anyMethod() != b.anyMethod()) {
          return a.anyMethod() ? 1 : -1;
        }
        // Two matching candidates with the same shape and the same method class: that is a
        // duplicate route, which building a table must have rejected.
        if (a.segments().size() != b.segments().size() || a.route() != b.route()) {
          throw new IllegalStateException(
              "ambiguous candidates (duplicate routes?): "
                  + a.route().key()
                  + " and "
                  + b.route().key());
        }
        return 0;
      };

  private final List<Pattern<T>> patterns = new ArrayList<>();
  private Route<T> defaultRoute;

  ReferenceMatcher(List<Route<T>> routes) {
    for (Route<T> route : routes) {
      if (route.key().isDefault()) {
        defaultRoute = route;
      } else {
        patterns.add(new Pattern<>(route, parsePath(route.key().path())));
      }
    }
  }

  /** Matches a request: method as sent, raw request target (path plus optional query). */
  Outcome match(String method, String rawTarget) {
    List<Candidate<T>> candidates = new ArrayList<>();
    List<String> decoded = decodedSegments(rawTarget);
    if (decoded != null) {
      for (Pattern<T> p : patterns) {
        if (!methodMatches(p.route().key().method(), method)) {
          continue;
        }
        Map<String, String> params = matchPath(p.segments(), decoded);
        if (params != null) {
          candidates.add(new Candidate<>(p, params));
        }
      }
    }
    if (!candidates.isEmpty()) {
      candidates.sort((x, y) -> RANKING.compare(x.pattern(), y.pattern()));
      Candidate<T> best = candidates.get(0);
      return Outcome.of(
          best.pattern().route().key().toString(), best.pattern().route().value(), best.parameters());
    }
    if (defaultRoute != null) {
      return Outcome.of(defaultRoute.key().toString(), defaultRoute.value(), Map.of());
    }
    return Outcome.MISS;
  }

  static boolean methodMatches(RouteMethod routeMethod, String requestMethod) {
    if (routeMethod == RouteMethod.ANY) {
      return true;
    }
    return CONCRETE_METHODS.contains(requestMethod) && routeMethod.name().equals(requestMethod);
  }

  /**
   * Tries one route path against the decoded request segments. Returns the parameters in route
   * order, or null when the route does not match. A null element in {@code decoded} is a
   * malformed segment.
   */
  static Map<String, String> matchPath(List<Segment> route, List<String> decoded) {
    boolean greedy = route.get(route.size() - 1).kind() == Kind.GREEDY;
    if (greedy ? decoded.size() < route.size() : decoded.size() != route.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < route.size(); i++) {
      Segment seg = route.get(i);
      String value = decoded.get(i);
      switch (seg.kind()) {
        case LITERAL:
          if (value == null || !value.equals(seg.text())) {
            return null;
          }
          break;
        case VARIABLE:
          if (value == null || value.isEmpty() || isDotSegment(value)) {
            return null;
          }
          params.put(seg.text(), value);
          break;
        case GREEDY:
          List<String> rest = decoded.subList(i, decoded.size());
          for (String r : rest) {
            if (r == null || isDotSegment(r)) {
              return null;
            }
          }
          params.put(seg.text(), String.join("/", rest));
          break;
        default:
          throw new AssertionError(seg.kind());
      }
    }
    return params;
  }

  /**
   * Whether a decoded segment is a dot segment, which no variable may capture: cut at every '/'
   * (from %2F) and every backslash (raw or from %5C), one of its pieces is "." or ".." once cut at
   * its first ';'. Dot segments: {@code ..;x}, {@code .;}, {@code a\..}, {@code ../admin}, {@code
   * ..\admin}. Not: {@code ..a;}, {@code a;..}, {@code a\b}.
   */
  static boolean isDotSegment(String decoded) {
    for (String piece : decoded.split("[/\\\\]", -1)) { // the regex [/\\]: '/' or '\'
      int semicolon = piece.indexOf(';');
      String name = semicolon >= 0 ? piece.substring(0, semicolon) : piece;
      if (name.equals(".") || name.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Cuts the query, splits on raw '/' and decodes each segment. Returns null when the path does
   * not start with '/' (no route can match). A malformed segment is a null element.
   */
  static List<String> decodedSegments(String rawTarget) {
    int q = rawTarget.indexOf('?');
    String path = q >= 0 ? rawTarget.substring(0, q) : rawTarget;
    if (!path.startsWith("/")) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String raw : splitOnSlash(path.substring(1))) {
      out.add(decodeSegment(raw));
    }
    return out;
  }

  /** Splits on '/', keeping empty pieces (also leading and trailing ones): "" -> [""], "a/" -> ["a", ""]. */
  static List<String> splitOnSlash(String s) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '/') {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  /**
   * Percent-decodes one raw segment: each run of %XX escapes is turned into bytes and decoded as
   * strict UTF-8; other characters are kept as they are. Returns null when the segment is
   * malformed (bad or truncated escape, or bytes that are not well-formed UTF-8: overlong forms,
   * surrogates, truncated sequences...). '+' is not special.
   */
  static String decodeSegment(String raw) {
    StringBuilder out = new StringBuilder();
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null; // fewer than two characters after '%'
        }
        int hi = hexValue(raw.charAt(i + 1));
        int lo = hexValue(raw.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          return null;
        }
        pending.write(hi * 16 + lo);
        i += 3;
      } else {
        if (!flush(pending, out)) {
          return null;
        }
        out.append(c);
        i++;
      }
    }
    if (!flush(pending, out)) {
      return null;
    }
    return out.toString();
  }

  /** ASCII hex digits only (Character.digit would also accept e.g. full-width digits). */
  static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static boolean flush(ByteArrayOutputStream pending, StringBuilder out) {
    if (pending.size() == 0) {
      return true;
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      out.append(decoder.decode(ByteBuffer.wrap(pending.toByteArray())));
    } catch (CharacterCodingException e) {
      return false;
    }
    pending.reset();
    return true;
  }

  /** "/" -> [literal ""]; "/a/{b}/{c+}" -> [literal a, variable b, greedy c]. */
  static List<Segment> parsePath(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route path without a leading slash: " + path);
    }
    List<Segment> segments = new ArrayList<>();
    for (String s : splitOnSlash(path.substring(1))) {
      if (s.startsWith("{") && s.endsWith("+}")) {
        segments.add(new Segment(Kind.GREEDY, s.substring(1, s.length() - 2)));
      } else if (s.startsWith("{") && s.endsWith("}")) {
        segments.add(new Segment(Kind.VARIABLE, s.substring(1, s.length() - 1)));
      } else {
        segments.add(new Segment(Kind.LITERAL, s));
      }
    }
    return Collections.unmodifiableList(segments);
  }

  /**
   * The duplicate-detection identity of a key: method plus path with variable names erased.
   * Two routes with the same shape cannot live in one table.
   */
  static String shape(RouteKey key) {
    if (key.isDefault()) {
      return "$default";
    }
    StringBuilder sb = new StringBuilder(key.method().name()).append(' ');
    for (Segment s : parsePath(key.path())) {
      sb.append('/');
      switch (s.kind()) {
        case LITERAL -> sb.append("L:").append(s.text());
        case VARIABLE -> sb.append("{}");
        case GREEDY -> sb.append("{+}");
      }
    }
    return sb.toString();
  }
}
