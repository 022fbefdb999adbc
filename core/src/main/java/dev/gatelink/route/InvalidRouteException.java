package dev.gatelink.route;

/**
 * A route key that API Gateway would refuse, or a set of routes that cannot form one table (the same key
 * twice, or two keys that differ only in variable names).
 *
 * <p>The message quotes the offending key, says what is wrong and what was expected, for example
 * {@code route key 'GET /a/{b+}/c': greedy variable {b+} must be the last segment}.
 */
public final class InvalidRouteException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String routeKey;

  InvalidRouteException(String routeKey, String problem) {
    super("route key '" + routeKey + "': " + problem);
    this.routeKey = routeKey;
  }

  /** {@return the offending route key, exactly as it was written} */
  public String routeKey() {
    return routeKey;
  }
}
