package dev.gatelink.target;

import io.vertx.core.Future;

/** A target of one endpoint ({@link Target#fixed}): a URL's host and port, the address an override sends a uri to. */
final class FixedTarget implements Target {
  private final Endpoint endpoint;
  private final Future<Endpoint> selected;
  private final TlsPolicy tls;

  FixedTarget(Endpoint endpoint, TlsPolicy tls) {
    this.endpoint = endpoint;
    this.selected = Future.succeededFuture(endpoint);
    this.tls = tls;
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
  public TlsPolicy tls() {
    return tls;
  }

  @Override
  public String toString() {
    return "FixedTarget[" + endpoint + (tls.tls() ? ", " + tls : "") + "]";
  }
}
