package dev.gatelink.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An API Gateway HTTP API route key: {@code METHOD /path} or the catch-all {@code $default}.
 *
 * <p>The path is made of segments between slashes: literals ({@code pets}), variables that fill one whole
 * segment ({@code {petId}}) and, as the last segment only, a greedy variable that takes the rest of the
 * path ({@code {proxy+}}). The root path {@code /} is a route of its own. {@link #parse(String)} checks
 * what API Gateway checks when a route is created, plus a few rules of Gatelink's own where API Gateway's
 * are not documented (variable names, the characters of literals, dot segments; see
 * {@code docs/architecture.md}), and throws {@link InvalidRouteException}, naming the key, when a rule is
 * broken:
 *
 * <ul>
 *   <li>the method is one of {@code GET POST PUT PATCH DELETE HEAD OPTIONS ANY}, in upper case;
 *   <li>the path starts with {@code /} and does not end with one (except the root {@code /});
 *   <li>no segment is empty or a dot segment ({@code .} or {@code ..}, also before {@code ;} or after
 *       {@code \}); literals hold no {@code %}, {@code ?}, {@code #},
 *       braces, white space, control or invisible characters;
 *   <li>a variable fills its whole segment, its name is letters, digits, {@code _} or {@code -}, no two
 *       variables share a name, and a greedy variable is the last segment.
 * </ul>
 *
 * <p>Keys are immutable; two keys are equal when their text is equal.
 */
public final class RouteKey {

  /** The catch-all route key {@code $default}, chosen when no other route matches. */
  public static final RouteKey DEFAULT = new RouteKey("$default", RouteMethod.ANY, "", new String[0], new byte[0]);

  static final byte LITERAL = 0;
  static final byte VARIABLE = 1;
  static final byte GREEDY = 2;

  private static final String EXPECTED_FORM =
      "expected 'METHOD /path' (for example 'GET /pets/{petId}') or '$default'";
  private static final String METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY";

  private final String text;
  private final RouteMethod method;
  private final String path;
  /** Per segment: the literal text, or the variable's name (without braces and {@code +}). */
  private final String[] segments;
  /** Per segment: {@link #LITERAL}, {@link #VARIABLE} or {@link #GREEDY}. */
  private final byte[] kinds;

  private RouteKey(String text, RouteMethod method, String path, String[] segments, byte[] kinds) {
    this.text = text;
    this.method = method;
    this.path = path;
    this.segments = segments;
    this.kinds = kinds;
  }

  /**
   * Parses and validates a route key.
   *
   * @param text a key such as {@code GET /orders/{id}}, {@code ANY /{proxy+}} or {@code $default}
   * @return the key
   * @throws InvalidRouteException if API Gateway would refuse the key; the message quotes it and says why
   */
  public static RouteKey parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.equals(DEFAULT.text)) {
      return DEFAULT;
    }
    if (text.isEmpty()) {
      throw new InvalidRouteException(text, "the key is empty; " + EXPECTED_FORM);
    }
    if (text.equalsIgnoreCase(DEFAULT.text)) {
      throw new InvalidRouteException(text, "the catch-all key is written in lower case, exactly as '$default'");
    }
    if (text.startsWith(DEFAULT.text)) {
      throw new InvalidRouteException(text, "'$default' takes no method and no path; write it alone as '$default'");
    }
    // The separator is the first space after the method; a leading space is one too many, unless it is all
    // there is before the path (then the method is what is missing).
    int space = text.charAt(0) == ' ' && text.indexOf(' ', 1) < 0 ? 0 : text.indexOf(' ', 1);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (i != space && isInvisible(c)) {
        throw new InvalidRouteException(text, String.format("character U+%04X at index %d is not allowed; method and"
            + " path are separated by exactly one space, and a key holds no other white space, control or"
            + " invisible characters", (int) c, i));
      }
    }
    if (space == 0 || (space < 0 && text.startsWith("/"))) {
      throw new InvalidRouteException(text, "the method is missing; " + EXPECTED_FORM);
    }
    if (space < 0 || space == text.length() - 1) {
      String method = space < 0 ? text : text.substring(0, space);
      for (RouteMethod candidate : RouteMethod.values()) {
        if (candidate.name().equalsIgnoreCase(method)) {
          throw new InvalidRouteException(text, "the path is missing after the method; " + EXPECTED_FORM);
        }
      }
      throw new InvalidRouteException(text, EXPECTED_FORM);
    }
    RouteMethod method = parseMethod(text, text.substring(0, space));
    String path = text.substring(space + 1);
    if (path.equals(DEFAULT.text)) {
      throw new InvalidRouteException(text, "'$default' takes no method; write it alone as '$default'");
    }
    if (!path.startsWith("/")) {
      throw new InvalidRouteException(text, "path '" + path + "' must start with '/'");
    }
    if (path.equals("/")) {
      return new RouteKey(text, method, path, new String[] {""}, new byte[] {LITERAL});
    }
    if (path.endsWith("/") && !path.contains("//")) {
      throw new InvalidRouteException(text, "path '" + path + "' must not end with '/'; only the root path '/' may");
    }
    List<String> segments = new ArrayList<>();
    List<Byte> kinds = new ArrayList<>();
    int start = 1;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String segment = path.substring(start, end);
      int position = segments.size() + 1;
      byte kind = parseSegment(text, path, segment, position);
      String value = kind == LITERAL ? segment : segment.substring(1, segment.length() - (kind == GREEDY ? 2 : 1));
      if (kind != LITERAL) {
        for (int i = 0; i < segments.size(); i++) {
          if (kinds.get(i) != LITERAL && segments.get(i).equals(value)) {
            throw new InvalidRouteException(text, "variable name '" + value
                + "' is used twice; each path variable needs a name of its own");
          }
        }
      }
      if (kind == GREEDY && end != path.length()) {
        throw new InvalidRouteException(text, "greedy variable " + segment + " must be the last segment");
      }
      segments.add(value);
      kinds.add(kind);
      start = end + 1;
    }
    byte[] kindArray = new byte[kinds.size()];
    for (int i = 0; i < kindArray.length; i++) {
      kindArray[i] = kinds.get(i);
    }
    return new RouteKey(text, method, path, segments.toArray(new String[0]), kindArray);
  }

  private static RouteMethod parseMethod(String text, String method) {
    for (RouteMethod candidate : RouteMethod.values()) {
      if (candidate.name().equals(method)) {
        return candidate;
      }
    }
    for (RouteMethod candidate : RouteMethod.values()) {
      if (candidate.name().equalsIgnoreCase(method)) {
        throw new InvalidRouteException(text, "method '" + method + "' must be written in upper case, as '"
            + candidate.name() + "'");
      }
    }
    throw new InvalidRouteException(text, "unknown method '" + method + "'; expected one of " + METHODS);
  }

  private static byte parseSegment(String text, String path, String segment, int position) {
    if (segment.isEmpty()) {
      throw new InvalidRouteException(text, "path '" + path + "' has an empty segment at position " + position
          + "; every segment between slashes needs a literal or a {variable}");
    }
    int open = count(segment, '{');
    int close = count(segment, '}');
    if (open == 0 && close == 0) {
      checkLiteral(text, segment);
      return LITERAL;
    }
    if (open != close) {
      throw new InvalidRouteException(text, "unbalanced braces in segment '" + segment
          + "'; expected a variable written as {name} or {name+}");
    }
    if (open > 1) {
      throw new InvalidRouteException(text, "segment '" + segment + "' has more than one pair of braces; a segment"
          + " is a literal or exactly one variable, written {name} or {name+}");
    }
    if (segment.indexOf('}') < segment.indexOf('{')) {
      throw new InvalidRouteException(text, "the braces in segment '" + segment
          + "' are in the wrong order; expected a variable written as {name} or {name+}");
    }
    if (segment.charAt(0) != '{' || segment.charAt(segment.length() - 1) != '}') {
      throw new InvalidRouteException(text, "segment '" + segment
          + "' mixes literal text and a variable; a variable fills its whole segment, as in '/{name}/'");
    }
    boolean greedy = segment.length() > 2 && segment.charAt(segment.length() - 2) == '+';
    String name = segment.substring(1, segment.length() - (greedy ? 2 : 1));
    if (name.isEmpty()) {
      throw new InvalidRouteException(text, "variable " + segment + " has no name; expected {name} or {name+}");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!ok) {
        throw new InvalidRouteException(text, "variable " + segment + " has an invalid name '" + name
            + "'; a name is made of letters, digits, '_' and '-'");
      }
    }
    return greedy ? GREEDY : VARIABLE;
  }

  private static void checkLiteral(String text, String segment) {
    if (holdsDotPiece(segment)) {
      throw new InvalidRouteException(text, "dot segment '" + segment + "' is not allowed in a route path");
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        throw new InvalidRouteException(text, "segment '" + segment
            + "' contains '%'; route keys are written decoded, with the characters themselves");
      }
      if (c == '?' || c == '#') {
        throw new InvalidRouteException(text, "segment '" + segment + "' contains '" + c
            + "'; a route path has no query string or fragment");
      }
    }
  }

  /**
   * Whether a literal is, or holds between backslashes, {@code .} or {@code ..} (also followed by {@code ;}
   * and parameters): the segments that requests can never reach a route through (see {@code RequestPath}).
   */
  private static boolean holdsDotPiece(String segment) {
    for (String piece : segment.split("\\\\", -1)) {
      int semicolon = piece.indexOf(';');
      String name = semicolon < 0 ? piece : piece.substring(0, semicolon);
      if (name.equals(".") || name.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** White space other than the separating space, control characters, and invisible (format) characters. */
  private static boolean isInvisible(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
        || Character.getType(c) == Character.FORMAT;
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }

  /** {@return whether this is the catch-all {@code $default} key} */
  public boolean isDefault() {
    return this == DEFAULT;
  }

  /** {@return the route's method; {@link RouteMethod#ANY} for {@code $default}} */
  public RouteMethod method() {
    return method;
  }

  /** {@return the route's path as written, such as {@code /pets/{petId}}; empty for {@code $default}} */
  public String path() {
    return path;
  }

  /** {@return whether the last segment is a greedy variable such as {@code {proxy+}}} */
  public boolean isGreedy() {
    return kinds.length > 0 && kinds[kinds.length - 1] == GREEDY;
  }

  /** {@return the names of the path variables, from left to right (the greedy one, if any, last)} */
  public List<String> variableNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] != LITERAL) {
        names.add(segments[i]);
      }
    }
    return Collections.unmodifiableList(names);
  }

  int segmentCount() {
    return segments.length;
  }

  String segment(int index) {
    return segments[index];
  }

  byte kind(int index) {
    return kinds[index];
  }

  /** Whether every segment is a literal, so the whole path can be looked up as one string. */
  boolean isLiteral() {
    for (byte kind : kinds) {
      if (kind != LITERAL) {
        return false;
      }
    }
    return !isDefault();
  }

  /** The key with variable names erased: two keys with the same shape are the same route to API Gateway. */
  String shape() {
    if (isDefault()) {
      return text;
    }
    StringBuilder shape = new StringBuilder(method.name()).append(' ');
    for (int i = 0; i < segments.length; i++) {
      shape.append('/');
      shape.append(kinds[i] == LITERAL ? segments[i] : kinds[i] == VARIABLE ? "{}" : "{+}");
    }
    return shape.toString();
  }

  /** {@return the key as written, such as {@code GET /pets/{petId}} or {@code $default}} */
  public String text() {
    return text;
  }

  /** {@return the key as written, as {@link #text()}} */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof RouteKey && ((RouteKey) other).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
