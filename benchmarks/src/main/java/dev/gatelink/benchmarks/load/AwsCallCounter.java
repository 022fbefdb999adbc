package dev.gatelink.benchmarks.load;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A counting HTTP proxy in front of an AWS API emulator (moto): the Cloud Map load benchmark
 * ({@code benchmarks/scripts/cloudmap-bench.sh}) points Gatelink's {@code --aws-endpoint} at it, so that the
 * report can say how many Cloud Map calls Gatelink made, of which operation, and when.
 *
 * <p>Every request is forwarded to the target as it came: the same method, URI, headers and body (only the
 * hop-by-hop headers, {@code Host} and {@code Content-Length} are set anew by the client), and the target's
 * status, headers and body go back unchanged. Each forwarded call is recorded with its operation (the part
 * of the {@code X-Amz-Target} header after the last dot, for example {@code DiscoverInstances} from
 * {@code Route53AutoNaming_v20170314.DiscoverInstances}; {@code METHOD PATH} for a request without one), the
 * time it arrived (epoch milliseconds), the target's status (0 if the target could not be reached, and then
 * the caller gets a 502) and how long the target took.
 *
 * <p>{@code GET /counts} without an {@code X-Amz-Target} header is not forwarded (AWS's JSON protocol only
 * sends {@code POST /}): it answers the record as JSON,
 * {@code {"counts":{"DiscoverInstances":3,...},"calls":[{"op":"DiscoverInstances","at_ms":...,"status":200,"took_us":...},...]}}.
 * When the process stops (SIGTERM), it prints the counts as one line, {@code counts {...}}, to standard output.
 *
 * <p>Run it from the benchmarks jar:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.gatelink.benchmarks.load.AwsCallCounter \
 *     --target-port PORT [--target-host 127.0.0.1] [--host 127.0.0.1] [--port 0]
 * </pre>
 *
 * <p>When it is ready, it prints exactly one line to standard output, {@code listening on PORT}. It runs on one
 * event loop: it sees a few calls a minute.
 */
public final class AwsCallCounter {
  /** The path of the record; only with {@code GET} and without {@code X-Amz-Target}. */
  public static final String COUNTS_PATH = "/counts";

  private static final String USAGE =
      "AwsCallCounter --target-port PORT [--target-host 127.0.0.1] [--host 127.0.0.1] [--port 0]";
  private static final List<String> OPTIONS = List.of("target-port", "target-host", "host", "port");
  private static final String AMZ_TARGET = "X-Amz-Target";
  /** Headers of one connection, not of the request: the client to the target sets its own. */
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
      "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");

  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Integer> counts = new TreeMap<>();

  /** One forwarded call. */
  record Call(String op, long atMillis, int status, long tookMicros) {
    JsonObject toJson() {
      return new JsonObject().put("op", op).put("at_ms", atMillis).put("status", status).put("took_us", tookMicros);
    }
  }

  private AwsCallCounter() {}

  /**
   * Starts a counter on an existing Vert.x instance.
   *
   * @param vertx the Vert.x instance
   * @param host the address to bind, normally {@code 127.0.0.1}
   * @param port the port, or 0 for a free one
   * @param targetHost the emulator's address
   * @param targetPort the emulator's port
   * @return the counter, once it listens; {@link Started#port()} is its port
   */
  public static Future<Started> start(Vertx vertx, String host, int port, String targetHost, int targetPort) {
    AwsCallCounter counter = new AwsCallCounter();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(8));
    return LoopbackServers.listen(vertx, host, port, 1,
            () -> request -> counter.handle(request, client, targetHost, targetPort))
        .map(actual -> new Started(counter, actual));
  }

  /** A running counter and its port. */
  public record Started(AwsCallCounter counter, int port) {}

  /** {@return the number of calls of each operation so far} */
  public synchronized Map<String, Integer> counts() {
    return new TreeMap<>(counts);
  }

  /** {@return the record as the JSON that {@code GET /counts} answers} */
  public synchronized JsonObject toJson() {
    JsonObject byOp = new JsonObject();
    counts.forEach(byOp::put);
    JsonArray list = new JsonArray();
    calls.forEach(call -> list.add(call.toJson()));
    return new JsonObject().put("counts", byOp).put("calls", list);
  }

  private synchronized void record(Call call) {
    calls.add(call);
    counts.merge(call.op(), 1, Integer::sum);
  }

  private void handle(HttpServerRequest request, HttpClient client, String targetHost, int targetPort) {
    String amzTarget = request.getHeader(AMZ_TARGET);
    if (amzTarget == null && request.method() == HttpMethod.GET && COUNTS_PATH.equals(request.path())) {
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(toJson().encode());
      return;
    }
    String op = amzTarget != null ? amzTarget.substring(amzTarget.lastIndexOf('.') + 1)
        : request.method().name() + " " + request.path();
    long atMillis = System.currentTimeMillis();
    long started = System.nanoTime();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request.headers().forEach(header -> {
      if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        headers.add(header.getKey(), header.getValue());
      }
    });
    RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(targetHost)
        .setPort(targetPort).setURI(request.uri()).setHeaders(headers);
    request.body()
        .compose(body -> client.request(options).compose(forward -> forward.send(body)
            .compose(response -> response.body().map(answer -> new Answer(response, answer)))))
        .onComplete(result -> {
          long took = (System.nanoTime() - started) / 1000;
          if (result.failed()) {
            record(new Call(op, atMillis, 0, took));
            request.response().setStatusCode(502).end("AwsCallCounter: the target did not answer: " + result.cause());
            return;
          }
          HttpClientResponse response = result.result().response();
          record(new Call(op, atMillis, response.statusCode(), took));
          request.response().setStatusCode(response.statusCode()).setStatusMessage(response.statusMessage());
          response.headers().forEach(header -> {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
              request.response().headers().add(header.getKey(), header.getValue());
            }
          });
          request.response().end(result.result().body());
        });
  }

  private record Answer(HttpClientResponse response, Buffer body) {}

  /**
   * Runs the counter until the process is stopped.
   *
   * @param args {@code --target-port PORT [--target-host H] [--host H] [--port P]}
   * @throws Exception if the program cannot start
   */
  public static void main(String[] args) throws Exception {
    CommandLine.run(USAGE, () -> {
      CommandLine options = CommandLine.parse("AwsCallCounter", args, OPTIONS);
      int targetPort = options.requiredInteger("target-port", 1, 65535);
      String targetHost = options.string("target-host", "127.0.0.1");
      String host = options.string("host", "127.0.0.1");
      int port = options.integer("port", 0, 0, 65535);
      Vertx vertx = VertxTransports.vertx("AwsCallCounter", "nio", 1);
      start(vertx, host, port, targetHost, targetPort)
          .onSuccess(started -> {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
              JsonObject counts = new JsonObject();
              started.counter().counts().forEach(counts::put);
              System.out.println("counts " + counts.encode());
            }, "AwsCallCounter-shutdown"));
            System.out.println("listening on " + started.port());
          })
          .onFailure(failure -> {
            System.err.println("AwsCallCounter: cannot listen on " + host + ":" + port + ": " + failure);
            System.exit(1);
          });
    });
  }
}
