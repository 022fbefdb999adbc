package dev.gatelink.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable table of API Gateway HTTP API routes, compiled once, that picks the route for a request the
 * way API Gateway does.
 *
 * <pre>{@code
 * RouteTable<String> table = RouteTable.<String>builder()
 *     .add("GET /pets/{petId}", "pets")
 *     .add("ANY /{proxy+}", "everything else")
 *     .build();
 * RouteMatch<String> match = table.match("GET", "/pets/42");
 * match.route().value();          // "pets"
 * match.pathParameter("petId");   // "42"
 * }</pre>
 *
 * <p>Selection, independent of the order in which routes were added: full matches (literal and
 * {@code {variable}} segments only) before greedy ones; then, segment by segment from the left, a literal
 * beats a variable and a variable beats a greedy variable; then a route with the request's own method
 * beats {@code ANY}; {@code $default} only when nothing else matches. A method mismatch is never an error
 * of its own: a request no route takes gets {@code $default} or the miss. {@code /x} and {@code /x/} are
 * different paths. Path parameters come out percent-decoded; see {@code docs/architecture.md} for encoded
 * slashes, dot segments and malformed escapes.
 *
 * <p>Lookups are safe from any number of threads, take no lock, and allocate nothing on a miss or on a hit
 * of a route without variables; a hit with variables allocates the parameter values. A table is replaced,
 * never changed: build a new one (see {@link #toBuilder()}) and publish it.
 *
 * @param <T> the type of the routes' values
 */
public final class RouteTable<T> {

  private final List<Route<T>> routes;
  /** Fully literal paths, to their matches by method slot ({@code ANY} filled in), for a one-probe hit. */
  private final LiteralPaths literalPaths;
  private final RouteTrie.Node root;
  /** What a request that no route takes gets: the {@code $default} match, or the miss. */
  private final RouteMatch<T> fallback;

  private RouteTable(List<Route<T>> routes) {
    this.routes = Collections.unmodifiableList(new ArrayList<>(routes));
    Route<T> defaultRoute = null;
    List<CompiledRoute<T>> compiled = new ArrayList<>();
    Map<String, CompiledRoute<?>[]> literalByMethod = new HashMap<>();
    for (Route<T> route : routes) {
      if (route.key().isDefault()) {
        defaultRoute = route;
        continue;
      }
      CompiledRoute<T> compiledRoute = new CompiledRoute<>(route);
      compiled.add(compiledRoute);
      if (route.key().isLiteral()) {
        literalByMethod.computeIfAbsent(route.key().path(), p -> new CompiledRoute<?>[RouteMethod.SLOTS])
            [route.key().method().ordinal()] = compiledRoute;
      }
    }
    Map<String, RouteMatch<?>[]> literalMatches = new HashMap<>();
    literalByMethod.forEach((path, byMethod) -> {
      CompiledRoute<?>[] bySlot = Objects.requireNonNull(RouteTrie.bySlot(byMethod));
      RouteMatch<?>[] matches = new RouteMatch<?>[RouteMethod.SLOTS];
      for (int s = 0; s < RouteMethod.SLOTS; s++) {
        matches[s] = bySlot[s] == null ? null : bySlot[s].bareMatch();
      }
      literalMatches.put(path, matches);
    });
    this.literalPaths = new LiteralPaths(literalMatches);
    this.root = RouteTrie.compile(compiled);
    this.fallback = defaultRoute == null ? RouteMatch.miss() : new CompiledRoute<>(defaultRoute).bareMatch();
  }

  /**
   * {@return a builder for a new table}
   *
   * @param <T> the type of the routes' values
   */
  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  /** {@return a builder that starts with this table's routes, to build a changed copy} */
  public Builder<T> toBuilder() {
    Builder<T> builder = new Builder<>();
    builder.routes.addAll(routes);
    return builder;
  }

  /**
   * Picks the route for a request.
   *
   * @param method the request method, case-sensitive; methods no route key can name (such as {@code TRACE})
   *     are served only by {@code ANY} routes and {@code $default}
   * @param path the raw request path as received, percent-escapes included; a {@code ?} ends it. A path
   *     that does not start with {@code /} can match only {@code $default}
   * @return the match, never null; on no match (and no {@code $default}) the shared miss, whose
   *     {@link RouteMatch#matched()} is false
   */
  public RouteMatch<T> match(String method, String path) {
    int slot = RouteMethod.slotOf(method);
    RouteMatch<?> literal = literalPaths.get(path, slot);
    if (literal != null) {
      @SuppressWarnings("unchecked")
      RouteMatch<T> match = (RouteMatch<T>) literal;
      return match;
    }
    RequestPath request = RequestPath.forPath(path);
    if (request.load(path)) {
      CompiledRoute<?> found = RouteTrie.findExact(root, request, 0, slot);
      if (found == null) {
        found = RouteTrie.findGreedy(root, request, 0, slot);
      }
      if (found != null) {
        @SuppressWarnings("unchecked")
        CompiledRoute<T> route = (CompiledRoute<T>) found;
        return route.matchOf(request);
      }
    }
    return fallback;
  }

  /** {@return the routes, in the order they were added, {@code $default} included} */
  public List<Route<T>> routes() {
    return routes;
  }

  /** {@return the {@code $default} route, if the table has one} */
  public Optional<Route<T>> defaultRoute() {
    return fallback.matched() ? Optional.of(fallback.route()) : Optional.empty();
  }

  @Override
  public String toString() {
    return "RouteTable" + routes.stream().map(r -> r.key().toString()).toList();
  }

  /**
   * Collects routes and compiles them into a {@link RouteTable}. Each key is checked when it is added;
   * {@link #build()} checks the routes together (no key twice, even up to variable names).
   *
   * @param <T> the type of the routes' values
   */
  public static final class Builder<T> {
    private final List<Route<T>> routes = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a route.
     *
     * @param routeKey a route key such as {@code GET /orders/{id}} or {@code $default}
     * @param value what the route leads to
     * @return this builder
     * @throws InvalidRouteException if API Gateway would refuse the key
     */
    public Builder<T> add(String routeKey, T value) {
      return add(RouteKey.parse(routeKey), value);
    }

    /**
     * Adds a route with an already parsed key.
     *
     * @param key the route key
     * @param value what the route leads to
     * @return this builder
     */
    public Builder<T> add(RouteKey key, T value) {
      routes.add(new Route<>(key, value));
      return this;
    }

    /**
     * Adds a route.
     *
     * @param route the route
     * @return this builder
     */
    public Builder<T> add(Route<T> route) {
      routes.add(Objects.requireNonNull(route, "route"));
      return this;
    }

    /**
     * Compiles the routes.
     *
     * @return the table
     * @throws InvalidRouteException if two routes have the same key, or keys that differ only in variable
     *     names ({@code GET /a/{x}} and {@code GET /a/{y}}); the message quotes both
     */
    public RouteTable<T> build() {
      Map<String, RouteKey> byShape = new LinkedHashMap<>();
      for (Route<T> route : routes) {
        RouteKey key = route.key();
        RouteKey earlier = byShape.putIfAbsent(key.shape(), key);
        if (earlier != null) {
          throw new InvalidRouteException(key.toString(), earlier.equals(key)
              ? "the route is declared twice; each route key may appear once"
              : "it is the same route as '" + earlier
                  + "': keys that differ only in variable names are duplicates");
        }
      }
      return new RouteTable<>(routes);
    }
  }
}
