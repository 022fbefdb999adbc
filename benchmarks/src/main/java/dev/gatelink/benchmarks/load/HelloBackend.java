package dev.gatelink.benchmarks.load;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;

/**
 * The load benchmark's backend: a Vert.x HTTP/1.1 server that answers every request, on any path and with
 * any method, with status 200, {@code content-type: text/plain} and the body {@code hello world\n}
 * (12 bytes), optionally after a fixed delay.
 *
 * <p>Run it from the benchmarks jar:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.gatelink.benchmarks.load.HelloBackend \
 *     [--host 127.0.0.1] [--port 0] [--event-loops 1] [--transport auto] [--delay-ms 0]
 * </pre>
 *
 * <p>When it is ready to serve, it prints exactly one line to standard output, {@code listening on PORT}
 * (for example {@code listening on 40123}), where {@code PORT} is the bound port (a free one when
 * {@code --port 0}, the default). It then serves until the process is stopped. It uses one event loop unless
 * {@code --event-loops} says otherwise, as the nginx backend of {@code ../shared/benchmarking.md} uses one
 * worker. {@code --delay-ms} delays each answer by that many milliseconds (on a timer, not blocking the
 * event loop); it exists to check that {@link OpenLoopLoad} reports a known latency.
 */
public final class HelloBackend {
  /** The body of every answer. */
  public static final String BODY = "hello world\n";

  private static final String USAGE =
      "HelloBackend [--host 127.0.0.1] [--port 0] [--event-loops 1] [--transport auto] [--delay-ms 0]";
  private static final List<String> OPTIONS = List.of("host", "port", "event-loops", "transport", "delay-ms");
  private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain");

  private HelloBackend() {}

  /**
   * Starts the backend on an existing Vert.x instance.
   *
   * @param vertx the Vert.x instance; it should have at least {@code eventLoops} event loops
   * @param host the address to bind, normally {@code 127.0.0.1}
   * @param port the port, or 0 for a free one
   * @param eventLoops how many event loops serve (one server instance per loop)
   * @param delay how long to wait before answering; {@link Duration#ZERO} to answer at once
   * @return the port the backend listens on
   */
  public static Future<Integer> start(Vertx vertx, String host, int port, int eventLoops, Duration delay) {
    Buffer body = Buffer.buffer(BODY);
    long delayMillis = delay.toMillis();
    return LoopbackServers.listen(vertx, host, port, eventLoops, () -> handler(vertx, body, delayMillis));
  }

  private static Handler<HttpServerRequest> handler(Vertx vertx, Buffer body, long delayMillis) {
    if (delayMillis <= 0) {
      return request -> answer(request, body);
    }
    return request -> vertx.setTimer(delayMillis, id -> answer(request, body));
  }

  private static void answer(HttpServerRequest request, Buffer body) {
    MultiMap headers = request.response().headers();
    headers.set(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN);
    request.response().end(body);
  }

  /**
   * Runs the backend until the process is stopped.
   *
   * @param args {@code [--host H] [--port P] [--event-loops N] [--transport T] [--delay-ms MS]}; the transport
   *     is one of {@link VertxTransports#NAMES}
   * @throws Exception if the program cannot start
   */
  public static void main(String[] args) throws Exception {
    CommandLine.run(USAGE, () -> {
      CommandLine options = CommandLine.parse("HelloBackend", args, OPTIONS);
      String host = options.string("host", "127.0.0.1");
      int port = options.integer("port", 0, 0, 65535);
      int eventLoops = options.integer("event-loops", 1, 1, 64);
      Duration delay = Duration.ofMillis(options.integer("delay-ms", 0, 0, 60_000));
      Vertx vertx = VertxTransports.vertx("HelloBackend", options.string("transport", "auto"), eventLoops);
      start(vertx, host, port, eventLoops, delay)
          .onSuccess(actual -> System.out.println("listening on " + actual))
          .onFailure(failure -> {
            System.err.println("HelloBackend: cannot listen on " + host + ":" + port + ": " + failure);
            System.exit(1);
          });
    });
  }
}
