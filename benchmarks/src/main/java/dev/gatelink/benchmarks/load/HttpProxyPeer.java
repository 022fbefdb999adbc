package dev.gatelink.benchmarks.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;
import java.util.List;

/**
 * The {@code vertx-http-proxy} peer: Vert.x's own reverse proxy ({@code io.vertx:vertx-http-proxy}, the
 * version of the Vert.x BOM) in front of one origin, with the defaults of {@code HttpProxy.reverseProxy(client)}
 * (no cache, no interceptors).
 *
 * <p>Run it from the benchmarks jar:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.gatelink.benchmarks.load.HttpProxyPeer \
 *     --backend-port PORT [--backend-host 127.0.0.1] [--pool-size 64] [--event-loops 2] [--transport auto] \
 *     [--host 127.0.0.1] [--port 0]
 * </pre>
 *
 * <p>One HTTP/1.1 server per event loop shares the listening port (2 event loops by default, as many as
 * Gatelink's runner uses). All of them forward through one {@link HttpClient} with keep-alive and a pool of
 * {@code --pool-size} connections to the origin ({@link PoolOptions#setHttp1MaxSize(int)}; Vert.x's default
 * of 5 would starve it). Each connection lives on the event loop of the request that opened it. Its Vert.x
 * runs on the transport that {@code --transport} names ({@link VertxTransports}; {@code auto} by default, as
 * Gatelink's runner): the load script gives it the same one as the runner, so that the comparison is fair.
 *
 * <p>When it is ready, it prints exactly one line to standard output, {@code listening on PORT}.
 */
public final class HttpProxyPeer {
  private static final String USAGE = "HttpProxyPeer --backend-port PORT [--backend-host 127.0.0.1]"
      + " [--pool-size 64] [--event-loops 2] [--transport auto] [--host 127.0.0.1] [--port 0]";
  private static final List<String> OPTIONS =
      List.of("host", "port", "event-loops", "transport", "backend-host", "backend-port", "pool-size");

  private HttpProxyPeer() {}

  /**
   * Starts the proxy on an existing Vert.x instance.
   *
   * @param vertx the Vert.x instance; it should have at least {@code eventLoops} event loops
   * @param host the address to bind
   * @param port the port, or 0 for a free one
   * @param eventLoops how many event loops serve (one server instance per loop)
   * @param backendHost the origin's host
   * @param backendPort the origin's port
   * @param poolSize the most HTTP/1.1 connections to the origin
   * @return the port the proxy listens on
   */
  public static Future<Integer> start(
      Vertx vertx, String host, int port, int eventLoops, String backendHost, int backendPort, int poolSize) {
    HttpClient client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(poolSize))
        .build();
    return LoopbackServers.listen(
        vertx, host, port, eventLoops, () -> HttpProxy.reverseProxy(client).origin(backendPort, backendHost));
  }

  /**
   * Runs the proxy until the process is stopped.
   *
   * @param args {@code --backend-port P [--backend-host H] [--pool-size N] [--event-loops N] [--transport T]
   *     [--host H] [--port P]}; the transport is one of {@link VertxTransports#NAMES}
   * @throws Exception if the program cannot start
   */
  public static void main(String[] args) throws Exception {
    CommandLine.run(USAGE, () -> {
      CommandLine options = CommandLine.parse("HttpProxyPeer", args, OPTIONS);
      String host = options.string("host", "127.0.0.1");
      int port = options.integer("port", 0, 0, 65535);
      int eventLoops = options.integer("event-loops", 2, 1, 64);
      String backendHost = options.string("backend-host", "127.0.0.1");
      int backendPort = options.requiredInteger("backend-port", 1, 65535);
      int poolSize = options.integer("pool-size", 64, 1, 100_000);
      Vertx vertx = VertxTransports.vertx("HttpProxyPeer", options.string("transport", "auto"), eventLoops);
      start(vertx, host, port, eventLoops, backendHost, backendPort, poolSize)
          .onSuccess(actual -> System.out.println("listening on " + actual))
          .onFailure(failure -> {
            System.err.println("HttpProxyPeer: cannot listen on " + host + ":" + port + ": " + failure);
            System.exit(1);
          });
    });
  }
}
