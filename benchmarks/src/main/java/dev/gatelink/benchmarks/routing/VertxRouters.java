package dev.gatelink.benchmarks.routing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Builds a Vert.x Web {@link Router} equivalent to a generated route table. */
public final class VertxRouters {

  /** What the catch-all route records: the request matched no real route. */
  public static final String NO_ROUTE = "<no route>";

  /** Where the route handlers record which route took the request (one per benchmark thread). */
  public static final class Sink {
    public Object value;
    public Map<String, String> parameters;

    public void clear() {
      value = null;
      parameters = null;
    }
  }

  private VertxRouters() {}

  /**
   * The registration order: Vert.x tries routes in registration order and the first match wins, so the
   * order must give API Gateway's choice. All fully literal routes first (a literal route beats every
   * overlapping route, and a literal hit then only meets cheap exact-path routes: the order most favourable
   * to Vert.x), then the routes with variables, then the greedy ones, each group in
   * {@link RouteSpec#PRIORITY} order. Setup checks every request against the reference matcher.
   */
  public static final Comparator<RouteSpec> REGISTRATION_ORDER =
      Comparator.comparing(RouteSpec::kind).thenComparing(RouteSpec.PRIORITY);

  /**
   * One Vert.x route per table route, in {@link #REGISTRATION_ORDER}: {@code {x}} as {@code :x},
   * {@code {p+}} as a trailing {@code *}, {@code ANY} as a route without a method. Each handler records the
   * route key and the routing context's path parameters into {@code sink} and ends there (no
   * {@code next()}); a last catch-all records {@link #NO_ROUTE}, so an unmatched request never reaches
   * Vert.x's 404 response writing.
   */
  public static Router build(Vertx vertx, List<RouteSpec> routes, Sink sink) {
    Router router = Router.router(vertx);
    List<RouteSpec> ordered = new ArrayList<>(routes);
    ordered.sort(REGISTRATION_ORDER);
    for (RouteSpec spec : ordered) {
      Route route = spec.anyMethod()
          ? router.route(spec.vertxPath())
          : router.route(HttpMethod.valueOf(spec.method()), spec.vertxPath());
      String key = spec.key();
      route.handler(ctx -> {
        sink.value = key;
        sink.parameters = ctx.pathParams();
      });
    }
    router.route().handler(ctx -> {
      sink.value = NO_ROUTE;
      sink.parameters = null;
    });
    return router;
  }
}
