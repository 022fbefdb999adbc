package dev.gatelink.benchmarks.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A slow, obviously-correct matcher over the generated routes (tries every route), used only at setup to
 * prove that every generated request hits the route it was made for, or really misses. Paths here are
 * plain (no percent-escapes, no empty segments), so no decoding is needed.
 */
public final class ReferenceMatcher {

  private final List<RouteSpec> routes;

  public ReferenceMatcher(List<RouteSpec> routes) {
    this.routes = List.copyOf(routes);
  }

  /** The route API Gateway would pick, or null. */
  public RouteSpec match(String method, String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    String[] request = path.substring(1).split("/", -1);
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

  /** The path parameters {@code route} takes from {@code path} (greedy: the rest, without leading slash). */
  public static Map<String, String> parameters(RouteSpec route, String path) {
    String[] request = path.substring(1).split("/", -1);
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
          if (request[i].isEmpty()) {
            return false;
          }
        }
        default -> {
          for (int j = i; j < request.length; j++) {
            if (request[j].isEmpty()) {
              return false;
            }
          }
        }
      }
    }
    return true;
  }
}
