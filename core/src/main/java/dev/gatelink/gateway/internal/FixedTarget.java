package dev.gatelink.gateway.internal;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Target;
import io.vertx.core.Future;
import org.jspecify.annotations.Nullable;

/** A target of one endpoint: a URL's host and port, or the address an override sends a uri to. */
final class FixedTarget implements Target {
  private final Endpoint endpoint;
  private final Future<Endpoint> selected;
  private final @Nullable String tlsServerName;

  FixedTarget(Endpoint endpoint, @Nullable String tlsServerName) {
    this.endpoint = endpoint;
    this.selected = Future.succeededFuture(endpoint);
    this.tlsServerName = tlsServerName;
  }

  @Override
  public Endpoint selectNow() {
    return endpoint;
  }

  @Override
  public Future<Endpoint> select() {
    return selected;
  }

  @Override
  public @Nullable String tlsServerName() {
    return tlsServerName;
  }

  @Override
  public String toString() {
    return "FixedTarget[" + endpoint + (tlsServerName == null ? "" : ", tls " + tlsServerName) + "]";
  }
}
