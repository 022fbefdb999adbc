package dev.gatelink.gateway.internal;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.target.TlsPolicy;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import dev.gatelink.config.InvalidConfigException;

/**
 * The providers a gateway asks, in order (those registered in code, those found with {@link ServiceLoader},
 * then the built-in URL provider), and the context they get.
 */
final class TargetRegistry implements TargetContext {
  private final Vertx vertx;
  private final List<TargetProvider> providers;
  private final Map<String, Endpoint> overrides;

  TargetRegistry(Vertx vertx, List<TargetProvider> registered, Map<String, Endpoint> overrides) {
    this.vertx = vertx;
    List<TargetProvider> all = new ArrayList<>(registered);
    for (TargetProvider provider : ServiceLoader.load(TargetProvider.class)) {
      all.add(provider);
    }
    all.add(new UrlTargetProvider());
    this.providers = List.copyOf(all);
    this.overrides = Map.copyOf(overrides);
  }

  /**
   * The target for a spec: the override for the whole uri if there is one, else the first provider that
   * claims it.
   *
   * @throws InvalidConfigException if no provider claims the uri or the claiming provider finds it malformed
   */
  Target create(TargetSpec spec, String where) {
    Endpoint override = overrides.get(spec.uri());
    if (override != null) {
      return new FixedTarget(override, TlsPolicy.ofNullable(spec.privateIntegration() ? spec.serverNameToVerify() : null));
    }
    for (TargetProvider provider : providers) {
      Target target;
      try {
        target = provider.create(spec, this);
      } catch (IllegalArgumentException e) {
        // The provider's exception is the cause: a TargetOptionException names the option it refused.
        throw new InvalidConfigException(null, null, where + ": target provider " + provider.name()
            + " refused integration uri '" + spec.uri() + "'" + (spec.options().asMap().isEmpty() ? ""
            : " with target options " + spec.options().asMap()) + ": " + e.getMessage(), e);
      }
      if (target != null) {
        return target;
      }
    }
    StringBuilder asked = new StringBuilder();
    for (TargetProvider provider : providers) {
      asked.append(asked.length() == 0 ? "" : "; ").append(provider.name()).append(" (").append(provider.accepts())
          .append(')');
    }
    throw new InvalidConfigException(where + ": integration uri '" + spec.uri()
        + "' is not claimed by any target provider: asked " + asked);
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public @Nullable Endpoint override(String target) {
    return overrides.get(target);
  }
}
