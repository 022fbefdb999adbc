package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.config.AccessLogSettings;
import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.CorsConfiguration;
import dev.gatelink.config.Integration;
import dev.gatelink.config.Stage;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testlog.CapturingSlf4jProvider;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * CORS (spec 1.7, 1.8) and access logs (spec 6.4) through real sockets: preflights answered by the gateway
 * when no route takes them, CORS headers on proxied responses and on the gateway's own answers, the backend's
 * CORS headers replaced, refused origins without CORS headers, and one access log line per request.
 */
class GatewayCorsAndAccessLogTest {
  private static final String ALLOWED = "https://app.example.com";
  private static Vertx vertx;
  private static LoopbackBackend ok;
  private static LoopbackBackend corsBackend;
  private static GatewayServer gateway;
  private static GatewayServer credentialed;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    ok = LoopbackBackend.start(vertx, "ok");
    // A backend that sends CORS headers of its own, which the gateway must replace.
    corsBackend = LoopbackBackend.start(vertx, "cors", new HttpServerOptions(), request -> request.response()
        .putHeader("Access-Control-Allow-Origin", "https://evil.example.com")
        .putHeader("Access-Control-Allow-Methods", "DELETE")
        .end("backend"));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /items", Integration.http(ok.url() + "/items"))
        .route("OPTIONS /own", Integration.http(ok.url() + "/own"))
        .route("GET /cors", Integration.http(corsBackend.url() + "/"))
        .route("GET /down", Integration.http("http://127.0.0.1:" + closedPort + "/"))
        .cors(new CorsConfiguration(List.of(ALLOWED, "http://*"), false, List.of("x-request-id", "date"), 600,
            List.of("GET", "POST"), List.of("content-type", "x-api-key")))
        .stage(Stage.builder("prod").accessLogSettings(AccessLogSettings.builder()
            .format("$context.requestId $context.httpMethod $context.path $context.routeKey $context.status "
                + "$context.responseLength $context.error.responseType $context.integrationStatus")
            .build()).build())
        .build();
    gateway = GatewayServer.start(vertx, api);
    credentialed = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /items", Integration.http(ok.url() + "/items"))
        .cors(new CorsConfiguration(List.of(ALLOWED), true, List.of(), null, List.of("*"), List.of("*")))
        .build());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    credentialed.close();
    ok.close();
    corsBackend.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void clear() {
    ok.seen().clear();
    CapturingSlf4jProvider.clear();
  }

  private static HttpResponse<String> preflight(GatewayServer server, String path, String origin) throws Exception {
    return server.send(HttpRequest.newBuilder(server.uri(path))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .build());
  }

  private static Map<String, List<String>> corsHeaders(HttpResponse<?> response) {
    java.util.TreeMap<String, List<String>> cors = new java.util.TreeMap<>();
    response.headers().map().forEach((name, values) -> {
      if (name.startsWith("access-control-") || name.equals("vary")) {
        cors.put(name, values);
      }
    });
    return cors;
  }

  @Test
  void preflightThatNoRouteTakesIsAnsweredByTheGateway() throws Exception {
    HttpResponse<String> response = preflight(gateway, "/prod/items", ALLOWED);

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    assertThat(corsHeaders(response)).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
        "access-control-allow-headers", List.of("content-type,x-api-key"),
        "access-control-allow-methods", List.of("GET,POST"),
        "access-control-allow-origin", List.of(ALLOWED),
        "access-control-max-age", List.of("600"),
        "vary", List.of("Origin"))));
    assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
    assertThat(ok.seen()).isEmpty();
  }

  @Test
  void preflightFromARefusedOriginGetsNoCorsHeaders() throws Exception {
    HttpResponse<String> response = preflight(gateway, "/prod/items", "https://other.example.com");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(corsHeaders(response)).isEmpty();
    assertThat(ok.seen()).isEmpty();
  }

  @Test
  void preflightWithAPrefixWildcardOrigin() throws Exception {
    HttpResponse<String> response = preflight(gateway, "/prod/items", "http://localhost:3000");

    assertThat(response.headers().allValues("access-control-allow-origin")).containsExactly("http://localhost:3000");
  }

  @Test
  void routeThatMatchesOptionsTakesThePreflight() throws Exception {
    HttpResponse<String> response = preflight(gateway, "/prod/own", ALLOWED);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok OPTIONS /own");
    assertThat(response.headers().allValues("access-control-allow-origin")).containsExactly(ALLOWED);
    assertThat(response.headers().allValues("access-control-allow-methods")).isEmpty();
    assertThat(ok.next().method()).isEqualTo("OPTIONS");
  }

  @Test
  void proxiedResponseGetsTheConfiguredHeaders() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/items"))
        .header("Origin", ALLOWED).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(corsHeaders(response)).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
        "access-control-allow-origin", List.of(ALLOWED),
        "access-control-expose-headers", List.of("x-request-id,date"),
        "vary", List.of("Origin"))));
  }

  @Test
  void backendCorsHeadersAreReplaced() throws Exception {
    HttpResponse<String> allowed = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/cors"))
        .header("Origin", ALLOWED).build());
    HttpResponse<String> refused = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/cors"))
        .header("Origin", "https://other.example.com").build());

    assertThat(allowed.body()).isEqualTo("backend");
    assertThat(allowed.headers().allValues("access-control-allow-origin")).containsExactly(ALLOWED);
    assertThat(allowed.headers().allValues("access-control-allow-methods")).isEmpty();
    assertThat(corsHeaders(refused)).isEmpty();
  }

  @Test
  void gatewaysOwnAnswersGetCorsHeaders() throws Exception {
    HttpResponse<String> notFound = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/nothing"))
        .header("Origin", ALLOWED).build());
    HttpResponse<String> unavailable = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/down"))
        .header("Origin", ALLOWED).build());

    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.body()).isEqualTo("{\"message\":\"Not Found\"}");
    assertThat(notFound.headers().allValues("access-control-allow-origin")).containsExactly(ALLOWED);
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.headers().allValues("access-control-allow-origin")).containsExactly(ALLOWED);
  }

  @Test
  void credentialsAreAllowedAndWildcardListsRepeatTheRequest() throws Exception {
    HttpResponse<String> response = credentialed.send(HttpRequest.newBuilder(credentialed.uri("/items"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", ALLOWED)
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "authorization,x-trace")
        .build());

    assertThat(corsHeaders(response)).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
        "access-control-allow-credentials", List.of("true"),
        "access-control-allow-headers", List.of("authorization,x-trace"),
        "access-control-allow-methods", List.of("PUT"),
        "access-control-allow-origin", List.of(ALLOWED),
        "vary", List.of("Origin"))));
  }

  /**
   * The access log lines of the requests with these ids, once each has one. Lines of an earlier test's requests
   * may still arrive (the writer logs on its own thread), so lines are picked by request id.
   */
  private static List<String> accessLogLines(String... ids) {
    await().atMost(Duration.ofSeconds(10)).until(() -> linesOf(ids).size() >= ids.length);
    return linesOf(ids);
  }

  private static List<String> linesOf(String... ids) {
    List<String> lines = new java.util.ArrayList<>();
    for (String line : CapturingSlf4jProvider.messages(AccessLogSettings.LOGGER_NAME, Level.INFO)) {
      for (String id : ids) {
        if (line.startsWith(id + " ")) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  @Test
  void accessLogWritesOneLinePerRequestWithTheStagesFormat() throws Exception {
    HttpResponse<String> found = gateway.get("/prod/items");
    HttpResponse<String> missing = gateway.get("/prod/nothing");
    HttpResponse<String> down = gateway.get("/prod/down");

    List<String> lines = accessLogLines(id(found), id(missing), id(down));
    assertThat(lines).containsExactly(
        id(found) + " GET /prod/items GET /items 200 13 - 200",
        id(missing) + " GET /prod/nothing - 404 23 RESOURCE_NOT_FOUND -",
        id(down) + " GET /prod/down GET /down 503 33 INTEGRATION_FAILURE -");
  }

  @Test
  void accessLogWritesTheGatewaysPreflightAnswer() throws Exception {
    HttpResponse<String> response = preflight(gateway, "/prod/items", ALLOWED);

    assertThat(accessLogLines(id(response))).containsExactly(id(response) + " OPTIONS /prod/items - 204 0 - -");
  }

  @Test
  void stageWithoutAnAccessLogWritesNone() throws Exception {
    HttpResponse<String> unlogged = credentialed.get("/items");
    HttpResponse<String> logged = gateway.get("/prod/items");

    // One writer, first in first out: once the later request's line is there, the earlier's would be too.
    assertThat(accessLogLines(id(logged))).hasSize(1);
    assertThat(linesOf(id(unlogged))).isEmpty();
  }

  private static String id(HttpResponse<?> response) {
    return response.headers().firstValue("apigw-requestid").orElseThrow();
  }
}
