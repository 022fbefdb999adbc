package dev.gatelink.route;

import java.util.Objects;

/**
 * A route of a {@link RouteTable}: its key and the value the table returns when the route matches (for
 * the gateway, the route's integration).
 *
 * @param key the route key, such as {@code GET /orders/{id}}
 * @param value what the route leads to; never null
 * @param <T> the type of the value
 */
public record Route<T>(RouteKey key, T value) {
  /**
   * Checks that neither part is null.
   *
   * @param key the route key
   * @param value what the route leads to
   */
  public Route {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
