package dev.gatelink.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner as scripts use it: a child process on loopback, its stdout and stderr, its exit status, and the
 * requests it serves to backends started here that answer with their own name and what they received.
 */
class GatewayMainProcessTest {
  private static final Duration EXIT = Duration.ofSeconds(30);

  private static Vertx vertx;
  private static DemoBackend orders;
  private static DemoBackend catalog;
  private static DemoBackend fallback;

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final List<RunnerProcess> processes = new ArrayList<>();

  @TempDir
  Path dir;

  @BeforeAll
  static void startBackends() throws Exception {
    vertx = Vertx.vertx();
    orders = DemoBackend.start(vertx, "orders").await(10, TimeUnit.SECONDS);
    catalog = DemoBackend.start(vertx, "catalog").await(10, TimeUnit.SECONDS);
    fallback = DemoBackend.start(vertx, "fallback").await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopBackends() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopRunners() throws Exception {
    for (RunnerProcess process : processes) {
      process.close();
    }
  }

  @Test
  void portZeroPicksAFreePortAndPrintsExactlyOneLineOnStdout() throws Exception {
    Path api = write("api.yaml", api(route("/orders/{orderId}", "get", orders.url() + "/v1/orders/{orderId}")));
    RunnerProcess runner = start("--api", api.toString(), "--port", "0");

    URI base = runner.awaitListening();
    JsonObject answer = getJson(base, "/orders/42");

    assertThat(answer.getString("service")).isEqualTo("orders");
    assertThat(answer.getString("path")).isEqualTo("/v1/orders/42");
    assertThat(runner.stdout()).containsExactly("Gatelink listening on " + base);
    assertThat(runner.stderr()).isEmpty();
  }

  @Test
  void demoServesEveryCurlCommandItPrints() throws Exception {
    RunnerProcess runner = start("--port", "0");
    URI base = runner.awaitListening();
    await().atMost(RunnerProcess.START).until(() -> runner.stdout().stream().anyMatch(line -> line.contains("Ctrl-C")));

    List<String> printed = runner.stdout();
    assertThat(printed.get(1)).isEqualTo(
        "Demo API over 3 backends on loopback (orders, inventory, catalog), stages $default and prod. Try:");
    assertThat(printed.get(printed.size() - 1)).isEqualTo(
        "Each backend answers with JSON naming itself and the request it got. Press Ctrl-C to stop.");
    Pattern curl = Pattern.compile("  curl -i(?: -X (\\w+))?(?: -H 'Origin: ([^']*)')?(?: -d '([^']*)')? '([^']+)' +# .+");
    List<String> seen = new ArrayList<>();
    for (String line : printed.subList(2, printed.size() - 1)) {
      Matcher command = curl.matcher(line);
      assertThat(command.matches()).as("curl line %s", line).isTrue();
      URI uri = URI.create(command.group(4));
      assertThat(uri.getAuthority()).isEqualTo(base.getAuthority());
      String method = command.group(1) != null ? command.group(1) : command.group(3) != null ? "POST" : "GET";
      HttpRequest.BodyPublisher body = command.group(3) == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString(command.group(3));
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, body);
      if (command.group(2) != null) {
        request.header("Origin", command.group(2));
      }
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("%s", line).isEqualTo(200);
      JsonObject answer = new JsonObject(response.body());
      String query = answer.getString("query");
      String requestId = answer.getString("requestId");
      seen.add(answer.getString("service") + " " + answer.getString("method") + " " + answer.getString("path")
          + (query.isEmpty() ? "" : "?" + query) + " " + answer.getInteger("bodyBytes")
          + (requestId == null ? "" : " id " + requestId.equals(response.headers().firstValue("apigw-requestid")
              .orElseThrow()))
          + response.headers().firstValue("access-control-allow-origin").map(origin -> " cors " + origin).orElse(""));
    }
    assertThat(seen).containsExactly(
        "orders GET /orders/42 0",
        "orders POST /orders 13",
        "inventory GET /v1/shelves/3/bins?size=m 0",
        "inventory GET /v2/shelves/3 0",
        "catalog DELETE /orders/42 0",
        "catalog GET /staging/orders/42 0",
        "orders GET /private/orders/42 0 id true",
        "orders GET /orders/42 0 cors https://app.example.com");
  }

