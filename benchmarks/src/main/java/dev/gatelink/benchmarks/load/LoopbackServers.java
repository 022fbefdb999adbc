package dev.gatelink.benchmarks.load;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Starts one HTTP/1.1 server per event loop, all on the same port, the way a Vert.x application scales a
 * server over its event loops: one verticle instance per loop, and Vert.x shares the port and hands accepted
 * connections to the instances in turn.
 *
 * <p>Port 0 is allowed. The instances of one call then listen on a negative port of their own (-1, -2, ...):
 * Vert.x reads a negative port as "a free port, shared by the servers of this Vert.x instance that ask for
 * the same negative port". Port 0 itself would give each instance a port of its own.
 */
final class LoopbackServers {
  /** The listen backlog of every server here, the same as the nginx configuration's. */
  static final int ACCEPT_BACKLOG = 4096;

  /** The next negative port: one per call of {@link #listen}, so that two calls never share a port. */
  private static final AtomicInteger NEXT_SHARED_RANDOM_PORT = new AtomicInteger(-1);

  private LoopbackServers() {}

  /**
   * Deploys {@code instances} servers.
   *
   * @param vertx the Vert.x instance; give it at least {@code instances} event loops
   * @param host the address to bind
   * @param port the port, or 0 for a free one
   * @param instances how many servers (event loops) share the port
   * @param handlers makes each server's request handler; called once per server, on its event loop
   * @return the port the servers listen on
   */
  static Future<Integer> listen(
      Vertx vertx, String host, int port, int instances, Supplier<Handler<HttpServerRequest>> handlers) {
    return listen(vertx, new HttpServerOptions().setHost(host).setPort(port), instances, handlers);
  }

  /**
   * Deploys {@code instances} servers with the given options (TLS, say), their accept backlog set to
   * {@link #ACCEPT_BACKLOG}.
   *
   * @param vertx the Vert.x instance; give it at least {@code instances} event loops
   * @param base the servers' options, copied; their port may be 0 for a free one
   * @param instances how many servers (event loops) share the port
   * @param handlers makes each server's request handler; called once per server, on its event loop
   * @return the port the servers listen on
   */
  static Future<Integer> listen(
      Vertx vertx, HttpServerOptions base, int instances, Supplier<Handler<HttpServerRequest>> handlers) {
    HttpServerOptions options = new HttpServerOptions(base).setAcceptBacklog(ACCEPT_BACKLOG);
    if (options.getPort() == 0) {
      options.setPort(NEXT_SHARED_RANDOM_PORT.getAndDecrement());
    }
    AtomicInteger actual = new AtomicInteger();
    return vertx.deployVerticle(() -> new VerticleBase() {
          @Override
          public Future<?> start() {
            return vertx.createHttpServer(options)
                .requestHandler(handlers.get())
                .listen()
                .onSuccess(server -> actual.set(server.actualPort()));
          }
        }, new DeploymentOptions().setInstances(instances))
        .map(id -> actual.get());
  }
}
