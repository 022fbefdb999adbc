package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.gatelink.config.Stage;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/** Each way a request can fail, answered with API Gateway's status and JSON body, and the request id header. */
class GatewayFailureTest {
  private static Vertx vertx;
  private static LoopbackBackend ok;
  private static LoopbackBackend silent;
  private static LoopbackBackend closing;
  private static LoopbackBackend stalling;
  private static GatewayServer gateway;
  private static GatewayServer stagesOnly;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    ok = LoopbackBackend.start(vertx, "ok");
    silent = LoopbackBackend.start(vertx, "silent", new HttpServerOptions(), request -> { });
    closing = LoopbackBackend.start(vertx, "closing", new HttpServerOptions(),
        request -> request.connection().close());
    stalling = LoopbackBackend.start(vertx, "stalling", new HttpServerOptions(),
        request -> request.response().putHeader("content-length", "100").write("first part;"));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ApiDefinition api = ApiDefinition.builder()
        .route("POST /upload", Integration.http(ok.url() + "/upload"))
        .route("GET /ok", Integration.http(ok.url() + "/ok"))
        .route("ANY /unreachable", Integration.http("http://127.0.0.1:" + closedPort + "/"))
        .route("GET /slow", Integration.builder().uri(silent.url() + "/").timeout(Duration.ofMillis(300)).build())
        .route("GET /reset", Integration.http(closing.url() + "/"))
        .route("GET /stall", Integration.builder().uri(stalling.url() + "/").timeout(Duration.ofMillis(300)).build())
        .build();
    gateway = GatewayServer.start(vertx, api, builder -> builder.maxRequestBodyBytes(1024 * 1024));
    stagesOnly = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /ok", Integration.http(ok.url() + "/ok"))
        .stage(Stage.of("prod", Map.of()))
        .build());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    stagesOnly.close();
    ok.close();
    silent.close();
    closing.close();
    stalling.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void forgetEarlierRequests() {
    ok.seen().clear();
  }

  private static void assertGatewayAnswer(HttpResponse<String> response, int status, String body) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.body()).isEqualTo(body);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(body.length()));
    assertThat(response.headers().firstValue("apigw-requestid")).hasValueSatisfying(
        id -> assertThat(id).matches("[A-Za-z0-9+/]{15}="));
  }

  @Test
  void noRouteAndNoDefaultRouteIsNotFound() throws Exception {
    assertGatewayAnswer(gateway.get("/nothing/here"), 404, "{\"message\":\"Not Found\"}");
  }

  @Test
  void methodWithoutRouteIsNotFoundNeverMethodNotAllowed() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/ok"))
        .PUT(HttpRequest.BodyPublishers.ofString("x")).build());

    assertGatewayAnswer(response, 404, "{\"message\":\"Not Found\"}");
  }

  @Test
  void noStageMatchAndNoDefaultStageIsNotFound() throws Exception {
    assertGatewayAnswer(stagesOnly.get("/ok"), 404, "{\"message\":\"Not Found\"}");
    assertThat(stagesOnly.get("/prod/ok").body()).isEqualTo("ok GET /ok");
  }

  @Test
  void unreachableIntegrationIsServiceUnavailable() throws Exception {
    assertGatewayAnswer(gateway.get("/unreachable"), 503, "{\"message\":\"Service Unavailable\"}");
  }

  @Test
  void integrationTimeoutIsServiceUnavailable() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = gateway.get("/slow");

    assertGatewayAnswer(response, 503, "{\"message\":\"Service Unavailable\"}");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void connectionClosedByTheBackendIsServiceUnavailable() throws Exception {
    assertGatewayAnswer(gateway.get("/reset"), 503, "{\"message\":\"Service Unavailable\"}");
  }

  @Test
  void declaredBodyOverTheLimitIsRefusedBeforeItIsReadAndTheConnectionClosed() throws Exception {
    String response = RawHttp.exchange(gateway.server.actualPort(),
        "POST /upload HTTP/1.1\r\nHost: gw\r\nContent-Length: 1048577\r\n\r\nonly-the-start");

    assertThat(response).matches("HTTP/1\\.1 413 Request Entity Too Large\r\n"
        + "content-type: application/json\r\n"
        + "content-length: 38\r\n"
        + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n"
        + "connection: close\r\n\r\n"
        + "\\{\"message\":\"Request Entity Too Large\"\\}");
    assertThat(ok.seen()).isEmpty();
  }

  @Test
  void chunkedBodyOverTheLimitIsCutOffAndRefused() throws Exception {
    InputStream endless = new InputStream() {
      private long sent;

      @Override
      public int read() {
        return sent++ < 64L * 1024 * 1024 ? 'x' : -1;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (sent >= 64L * 1024 * 1024) {
          return -1;
        }
        java.util.Arrays.fill(buffer, offset, offset + length, (byte) 'x');
        sent += length;
        return length;
      }
    };
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/upload"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build());

    assertGatewayAnswer(response, 413, "{\"message\":\"Request Entity Too Large\"}");
  }

  @Test
  void bodyAtTheLimitIsForwarded() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/upload"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024 * 1024])).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(ok.next().bodyBytes()).isEqualTo(1024 * 1024);
  }

  @Test
  void requestLineAndHeadersOverTenKilobytesAreRefused() throws Exception {
    String path = "/ok";
    int overhead = "GET".length() + 1 + path.length() + 9;
    String value = "v".repeat(Gateway.MAX_REQUEST_LINE_AND_HEADER_BYTES - overhead + 1 - "127.0.0.1:00000".length());
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri(path))
        .header("x-big", value).GET().build());

    assertGatewayAnswer(response, 431, "{\"message\":\"Request Header Fields Too Large\"}");
  }

  @Test
  void backendThatStallsInTheMiddleOfItsBodyIsCutAfterTheTimeout() throws Exception {
    String response = RawHttp.exchange(gateway.server.actualPort(), "GET /stall HTTP/1.1\r\nHost: gw\r\n\r\n");

    assertThat(response).matches("HTTP/1\\.1 200 OK\r\n"
        + "content-length: 100\r\n"
        + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n\r\n"
        + "first part;");
  }

  @Test
  void bodySentToAnUnreachableIntegrationIsDroppedAndAnsweredServiceUnavailable() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/unreachable"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[256 * 1024])).build());

    assertGatewayAnswer(response, 503, "{\"message\":\"Service Unavailable\"}");
  }

  @Test
  void answeredRequestWithoutABodyKeepsTheClientConnectionOpenForTheNext() throws Exception {
    try (java.net.Socket socket = RawHttp.open(gateway.server.actualPort())) {
      String first = RawHttp.exchange(socket, "GET /unreachable HTTP/1.1\r\nHost: gw\r\n\r\n");
      String second = RawHttp.exchange(socket, "GET /unreachable HTTP/1.1\r\nHost: gw\r\n\r\n");

      String expected = "HTTP/1.1 503 Service Unavailable\r\n"
          + "content-type: application/json\r\n"
          + "content-length: 33\r\n"
          + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n\r\n"
          + "\\{\"message\":\"Service Unavailable\"\\}";
      assertThat(first).matches(expected);
      assertThat(second).matches(expected);
    }
  }
}
