package dev.gatelink.examples.gateway;

import dev.gatelink.gateway.Gateway;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP server on its verticle's event loop, made by the gateway ({@link Gateway#createHttpServer}): every
 * request goes to the gateway, every connection through its front door. The runner deploys one
 * instance per event loop, all on the same address (Vert.x shares the listening socket between them and
 * spreads connections across the loops); undeploying it shuts its server down gracefully: no new connections,
 * requests in flight finish, for at most the drain time.
 */
final class ServerVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final Gateway gateway;
  private final Duration drain;
  private @Nullable HttpServer server;
  private volatile @Nullable String thread;

  /**
   * @param options the server options, with host and port; a negative port shares one free port between the
   *     instances
   * @param gateway the gateway, which makes the server
   * @param drain how long shutting down waits for requests in flight
   */
  ServerVerticle(HttpServerOptions options, Gateway gateway, Duration drain) {
    this.options = new HttpServerOptions(options);
    this.gateway = gateway;
    this.drain = drain;
  }

  @Override
  public Future<?> start() {
    thread = Thread.currentThread().getName();
    HttpServer created = gateway.createHttpServer(options);
    server = created;
    return created.listen();
  }

  @Override
  public Future<?> stop() {
    HttpServer created = server;
    return created == null ? Future.succeededFuture() : created.shutdown(drain.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** {@return the name of the event-loop thread the server runs on, or null before it starts} */
  @Nullable String thread() {
    return thread;
  }

  /** {@return the port the server listens on, or 0 before it listens} */
  int actualPort() {
    HttpServer created = server;
    return created == null ? 0 : created.actualPort();
  }
}
