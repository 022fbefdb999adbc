package dev.gatelink.benchmarks.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A slow, obviously-correct matcher over the generated routes (tries every route), used only at setup to
 * prove that every generated request hits the route it was made for, or really misses.
 *
 * <p>It applies the API Gateway rules the production matcher implements, written out plainly: a {@code ?}
 * ends the path; the path is split on its raw slashes and each segment is then percent-decoded as strict
 * UTF-8 (a malformed segment matches nothing); a literal equals the decoded segment; a {@code {var}} takes
 * one non-empty segment; a {@code {greedy+}} takes the rest of the path after its prefix's slash, which may
 * be empty ({@code /p/{x+}} takes {@code /p/} with {@code x = ""}, {@code ANY /{proxy+}} takes {@code /}, but
 * {@code /p} does not match {@code /p/{x+}}) and may hold empty segments; no variable captures a segment
 * that decodes to a dot segment ({@code .}, {@code ..}, also followed by {@code ;}, or such a piece between
 * decoded slashes or backslashes). Path parameters are the decoded values.
 */
public final class ReferenceMatcher {

  private final List<RouteSpec> routes;

  public ReferenceMatcher(List<RouteSpec> routes) {
    this.routes = List.copyOf(routes);
  }

  /** The route API Gateway would pick, or null. */
  public RouteSpec match(String method, String path) {
    String[] request = decodedSegments(path);
    if (request == null) {
      return null;
    }
    RouteSpec best = null;
    for (RouteSpec route : routes) {
      if (!route.anyMethod() && !route.method().equals(method)) {
        continue;
      }
      if (matchesPath(route, request) && (best == null || RouteSpec.PRIORITY.compare(route, best) < 0)) {
        best = route;
      }
    }
    return best;
  }

  /**
   * The decoded path parameters {@code route} takes from {@code path}, which it must match (greedy: the
   * rest, without the leading slash).
   */
  public static Map<String, String> parameters(RouteSpec route, String path) {
    String[] request = decodedSegments(path);
    if (request == null || !matchesPath(route, request)) {
      throw new IllegalArgumentException(route + " does not match " + path);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < route.segmentCount(); i++) {
      switch (route.segmentKind(i)) {
        case RouteSpec.VAR -> params.put(route.segment(i), request[i]);
        case RouteSpec.GREEDY -> params.put(route.segment(i),
            String.join("/", java.util.Arrays.copyOfRange(request, i, request.length)));
        default -> { }
      }
    }
    return params;
  }

  private static boolean matchesPath(RouteSpec route, String[] request) {
    int n = route.segmentCount();
    boolean greedy = route.segmentKind(n - 1) == RouteSpec.GREEDY;
    if (greedy ? request.length < n : request.length != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      switch (route.segmentKind(i)) {
        case RouteSpec.LIT -> {
          if (!route.segment(i).equals(request[i])) {
            return false;
          }
        }
        case RouteSpec.VAR -> {
          if (request[i] == null || request[i].isEmpty() || isDotSegment(request[i])) {
            return false;
          }
        }
        default -> {
          // The rest, from here to the end of the path: may be empty, or hold empty segments.
          for (int j = i; j < request.length; j++) {
            if (request[j] == null || isDotSegment(request[j])) {
              return false;
            }
          }
        }
      }
    }
    return true;
  }

  /**
   * Cuts the query, splits on raw slashes and decodes each segment: {@code /} gives {@code [""]},
   * {@code /p/} gives {@code ["p", ""]}. Null when the path does not start with {@code /}; a malformed
   * segment is a null element.
   */
  static String[] decodedSegments(String path) {
    int query = path.indexOf('?');
    String raw = query < 0 ? path : path.substring(0, query);
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return null;
    }
    List<String> out = new ArrayList<>();
    int start = 1;
    while (true) {
      int end = raw.indexOf('/', start);
      out.add(decode(raw.substring(start, end < 0 ? raw.length() : end)));
      if (end < 0) {
        return out.toArray(new String[0]);
      }
      start = end + 1;
    }
  }

  /** Percent-decodes one raw segment as strict UTF-8; null if an escape or the UTF-8 is malformed. */
  static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi << 4 | lo);
        i += 3;
        continue;
      }
      if (bytes.size() > 0 && !flush(bytes, out)) {
        return null;
      }
      out.append(c);
      i++;
    }
    return bytes.size() > 0 && !flush(bytes, out) ? null : out.toString();
  }

  private static boolean flush(ByteArrayOutputStream bytes, StringBuilder out) {
    try {
      out.append(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())));
      bytes.reset();
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** {@code .} or {@code ..} (also followed by {@code ;}), alone or as a piece between slashes or backslashes. */
  static boolean isDotSegment(String decoded) {
    for (String piece : decoded.split("[/\\\\]", -1)) {
      int semicolon = piece.indexOf(';');
      String name = semicolon < 0 ? piece : piece.substring(0, semicolon);
      if (name.equals(".") || name.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
