package dev.gatelink.nlb.passthrough;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.Target;
import dev.gatelink.target.TlsPolicy;
import io.vertx.core.Future;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A target of one endpoint that records what it hears; {@code async} makes the listener wait on {@code select()}. */
final class FixedTarget implements Target {
  final String name;
  final Endpoint endpoint;
  final boolean async;
  final BlockingQueue<Outcome> reports = new LinkedBlockingQueue<>();

  FixedTarget(String name, Endpoint endpoint, boolean async) {
    this.name = name;
    this.endpoint = endpoint;
    this.async = async;
  }

  static FixedTarget at(String name, int port) {
    return new FixedTarget(name, Endpoint.of("127.0.0.1", port), false);
  }

  @Override
  public @Nullable Endpoint selectNow() {
    return async ? null : endpoint;
  }

  @Override
  public Future<Endpoint> select() {
    return Future.succeededFuture(endpoint);
  }

  @Override
  public void report(Endpoint picked, Outcome outcome) {
    if (!picked.equals(endpoint)) {
      throw new AssertionError("target " + name + " heard of " + picked + ", not its " + endpoint);
    }
    reports.add(outcome);
  }

  @Override
  public TlsPolicy tls() {
    return TlsPolicy.none();
  }

  /** {@return the next report, waiting up to 10 s} */
  Outcome nextReport() throws InterruptedException {
    Outcome outcome = reports.poll(10, TimeUnit.SECONDS);
    if (outcome == null) {
      throw new AssertionError("target " + name + " heard no report within 10 s");
    }
    return outcome;
  }

  @Override
  public String toString() {
    return "FixedTarget[" + name + "]";
  }
}
