package dev.gatelink.gateway.internal;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetFactory;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.target.TlsPolicy;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import dev.gatelink.config.InvalidConfigException;

/**
 * The providers a gateway asks, in order (those registered in code, those found with {@code ServiceLoader},
 * then the built-in URL provider), through a {@link TargetFactory}, and the overrides of whole uris.
 */
final class TargetRegistry implements TargetContext {
  private final TargetFactory factory;
  private final Map<String, Endpoint> overrides;

  TargetRegistry(Vertx vertx, List<TargetProvider> registered, Map<String, Endpoint> overrides) {
    TargetFactory.Builder factory = TargetFactory.builder(vertx);
    registered.forEach(factory::provider);
    factory.serviceProviders().provider(new UrlTargetProvider());
    overrides.forEach(factory::resolve);
    this.factory = factory.build();
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
      return Target.fixed(override, TlsPolicy.ofNullable(spec.privateIntegration() ? spec.serverNameToVerify() : null));
    }
    return factory.create(spec, where);
  }

  @Override
  public Vertx vertx() {
    return factory.vertx();
  }

  @Override
  public @Nullable Endpoint override(String target) {
    return overrides.get(target);
  }
}
