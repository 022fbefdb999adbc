package dev.gatelink.config;

import dev.gatelink.route.InvalidRouteException;
import dev.gatelink.route.Route;
import dev.gatelink.route.RouteKey;
import dev.gatelink.route.RouteTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import dev.gatelink.internal.IntegrationUris;

/**
 * An HTTP API as Gatelink serves it: routes with their integrations, the stages it is deployed to, and its
 * CORS configuration.
 *
 * <p>Immutable and checked when built: route keys as API Gateway checks them, path variables used in an
 * integration uri against the route's own variables, and stage variables used in a uri against every stage.
 * Build one in code with {@link #builder()}, or load one from an OpenAPI file with
 * {@code dev.gatelink.openapi.OpenApiLoader}. A definition without stages is deployed to {@code $default}.
 */
public final class ApiDefinition {
  private final RouteTable<Integration> routes;
  private final List<Stage> stages;
  private final List<Stage> declaredStages;
  private final @Nullable CorsConfiguration cors;
  private final @Nullable String source;
  private final Map<String, String> routePointers;

  private ApiDefinition(RouteTable<Integration> routes, List<Stage> stages, List<Stage> declaredStages,
      @Nullable CorsConfiguration cors, @Nullable String source, Map<String, String> routePointers) {
    this.routes = routes;
    this.stages = stages;
    this.declaredStages = declaredStages;
    this.cors = cors;
    this.source = source;
    this.routePointers = Map.copyOf(routePointers);
  }

  /** {@return a new, empty builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return a builder holding this definition's routes, the stages that were added to it (not the implicit
   * {@code $default} of a definition built without stages) and its CORS configuration}
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    routes.routes().forEach(route -> builder.route(route.key(), route.value()));
    declaredStages.forEach(builder::stage);
    builder.cors = cors;
    builder.source = source;
    builder.routePointers.putAll(routePointers);
    return builder;
  }

  /**
   * {@return the file (or other named source) the definition was loaded from, if it was; errors found when
   * the gateway loads the definition (a uri or target options its provider refuses) then name it}
   */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  /**
   * The JSON pointer of the operation a route was read from.
   *
   * @param key the route's key
   * @return the pointer, if the definition was loaded from a file that has the route
   */
  public Optional<String> routePointer(RouteKey key) {
    return Optional.ofNullable(routePointers.get(key.text()));
  }

  /** {@return the routes and their integrations, compiled for matching} */
  public RouteTable<Integration> routeTable() {
    return routes;
  }

  /** {@return the routes, in the order they were added, {@code $default} included} */
  public List<Route<Integration>> routes() {
    return routes.routes();
  }

  /** {@return the stages, in the order they were added; never empty} */
  public List<Stage> stages() {
    return stages;
  }

  /**
   * Finds a stage.
   *
   * @param name the stage name
   * @return the stage of that name, if the API is deployed to it
   */
  public Optional<Stage> stage(String name) {
    for (Stage stage : stages) {
      if (stage.name().equals(name)) {
        return Optional.of(stage);
      }
    }
    return Optional.empty();
  }

  /** {@return the CORS configuration, if the API has one} */
  public Optional<CorsConfiguration> cors() {
    return Optional.ofNullable(cors);
  }

  @Override
  public String toString() {
    return "ApiDefinition" + stages + " " + routes;
  }

  private static @Nullable Stage stageWithout(List<Stage> stages, String variable) {
    for (Stage stage : stages) {
      if (!stage.variables().containsKey(variable)) {
        return stage;
      }
    }
    return null;
  }

  /** Builds an {@link ApiDefinition}. */
  public static final class Builder {
    private final RouteTable.Builder<Integration> routes = RouteTable.builder();
    private final Map<String, Stage> stages = new LinkedHashMap<>();
    private final List<Route<Integration>> added = new ArrayList<>();
    private @Nullable CorsConfiguration cors;
    private @Nullable String source;
    private final Map<String, String> routePointers = new HashMap<>();

    private Builder() {}

    /**
     * Names where the definition comes from, for errors found when the gateway loads it.
     *
     * @param source a file name or other source, or null
     * @return this builder
     */
    public Builder source(@Nullable String source) {
      this.source = source;
      return this;
    }

