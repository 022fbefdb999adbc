package dev.gatelink.gateway.internal;

import dev.gatelink.route.Route;
import dev.gatelink.route.RouteTable;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  static CompiledApi compile(ApiDefinition definition, TargetRegistry registry) {
    Map<TargetSpec, Target> targets = new LinkedHashMap<>();
    try {
      return compile(definition, registry, targets);
    } catch (RuntimeException e) {
      GatewayEngine.closeAll(List.copyOf(targets.values()));
      throw e;
    }
  }

  private static CompiledApi compile(ApiDefinition definition, TargetRegistry registry,
      Map<TargetSpec, Target> targets) {
    StagePlan defaultStage = null;
    List<StagePlan> named = new ArrayList<>();
    for (Stage stage : definition.stages()) {
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
            throw located(definition, route, e.problem(), e);
          }
          targets.put(spec, target);
        }
        RoutePlan plan;
        try {
          plan = new RoutePlan(route.key(), stage.name(), integration, uri, target);
        } catch (InvalidConfigException e) {
          throw located(definition, route, where + ": " + e.problem(), e);
        }
        table.add(route.key(), plan);
      }
      StagePlan plan = new StagePlan(stage.name(), table.build());
      if (stage.isDefault()) {
        defaultStage = plan;
      } else {
        named.add(plan);
      }
    }
    return new CompiledApi(definition, defaultStage, named.toArray(new StagePlan[0]), List.copyOf(targets.values()));
  }

  /** The problem, at the file and operation the route was read from when the definition was loaded from one. */
  private static InvalidConfigException located(ApiDefinition definition, Route<Integration> route, String problem,
      InvalidConfigException cause) {
    return new InvalidConfigException(definition.source().orElse(null),
        definition.source().isPresent() ? definition.routePointer(route.key()).orElse(null) : null, problem, cause);
  }

  /** A stage's name and its compiled routes. */
  static final class StagePlan {
    final String name;
    final RouteTable<RoutePlan> routes;

    StagePlan(String name, RouteTable<RoutePlan> routes) {
      this.name = name;
      this.routes = routes;
    }
  }
}