  @Test
  void apiFileIsServedOnEveryStageNamedWithItsStageVariables() throws Exception {
    Path api = write("shop.yaml", api(
        route("/orders/{orderId}", "get", orders.url() + "/v1/orders/{orderId}"),
        route("/catalog/{proxy+}", "x-amazon-apigateway-any-method",
            "http://${stageVariables.catalogHost}:" + port(catalog) + "/items/{proxy}"),
        route("/$default", "x-amazon-apigateway-any-method", fallback.url())));
    RunnerProcess runner = start("--api", api.toString(), "--port", "0", "--stage", "dev", "--stage", "$default",
        "--stage-variable", "catalogHost=localhost");
    URI base = runner.awaitListening();

    assertThat(seen(base, "/orders/42")).isEqualTo("orders GET /v1/orders/42 127.0.0.1:" + port(orders));
    assertThat(seen(base, "/dev/orders/7")).isEqualTo("orders GET /v1/orders/7 127.0.0.1:" + port(orders));
    assertThat(seen(base, "/dev/catalog/a/b?x=1")).isEqualTo("catalog GET /items/a/b?x=1 localhost:" + port(catalog));
    assertThat(seen(base, "/catalog/c")).isEqualTo("catalog GET /items/c localhost:" + port(catalog));
    assertThat(seen(base, "/dev/anything")).isEqualTo("fallback GET /anything 127.0.0.1:" + port(fallback));
    assertThat(seen(base, "/prod/orders/1")).isEqualTo("fallback GET /prod/orders/1 127.0.0.1:" + port(fallback));
  }

  @Test
  void mappingsCorsAndAccessLogFromTheFileAndFlags() throws Exception {
    String listener = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/50dc6c495c0c9188/"
        + "0467ef3c8400ae65";
    Path api = write("mapped.yaml", "openapi: \"3.0.1\"\n"
        + "info: {title: mapped, version: \"1\"}\n"
        + "x-amazon-apigateway-cors:\n"
        + "  allowOrigins: [\"https://app.example.com\"]\n"
        + "  exposeHeaders: [\"x-served-by\"]\n"
        + "paths:\n"
        + "  /orders/{id}:\n"
        + "    get:\n"
        + "      x-amazon-apigateway-integration:\n"
        + "        type: http_proxy\n"
        + "        uri: \"" + orders.url() + "/v1/orders\"\n"
        + "        payloadFormatVersion: \"1.0\"\n"
        + "        requestParameters:\n"
        + "          append:header.x-request-id: $context.requestId\n"
        + "          overwrite:querystring.order: $request.path.id\n"
        + "          remove:querystring.debug: \"''\"\n"
        + "        responseParameters:\n"
        + "          \"200\":\n"
        + "            append:header.x-served-by: ${context.routeKey} on ${context.stage}\n"
        + "  /private/{proxy+}:\n"
        + "    x-amazon-apigateway-any-method:\n"
        + "      x-amazon-apigateway-integration:\n"
        + "        type: http_proxy\n"
        + "        connectionType: VPC_LINK\n"
        + "        connectionId: vpclink-1\n"
        + "        uri: \"" + listener + "\"\n"
        + "        payloadFormatVersion: \"1.0\"\n"
        + "        requestParameters:\n"
        + "          overwrite:path: $request.path\n");
    RunnerProcess runner = start("--api", api.toString(), "--port", "0", "--stage", "prod",
        "--resolve", listener + "=127.0.0.1:" + port(orders),
        "--access-log", "$context.requestId $context.routeKey $context.status");
    URI base = runner.awaitListening();

    HttpResponse<String> mapped = client.send(HttpRequest.newBuilder(URI.create(base + "/prod/orders/42?debug=1"))
        .header("Origin", "https://app.example.com").build(), HttpResponse.BodyHandlers.ofString());
    JsonObject answer = new JsonObject(mapped.body());
    String id = mapped.headers().firstValue("apigw-requestid").orElseThrow();
    assertThat(answer.getString("path") + "?" + answer.getString("query")).isEqualTo("/v1/orders?order=42");
    assertThat(answer.getString("requestId")).isEqualTo(id);
    assertThat(mapped.headers().allValues("x-served-by")).containsExactly("GET /orders/{id} on prod");
    assertThat(mapped.headers().allValues("access-control-allow-origin")).containsExactly("https://app.example.com");
    assertThat(mapped.headers().allValues("access-control-expose-headers")).containsExactly("x-served-by");
    assertThat(seen(base, "/prod/private/a/b?x=1")).isEqualTo("orders GET /private/a/b?x=1 127.0.0.1:" + base.getPort());
    await().atMost(RunnerProcess.START).until(() -> runner.stderr().size() >= 2);
    assertThat(runner.stderr().get(0)).isEqualTo("INFO dev.gatelink.accesslog - " + id + " GET /orders/{id} 200");
    assertThat(runner.stderr().get(1)).matches("INFO dev\\.gatelink\\.accesslog - [A-Za-z0-9+/]{15}= "
        + "ANY /private/\\{proxy\\+\\} 200");
  }

