package dev.gatelink.benchmarks.load;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * Starts one HTTP/1.1 server per event loop, all on the same port, the way a Vert.x application scales a
 * server over its event loops (one verticle instance per loop; Vert.x shares the port and hands accepted
 * connections to the instances in turn).
 *
 * <p>Port 0 is allowed: the first instance binds it, and the others then bind the port it got.
 */
final class LoopbackServers {
  /** The listen backlog of every server here, the same as the nginx and HAProxy configurations. */
  static final int ACCEPT_BACKLOG = 4096;

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
    ServerVerticle first = new ServerVerticle(host, port, handlers);
    return vertx.deployVerticle(first)
        .compose(id -> instances == 1
            ? Future.succeededFuture(first.actualPort)
            : vertx.deployVerticle(() -> new ServerVerticle(host, first.actualPort, handlers),
                new DeploymentOptions().setInstances(instances - 1)).map(id2 -> first.actualPort));
  }

  private static final class ServerVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final Supplier<Handler<HttpServerRequest>> handlers;
    // Written on the server's event loop before its deployment completes; read after that.
    volatile int actualPort;

    ServerVerticle(String host, int port, Supplier<Handler<HttpServerRequest>> handlers) {
      this.host = host;
      this.port = port;
      this.handlers = handlers;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions()
              .setHost(host)
              .setPort(port)
              .setAcceptBacklog(ACCEPT_BACKLOG))
          .requestHandler(handlers.get())
          .listen()
          .onSuccess(server -> actualPort = server.actualPort());
    }
  }
}
