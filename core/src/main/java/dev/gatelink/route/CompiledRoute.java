package dev.gatelink.route;

/**
 * A route as the compiled table holds it: where its variables sit in the path, and the shared match that
 * a route without variables returns.
 */
final class CompiledRoute<T> {
  private static final String[] NO_NAMES = new String[0];

  final Route<T> route;
  private final String[] names;
  private final int[] segmentIndexes;
  private final boolean greedy;
  private final RouteMatch<T> bareMatch;

  CompiledRoute(Route<T> route) {
    this.route = route;
    RouteKey key = route.key();
    this.names = key.variableNames().toArray(NO_NAMES);
    this.segmentIndexes = new int[names.length];
    int variable = 0;
    for (int i = 0; i < key.segmentCount(); i++) {
      if (key.kind(i) != RouteKey.LITERAL) {
        segmentIndexes[variable++] = i;
      }
    }
    this.greedy = key.isGreedy();
    this.bareMatch = new RouteMatch<>(route, NO_NAMES, NO_NAMES);
  }

  /** The match without parameters, shared by every request (routes without variables, and {@code $default}). */
  RouteMatch<T> bareMatch() {
    return bareMatch;
  }

  /** This route's match for the path just matched; allocates only the parameter values. */
  RouteMatch<T> matchOf(RequestPath path) {
    int n = names.length;
    if (n == 0) {
      return bareMatch;
    }
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      int segment = segmentIndexes[i];
      values[i] = greedy && i == n - 1 ? path.rest(segment) : path.segment(segment);
    }
    return new RouteMatch<>(route, names, values);
  }
}