  @Test
  void aPassthroughListenerPrintsOneMoreLineRoutesBySniAndLogsEachConnection() throws Exception {
    LoopbackBackend secure = LoopbackBackend.startTls(vertx, "secure", "secure.example.com");
    try {
      Path api = write("api.yaml", api(route("/orders/{orderId}", "get", orders.url() + "/v1/orders/{orderId}")));
      RunnerProcess runner = start("--api", api.toString(), "--port", "0", "--tls-passthrough-port", "0",
          "--sni-route", "secure.example.com=127.0.0.1:" + secure.port(), "--access-log", "json");
      URI base = runner.awaitListening();
      await().atMost(RunnerProcess.START).until(() -> runner.stdout().size() >= 2);

      Matcher passthrough = Pattern.compile("Gatelink TLS passthrough listening on 127\\.0\\.0\\.1:([0-9]+)")
          .matcher(runner.stdout().get(1));
      assertThat(passthrough.matches()).as("second line %s", runner.stdout().get(1)).isTrue();
      int port = Integer.parseInt(passthrough.group(1));
      assertThat(GatewayRunnerPassthroughTest.call(port, "secure.example.com", "/hello"))
          .isEqualTo("CN=secure.example.com | HTTP/1.1 200 OK | secure GET /hello");
      await().atMost(RunnerProcess.START).until(() -> !runner.stderr().isEmpty());
      assertThat(runner.stderr().get(0)).matches("INFO dev\\.gatelink\\.accesslog\\.passthrough - "
          + "\\{\"sourceIp\":\"127\\.0\\.0\\.1\",\"sourcePort\":[0-9]+,\"serverName\":\"secure\\.example\\.com\","
          + "\"offeredAlpn\":\\[\\],\"route\":\"secure\\.example\\.com\",\"routeAlpn\":null,"
          + "\"endpoint\":\"127\\.0\\.0\\.1:" + secure.port() + "\",\"bytesFromClient\":[1-9][0-9]+,"
          + "\"bytesToClient\":[1-9][0-9]+,\"zeroCopy\":(true|false),\"durationMillis\":[0-9]+,"
          + "\"outcome\":\"SUCCESS\",\"refusal\":null\\}");
      assertThat(runner.stdout()).containsExactly("Gatelink listening on " + base,
          "Gatelink TLS passthrough listening on 127.0.0.1:" + port);
    } finally {
      secure.close();
    }
  }

  @Test
  void withoutDefaultStageOnlyTheNamedStageIsServed() throws Exception {
    Path api = write("api.yaml", api(route("/orders/{orderId}", "get", orders.url() + "/v1/orders/{orderId}")));
    RunnerProcess runner = start("--api", api.toString(), "--port", "0", "--stage", "dev");
    URI base = runner.awaitListening();

    assertThat(seen(base, "/dev/orders/1")).isEqualTo("orders GET /v1/orders/1 127.0.0.1:" + port(orders));
    HttpResponse<String> root = get(base, "/orders/1");
    assertThat(root.statusCode()).isEqualTo(404);
    assertThat(root.body()).isEqualTo("{\"message\":\"Not Found\"}");
  }