    /**
     * Records where in the source a route was read from, for errors found when the gateway loads it.
     *
     * @param key the route's key
     * @param pointer the JSON pointer (RFC 6901) of its operation
     * @return this builder
     */
    public Builder routePointer(RouteKey key, String pointer) {
      routePointers.put(key.text(), Objects.requireNonNull(pointer, "pointer"));
      return this;
    }

    /**
     * Adds a route.
     *
     * @param routeKey a route key such as {@code GET /orders/{id}}, {@code ANY /{proxy+}} or {@code $default}
     * @param integration where the route's requests go
     * @return this builder
     * @throws InvalidRouteException if the route key is not valid
     * @throws InvalidConfigException if the integration uri uses a path variable the route does not have
     */
    public Builder route(String routeKey, Integration integration) {
      return route(RouteKey.parse(routeKey), integration);
    }

    /**
     * Adds a route.
     *
     * @param key the parsed route key
     * @param integration where the route's requests go
     * @return this builder
     * @throws InvalidConfigException if the integration uri uses a path variable the route does not have
     */
    public Builder route(RouteKey key, Integration integration) {
      Objects.requireNonNull(integration, "integration");
      Set<String> used = IntegrationUris.pathVariables(integration.uri());
      for (String variable : used) {
        if (!IntegrationUris.routeProvides(key, variable)) {
          throw new InvalidConfigException("route '" + key.text() + "': integration uri '" + integration.uri()
              + "' uses {" + variable + "}, which the route does not have: expected "
              + (key.variableNames().isEmpty() ? "no path variable, since the route has none"
                  : IntegrationUris.describeVariables(key)));
        }
      }
      routes.add(key, integration);
      added.add(new Route<>(key, integration));
      return this;
    }

    /**
     * Adds the {@code $default} route.
     *
     * @param integration where requests that no other route takes go
     * @return this builder
     */
    public Builder defaultRoute(Integration integration) {
      return route(RouteKey.DEFAULT, integration);
    }

    /**
     * Deploys the API to a stage.
     *
     * @param stage the stage
     * @return this builder
     * @throws InvalidConfigException if a stage of the same name was added already
     */
    public Builder stage(Stage stage) {
      if (stages.putIfAbsent(stage.name(), stage) != null) {
        throw new InvalidConfigException("stage '" + stage.name() + "' is given twice: expected each stage once");
      }
      return this;
    }

    /**
     * Sets the CORS configuration.
     *
     * @param cors the configuration, or null for none
     * @return this builder
     */
    public Builder cors(@Nullable CorsConfiguration cors) {
      this.cors = cors;
      return this;
    }

    /**
     * Checks the routes against each other and against the stages, and builds the definition.
     *
     * @return the definition
     * @throws InvalidRouteException if two routes have the same key, or keys that differ only in variable names
     * @throws InvalidConfigException if an integration uri uses a stage variable that a stage does not define
     */
    public ApiDefinition build() {
      RouteTable<Integration> table = routes.build();
      List<Stage> declared = List.copyOf(stages.values());
      List<Stage> deployed = declared.isEmpty() ? List.of(Stage.of(Stage.DEFAULT_NAME)) : declared;
      for (Route<Integration> route : added) {
        Integration integration = route.value();
        for (String variable : IntegrationUris.stageVariables(integration.uri())) {
          Stage missing = stageWithout(deployed, variable);
          if (missing != null) {
            throw new InvalidConfigException("route '" + route.key().text() + "': integration uri '"
                + integration.uri() + "' uses ${stageVariables." + variable + "}, which stage '" + missing.name()
                + "' does not define: expected every stage to define it");
          }
        }
        List<String> values = new ArrayList<>(integration.requestParameters().values());
        integration.responseParameters().values().forEach(mappings -> values.addAll(mappings.values()));
        for (String value : values) {
          for (String variable : ParameterMappings.stageVariables(value)) {
            Stage missing = stageWithout(deployed, variable);
            if (missing != null) {
              throw new InvalidConfigException("route '" + route.key().text() + "': parameter mapping value '" + value
                  + "' uses stage variable " + variable + ", which stage '" + missing.name()
                  + "' does not define: expected every stage to define it");
            }
          }
        }
      }
      return new ApiDefinition(table, deployed, declared, cors, source, routePointers);
    }
  }
}
