package dev.gatelink.target;

import io.vertx.core.Vertx;
import org.jspecify.annotations.Nullable;

/** What the gateway gives a provider to create targets with. */
public interface TargetContext {
  /** {@return the Vert.x instance the gateway runs on; targets use its timers and clients} */
  Vertx vertx();

  /**
   * The address that requests to a target name must go to instead of the configured one, as curl's
   * {@code --resolve} does: the Host header and the TLS server name stay those of the configuration.
   *
   * @param target a host name, {@code host:port}, or a whole integration uri such as a listener ARN
   * @return the endpoint to dial instead, or null when there is no override for this name
   */
  @Nullable Endpoint override(String target);

}