  @Test
  void resolveSendsHostNameUrisToTheGivenAddressKeepingTheirHostHeader() throws Exception {
    Path api = write("api.yaml", api(
        route("/orders/{proxy+}", "get", "http://orders.internal:8080/v1/{proxy}"),
        route("/catalog", "get", "http://catalog.internal/items")));
    RunnerProcess runner = start("--api", api.toString(), "--port", "0",
        "--resolve", "orders.internal:8080=127.0.0.1:" + port(orders),
        "--resolve", "catalog.internal=127.0.0.1:" + port(catalog));
    URI base = runner.awaitListening();

    assertThat(seen(base, "/orders/a/b?q=1")).isEqualTo("orders GET /v1/a/b?q=1 orders.internal:8080");
    assertThat(seen(base, "/catalog")).isEqualTo("catalog GET /items catalog.internal");
  }

  @Test
  void resolveSendsAListenerArnToTheGivenAddressWithThePathAndHostOfTheRequest() throws Exception {
    String listener = "arn:aws:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:listener/app/orders/0a1b2c3d/8899aabb";
    Path api = write("api.yaml", api(route("/orders/{proxy+}", "x-amazon-apigateway-any-method", listener)
        .replace("        type: http_proxy\n",
            "        type: http_proxy\n        connectionType: VPC_LINK\n        connectionId: vl-1234ab\n")));
    String resolved = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/0a1b2c3d/8899aabb";
    RunnerProcess runner = start("--api", api.toString(), "--port", "0", "--stage", "prod",
        "--aws-region", "eu-west-1", "--aws-account-id", "111122223333",
        "--resolve", resolved + "=127.0.0.1:" + port(orders));
    URI base = runner.awaitListening();

    assertThat(seen(base, "/prod/orders/42?x=1")).isEqualTo("orders GET /prod/orders/42?x=1 " + base.getAuthority());
  }

  @Test
  void unknownFlagExits2WithOneLine() throws Exception {
    RunnerProcess runner = start("--api", "api.yaml", "--prot", "8080");

    assertThat(runner.awaitExit(EXIT)).isEqualTo(2);
    assertThat(runner.stdout()).isEmpty();
    assertThat(runner.stderr()).containsExactly("gatelink: unknown option '--prot': expected one of --api, --host, "
        + "--port, --stage, --stage-variable, --resolve, --watch, --aws-endpoint, --aws-region, --aws-account-id, "
        + "--dns-server, --event-loops, --transport, --header-timeout, --body-timeout, --idle-timeout, --http2-max-streams, "
        + "--http2-max-resets, --http2-reset-window, --access-log, --tls-passthrough-port, --sni-route, --sni-default, "
        + "--proxy-protocol, --help");
  }

