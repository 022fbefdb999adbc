package dev.gatelink.gateway.internal;

import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.WrittenTargetOptions;
import dev.gatelink.filter.GatewayFilter;
import dev.gatelink.route.Route;
import dev.gatelink.route.RouteTable;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import dev.gatelink.internal.IntegrationUris;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.Stage;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/**
 * An {@link ApiDefinition} compiled for serving: per stage, a route table whose values are {@link RoutePlan}s
 * with their targets. Immutable once built; the gateway publishes it in one volatile field, and a request
 * reads that field once.
 */
final class CompiledApi {
  private static final Log MAPPING_LOG = new Log("dev.gatelink.gateway.ParameterMapping");
  final ApiDefinition definition;
  final @Nullable StagePlan defaultStage;
  final StagePlan[] namedStages;
  final List<Target> targets;

  private CompiledApi(ApiDefinition definition, @Nullable StagePlan defaultStage, StagePlan[] namedStages,
      List<Target> targets) {
    this.definition = definition;
    this.defaultStage = defaultStage;
    this.namedStages = namedStages;
    this.targets = targets;
  }

  /**
   * Compiles the definition and creates its targets (not started). If it fails, the targets created so far
   * are closed before the error is thrown: a provider may hold resources from {@code create} on.
   */
  static CompiledApi compile(ApiDefinition definition, TargetRegistry registry, EngineSettings settings,
      Supplier<AccessLogWriter> accessLog) {
    for (String key : settings.routeFilters().keySet()) {
      if (definition.routeTable().routes().stream().noneMatch(route -> route.key().text().equals(key))) {
        throw new InvalidConfigException("filter for route '" + key + "': the API has no such route: expected one of "
            + definition.routes().stream().map(route -> "'" + route.key().text() + "'")
                .collect(java.util.stream.Collectors.joining(", ")));
      }
    }
    Map<TargetSpec, Target> targets = new LinkedHashMap<>();
    try {
      return compile(definition, registry, settings, accessLog, targets);
    } catch (RuntimeException e) {
      GatewayEngine.closeAll(List.copyOf(targets.values()));
      throw e;
    }
  }

  private static CompiledApi compile(ApiDefinition definition, TargetRegistry registry, EngineSettings settings,
      Supplier<AccessLogWriter> accessLog, Map<TargetSpec, Target> targets) {
    CorsFilter cors = definition.cors().map(configuration -> new CorsFilter(CorsPolicy.of(configuration))).orElse(null);
    StagePlan defaultStage = null;
    List<StagePlan> named = new ArrayList<>();
    for (Stage stage : definition.stages()) {
      // The stage's chain: the access log first (its completion step sees every request), CORS (its preflight
      // answer before any filter of the user's, its headers on every answer), then the gateway's filters.
      List<GatewayFilter> stageFilters = new ArrayList<>();
      stage.accessLogSettings().ifPresent(
          log -> stageFilters.add(new AccessLogFilter(AccessLogFormat.of(log), accessLog.get())));
      if (cors != null) {
        stageFilters.add(cors);
      }
      stageFilters.addAll(settings.filters());
      RouteTable.Builder<RoutePlan> table = RouteTable.builder();
      for (Route<Integration> route : definition.routes()) {
        Integration integration = route.value();
        String uri = IntegrationUris.withStageVariables(integration.uri(), stage.variables());
        String where = "stage '" + stage.name() + "', route '" + route.key().text() + "'";
        TargetSpec spec = new TargetSpec(uri, integration.connectionType() == ConnectionType.VPC_LINK,
            integration.connectionId(), integration.serverNameToVerify(), integration.targetOptions());
        Target target = targets.get(spec);
        if (target == null) {
          try {
            target = registry.create(spec, where);
          } catch (InvalidConfigException e) {
            throw located(definition, route,
                e.getCause() instanceof TargetOptionException refused ? refused.option() : null, e.problem(), e);
          }
          targets.put(spec, target);
        }
        RoutePlan plan;
        try {
          List<GatewayFilter> routeFilters = new ArrayList<>(stageFilters);
          routeFilters.addAll(settings.routeFilters().getOrDefault(route.key().text(), List.of()));
          // Last: its request step changes what the backend gets after every other filter decided; its
          // response step runs first, on the integration's own response.
          ParameterMappingFilter mappings = ParameterMappingFilter.of(integration, MAPPING_LOG);
          if (mappings != null) {
            routeFilters.add(mappings);
          }
          plan = new RoutePlan(route.key(), stage.name(), integration, uri, target, chain(routeFilters));
        } catch (InvalidConfigException e) {
          throw located(definition, route, null, where + ": " + e.problem(), e);
        }
        table.add(route.key(), plan);
      }
      StagePlan plan = new StagePlan(stage.name(), stage.variables(), table.build(), chain(stageFilters));
      if (stage.isDefault()) {
        defaultStage = plan;
      } else {
        named.add(plan);
      }
    }
    return new CompiledApi(definition, defaultStage, named.toArray(new StagePlan[0]), List.copyOf(targets.values()));
  }

  /**
   * The problem, at the file and operation the route was read from when the definition was loaded from one; at
   * the operation's {@code x-gatelink-target} option when it is about one.
   */
  private static InvalidConfigException located(ApiDefinition definition, Route<Integration> route,
      @Nullable String option, String problem, InvalidConfigException cause) {
    String pointer = definition.source().isPresent() ? definition.routePointer(route.key()).orElse(null) : null;
    if (pointer != null && option != null && route.value().targetOptions() instanceof WrittenTargetOptions written
        && written.pointer(option) != null) {
      pointer = written.pointer(option);
    }
    return new InvalidConfigException(definition.source().orElse(null), pointer, problem, cause);
  }

  private static FilterChain chain(List<GatewayFilter> filters) {
    return filters.isEmpty() ? FilterChain.EMPTY : new FilterChain(filters);
  }

  /**
   * A stage's name, variables and compiled routes, and the chain of the requests that reach the stage but no
   * route (the filters of every route, without those of one route).
   */
  static final class StagePlan {
    final String name;
    final Map<String, String> variables;
    final RouteTable<RoutePlan> routes;
    final FilterChain missChain;

    StagePlan(String name, Map<String, String> variables, RouteTable<RoutePlan> routes, FilterChain missChain) {
      this.name = name;
      this.variables = variables;
      this.routes = routes;
      this.missChain = missChain;
    }
  }
}
