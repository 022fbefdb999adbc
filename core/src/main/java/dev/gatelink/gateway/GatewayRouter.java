package dev.gatelink.gateway;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Objects;

/**
 * Mounts a {@link Gateway} on a Vert.x Web {@link Router} under a path prefix: {@code mount(router, "/api",
 * gateway)} serves {@code /api/prod/orders/42} as the gateway's {@code /prod/orders/42}. Needs
 * {@code io.vertx:vertx-web} on the classpath; do not add a {@code BodyHandler} in front, the gateway streams
 * bodies itself.
 */
public final class GatewayRouter {
  private GatewayRouter() {}

  /**
   * Mounts the gateway.
   *
   * @param router the router
   * @param prefix the path prefix, such as {@code /api}; empty or {@code /} mounts at the root
   * @param gateway the gateway
   * @return the router's route, to order it among others
   */
  public static Route mount(Router router, String prefix, Gateway gateway) {
    Objects.requireNonNull(gateway, "gateway");
    String base = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    if (!base.isEmpty() && !base.startsWith("/")) {
      throw new IllegalArgumentException("prefix '" + prefix + "' does not start with /: expected a path such as /api");
    }
    Route route = base.isEmpty() ? router.route() : router.route(base + "/*");
    int length = base.length();
    return route.handler(context -> {
      String path = context.request().path();
      String gatewayPath = path.length() <= length ? "/" : path.substring(length);
      gateway.handle(context.request(), gatewayPath, length == 0);
    });
  }
}