  @Test
  void frontDoorFlagsLimitClients() throws Exception {
    Path api = write("api.yaml", api(route("/orders/{orderId}", "get", orders.url() + "/v1/orders/{orderId}")));
    RunnerProcess runner = start("--api", api.toString(), "--port", "0", "--header-timeout", "300ms",
        "--idle-timeout", "10s");
    URI base = runner.awaitListening();

    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /orders/42 HTTP/1.1\r\nHost: gw\r\n".getBytes(StandardCharsets.ISO_8859_1));

      assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
          .matches("HTTP/1\\.1 408 Request Timeout\r\n"
              + "content-type: application/json\r\n"
              + "content-length: 29\r\n"
              + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n"
              + "connection: close\r\n\r\n"
              + "\\{\"message\":\"Request Timeout\"\\}");
    }
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /orders/42 HTTP/1.1\r\nHost: gw\r\nContent-Length: 3\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));

      assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
          .startsWith("HTTP/1.1 400 Bad Request\r\n").endsWith("\r\n\r\n{\"message\":\"Bad Request\"}");
    }
  }

  @Test
  void badPortExits2WithOneLine() throws Exception {
    RunnerProcess runner = start("--port", "99999");

    assertThat(runner.awaitExit(EXIT)).isEqualTo(2);
    assertThat(runner.stdout()).isEmpty();
    assertThat(runner.stderr()).containsExactly("gatelink: --port '99999': expected a port number from 0 to 65535");
  }

  @Test
  void invalidFileExits2WithTheLoadersLine() throws Exception {
    write("api.yaml", api(route("/orders", "get", orders.url() + "/orders").replace(
        "payloadFormatVersion: \"1.0\"", "payloadFormatVersion: \"1.0\"\n        timeoutInMillis: 20")));
    RunnerProcess runner = start("--api", "api.yaml", "--port", "0");

    assertThat(runner.awaitExit(EXIT)).isEqualTo(2);
    assertThat(runner.stdout()).isEmpty();
    assertThat(runner.stderr()).containsExactly("gatelink: api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration"
        + "/timeoutInMillis: timeoutInMillis 20 is out of range: expected 50 to 30000");
  }

  @Test
  void missingFileExits2() throws Exception {
    RunnerProcess runner = start("--api", "missing.yaml");

    assertThat(runner.awaitExit(EXIT)).isEqualTo(2);
    assertThat(runner.stderr()).containsExactly("gatelink: missing.yaml: the file does not exist");
  }

  @Test
  void portInUseExits1() throws Exception {
    Path api = write("api.yaml", api(route("/orders", "get", orders.url() + "/orders")));
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      RunnerProcess runner = start("--api", api.toString(), "--port", Integer.toString(taken.getLocalPort()));

      assertThat(runner.awaitExit(EXIT)).isEqualTo(1);
      assertThat(runner.stdout()).isEmpty();
      assertThat(runner.stderr()).containsExactly(
          "gatelink: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
    }
  }

  @Test
  void transportThatCannotRunHereExits1SayingWhy() throws Exception {
    RunnerProcess runner = startWithJvmOptions(List.of("-Dio.netty.transport.noNative=true"),
        "--port", "0", "--transport", "io_uring");

    assertThat(runner.awaitExit(EXIT)).isEqualTo(1);
    assertThat(runner.stdout()).isEmpty();
    assertThat(runner.stderr()).containsExactly("gatelink: --transport io_uring: cannot run here: "
        + "Native transport was explicit disabled with -Dio.netty.transport.noNative=true"
        + " (--transport auto picks one that can)");
  }

  @Test
  void autoTransportFallsBackToNioWhereNoNativeTransportCanRun() throws Exception {
    Path api = write("api.yaml", api(route("/orders/{orderId}", "get", orders.url() + "/v1/orders/{orderId}")));
    RunnerProcess runner = startWithJvmOptions(List.of("-Dio.netty.transport.noNative=true"),
        "--api", api.toString(), "--port", "0");

    URI base = runner.awaitListening();
    JsonObject answer = getJson(base, "/orders/7");

    assertThat(answer.getString("service")).isEqualTo("orders");
    assertThat(answer.getString("path")).isEqualTo("/v1/orders/7");
    assertThat(runner.stderr()).isEmpty();
  }

  @Test
  void helpPrintsUsageAndExits0() throws Exception {
    RunnerProcess runner = start("--help");

    assertThat(runner.awaitExit(EXIT)).isZero();
    assertThat(String.join("\n", runner.stdout()) + "\n").isEqualTo(RunnerOptions.USAGE);
    assertThat(runner.stderr()).isEmpty();
  }

  @Test
  void sigtermDrainsTheRequestInFlightAndExits0() throws Exception {
    BlockingQueue<Promise<String>> held = new LinkedBlockingQueue<>();
    HttpServer slow = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> {
          Promise<String> answer = Promise.promise();
          answer.future().onSuccess(body -> request.response().end(body));
          held.add(answer);
        });
    slow.listen().await(10, TimeUnit.SECONDS);
    try {
      Path api = write("api.yaml", api(route("/slow", "get", "http://127.0.0.1:" + slow.actualPort() + "/slow")));
      RunnerProcess runner = start("--api", api.toString(), "--port", "0");
      URI base = runner.awaitListening();
      CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
          HttpRequest.newBuilder(base.resolve("/slow")).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      Promise<String> answer = held.poll(20, TimeUnit.SECONDS);
      assertThat(answer).as("the backend got the request").isNotNull();

      runner.terminate();
      runner.awaitStderrLine(
          "gatelink: stopping: no new connections, draining requests in flight (at most 30 s)");
      await("new connections refused").atMost(Duration.ofSeconds(20))
          .until(() -> refusesConnections(base));
      assertThat(inFlight).isNotDone();
      assertThat(runner.process.isAlive()).isTrue();
      vertx.runOnContext(v -> answer.complete("slow and complete"));

      HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("slow and complete");
      assertThat(runner.awaitExit(EXIT)).isZero();
      assertThat(runner.stderr()).endsWith("gatelink: stopped");
    } finally {
      slow.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void watchServesTheNewFileAndKeepsTheOldOneWhenTheNewOneIsInvalid() throws Exception {
    Path api = write("api.yaml", api(route("/v1", "get", orders.url() + "/one")));
    RunnerProcess runner = start("--api", "api.yaml", "--port", "0", "--watch");
    URI base = runner.awaitListening();
    assertThat(seen(base, "/v1")).isEqualTo("orders GET /one 127.0.0.1:" + port(orders));
    assertThat(get(base, "/v2").statusCode()).isEqualTo(404);

    write("api.yaml", api(route("/v1", "get", orders.url() + "/one"), route("/v2", "get", catalog.url() + "/two")));
    runner.awaitStderrLine("gatelink: reloaded api.yaml: 2 routes on stage $default");
    assertThat(seen(base, "/v2")).isEqualTo("catalog GET /two 127.0.0.1:" + port(catalog));

    write("api.yaml", api(route("/v3", "get", "ftp://127.0.0.1/three")));
    runner.awaitStderrLineStartingWith("gatelink: reload of api.yaml failed");
    assertThat(runner.stderr()).containsExactly(
        "gatelink: reloaded api.yaml: 2 routes on stage $default",
        "gatelink: reload of api.yaml failed, still serving the previous API: api.yaml: "
            + "/paths/~1v3/get/x-amazon-apigateway-integration/uri: uri 'ftp://127.0.0.1/three': Invalid HTTP endpoint "
            + "specified for URI: expected an http:// or https:// URL for connectionType INTERNET");
    assertThat(seen(base, "/v2")).isEqualTo("catalog GET /two 127.0.0.1:" + port(catalog));
    assertThat(get(base, "/v3").statusCode()).isEqualTo(404);

    write("api.yaml", api(route("/v3", "get", fallback.url() + "/three")));
    runner.awaitStderrLine("gatelink: reloaded api.yaml: 1 route on stage $default");
    assertThat(seen(base, "/v3")).isEqualTo("fallback GET /three 127.0.0.1:" + port(fallback));
    assertThat(get(base, "/v2").statusCode()).isEqualTo(404);
    assertThat(runner.stdout()).containsExactly("Gatelink listening on " + base);
  }

  private RunnerProcess start(String... args) throws IOException {
    return startWithJvmOptions(List.of(), args);
  }

  private RunnerProcess startWithJvmOptions(List<String> jvmOptions, String... args) throws IOException {
    RunnerProcess process = RunnerProcess.start(dir, jvmOptions, List.of(args));
    processes.add(process);
    return process;
  }

  /** Writes a file atomically (a temporary file moved over it), as editors and config tools do. */
  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Path temporary = Files.createTempFile(dir, name, ".tmp");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  private static String api(String... routes) {
    StringBuilder yaml = new StringBuilder()
        .append("openapi: \"3.0.1\"\n")
        .append("info: {title: test, version: \"1\"}\n")
        .append("paths:\n");
    for (String route : routes) {
      yaml.append(route);
    }
    return yaml.toString();
  }

  private static String route(String path, String operation, String uri) {
    return "  " + path + ":\n"
        + "    " + operation + ":\n"
        + (path.equals("/$default") ? "      isDefaultRoute: true\n" : "")
        + "      x-amazon-apigateway-integration:\n"
        + "        type: http_proxy\n"
        + "        uri: \"" + uri + "\"\n"
        + "        payloadFormatVersion: \"1.0\"\n";
  }

  private static int port(DemoBackend backend) {
    return URI.create(backend.url()).getPort();
  }

  private HttpResponse<String> get(URI base, String pathAndQuery) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject getJson(URI base, String pathAndQuery) throws Exception {
    HttpResponse<String> response = get(base, pathAndQuery);
    assertThat(response.statusCode()).as("GET %s: %s", pathAndQuery, response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  /** What the backend saw: {@code SERVICE METHOD PATH[?QUERY] HOST}. */
  private String seen(URI base, String pathAndQuery) throws Exception {
    JsonObject answer = getJson(base, pathAndQuery);
    String query = answer.getString("query");
    return answer.getString("service") + " " + answer.getString("method") + " " + answer.getString("path")
        + (query.isEmpty() ? "" : "?" + query) + " " + answer.getString("host");
  }

  private static boolean refusesConnections(URI base) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 1000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
