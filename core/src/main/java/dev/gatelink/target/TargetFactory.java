package dev.gatelink.target;

import dev.gatelink.config.InvalidConfigException;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * Makes targets from integration uris the way a gateway does: each {@link TargetProvider} is asked in turn and
 * the first that claims the uri makes the target; a uri nobody claims, or one its provider refuses, is an
 * {@link InvalidConfigException} naming the uri, where it was written and who was asked. The gateway uses one
 * for its integrations; code that needs targets outside an API (the TLS-passthrough listener's routes, for
 * example) builds its own.
 *
 * <p>Targets it makes are not started: whoever asked starts and closes them. Instances are immutable and may be
 * shared between threads.
 */
public final class TargetFactory implements TargetContext {
  private final Vertx vertx;
  private final List<TargetProvider> providers;
  private final Map<String, Endpoint> overrides;

  private TargetFactory(Builder builder) {
    this.vertx = builder.vertx;
    this.providers = List.copyOf(builder.providers);
    this.overrides = Map.copyOf(builder.overrides);
  }

  /**
   * A builder of a factory with no providers yet.
   *
   * @param vertx the Vert.x instance the targets run on
   * @return the builder
   */
  public static Builder builder(Vertx vertx) {
    return new Builder(vertx);
  }

  /**
   * Makes the target of a uri: the first provider that claims it makes it.
   *
   * @param spec the uri and what goes with it
   * @param where where the uri was written, for messages, such as {@code route GET /orders}
   * @return the target, not started
   * @throws InvalidConfigException if no provider claims the uri, or the one that claims it refuses it (the
   *     provider's exception is the cause)
   */
  public Target create(TargetSpec spec, String where) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(where, "where");
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
    throw new InvalidConfigException(where + ": integration uri '" + spec.uri()
        + "' is not claimed by any target provider: asked " + asked());
  }

  /** {@return the providers asked, in order, and what each accepts, as error messages list them} */
  public String asked() {
    StringBuilder asked = new StringBuilder();
    for (TargetProvider provider : providers) {
      asked.append(asked.length() == 0 ? "" : "; ").append(provider.name()).append(" (").append(provider.accepts())
          .append(')');
    }
    return asked.length() == 0 ? "none" : asked.toString();
  }

  /** {@return the providers asked, in order} */
  public List<TargetProvider> providers() {
    return providers;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public @Nullable Endpoint override(String target) {
    return overrides.get(target);
  }

  /** Builds a {@link TargetFactory}: providers are asked in the order they are added. */
  public static final class Builder {
    private final Vertx vertx;
    private final List<TargetProvider> providers = new ArrayList<>();
    private final Map<String, Endpoint> overrides = new LinkedHashMap<>();

    private Builder(Vertx vertx) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
    }

    /**
     * Adds a provider, asked after those added before it.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder provider(TargetProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Adds the providers found with {@link ServiceLoader} ({@code META-INF/services/dev.gatelink.target.TargetProvider}),
     * asked after those added before.
     *
     * @return this builder
     */
    public Builder serviceProviders() {
      for (TargetProvider provider : ServiceLoader.load(TargetProvider.class)) {
        providers.add(provider);
      }
      return this;
    }

    /**
     * Sends connections meant for a name to another address, as curl's {@code --resolve} does; providers read it
     * with {@link TargetContext#override(String)}.
     *
     * @param target a host name, {@code host:port}, or a whole integration uri such as a listener ARN
     * @param endpoint the endpoint to connect to instead
     * @return this builder
     */
    public Builder resolve(String target, Endpoint endpoint) {
      overrides.put(Objects.requireNonNull(target, "target"), Objects.requireNonNull(endpoint, "endpoint"));
      return this;
    }

    /** {@return the factory} */
    public TargetFactory build() {
      return new TargetFactory(this);
    }
  }
}
