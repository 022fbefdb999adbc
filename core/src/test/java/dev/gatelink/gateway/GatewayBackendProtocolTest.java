package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/**
 * What the gateway does with the bytes a backend sends: informational responses skipped, reason phrases kept,
 * bodies delimited by the connection's close, responses that are not HTTP, and when kept-alive connections
 * are closed (by the gateway after its idle timeout, or by the backend between requests). The backend is a
 * TCP server that answers each request path with scripted bytes.
 */
class GatewayBackendProtocolTest {
  private static final String SERVICE_UNAVAILABLE = "{\"message\":\"Service Unavailable\"}";
  /** What the backend writes for each request path; {@code CLOSE} at the end closes the connection after. */
  private static final Map<String, String> SCRIPTS = Map.of(
      "/early-hints", "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
          + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "/continue", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\nmade",
      "/reason", "HTTP/1.1 299 Fine Thanks\r\nContent-Length: 0\r\n\r\n",
      "/until-close", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until close" + "CLOSE",
      "/not-http", "220 smtp.internal ESMTP ready\r\n\r\n",
      "/switching", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      "/keep", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nkept",
      "/idle-close", "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nclosed" + "LATER");
  private static Vertx vertx;
  private static NetServer backend;
  private static final AtomicInteger connections = new AtomicInteger();
  private static final AtomicInteger closedConnections = new AtomicInteger();
  private static String base;
  private GatewayServer gateway;
  private GatewayServer quickIdle;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    backend = vertx.createNetServer().connectHandler(GatewayBackendProtocolTest::serve);
    backend.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + backend.actualPort();
  }

  /** Answers each request on the connection with the script of its path, once its head has arrived. */
  private static void serve(NetSocket socket) {
    connections.incrementAndGet();
    socket.closeHandler(v -> closedConnections.incrementAndGet());
    Buffer received = Buffer.buffer();
    socket.handler(data -> {
      received.appendBuffer(data);
      String text = received.toString();
      int headEnd = text.indexOf("\r\n\r\n");
      if (headEnd < 0) {
        return;
      }
      String path = text.substring(text.indexOf(' ') + 1, text.indexOf(' ', text.indexOf(' ') + 1));
      Buffer rest = received.getBuffer(headEnd + 4, received.length());
      received.setBuffer(0, Buffer.buffer());
      received.appendBuffer(rest);
      String script = SCRIPTS.getOrDefault(path, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      if (script.endsWith("CLOSE")) {
        socket.end(Buffer.buffer(script.substring(0, script.length() - 5)));
      } else if (script.endsWith("LATER")) {
        socket.write(script.substring(0, script.length() - 5));
        vertx.setTimer(100, id -> socket.close());
      } else {
        socket.write(script);
      }
    });
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Each test has its own gateways, so their pools start empty and the backend counts its connections. */
  @BeforeEach
  void startGateways() throws Exception {
    connections.set(0);
    closedConnections.set(0);
    ApiDefinition.Builder api = ApiDefinition.builder();
    for (String path : SCRIPTS.keySet()) {
      api.route("ANY " + path, Integration.http(base + path));
    }
    gateway = GatewayServer.start(vertx, api.build());
    quickIdle = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /keep", Integration.http(base + "/keep"))
        .build(), builder -> builder.backendIdleTimeout(Duration.ofMillis(200)));
  }

  @AfterEach
  void closeGateways() throws Exception {
    gateway.close();
    quickIdle.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> closedConnections.get() == connections.get());
  }

  @Test
  void earlyHintsBeforeTheResponseAreSkipped() throws Exception {
    HttpResponse<String> response = gateway.get("/early-hints");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    assertThat(response.headers().firstValue("link")).isEmpty();
  }

  @Test
  void continueFromTheBackendIsSkippedAndTheFinalResponseForwarded() throws Exception {
    HttpResponse<String> response = gateway.get("/continue");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("made");
  }

  @Test
  void theBackendsReasonPhraseIsForwarded() throws Exception {
    String response = RawHttp.exchange(gateway.server.actualPort(), "GET /reason HTTP/1.1\r\nHost: gw\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 299 Fine Thanks\r\n");
  }

  @Test
  void bodyDelimitedByTheConnectionsCloseIsForwardedWholeAndTheConnectionNotReused() throws Exception {
    HttpResponse<String> first = gateway.get("/until-close");
    HttpResponse<String> second = gateway.get("/until-close");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("body until close");
    assertThat(first.headers().firstValue("transfer-encoding")).hasValue("chunked");
    assertThat(second.body()).isEqualTo("body until close");
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void responseThatIsNotHttpIsServiceUnavailable() throws Exception {
    HttpResponse<String> response = gateway.get("/not-http");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo(SERVICE_UNAVAILABLE);
  }

  @Test
  void switchingProtocolsIsServiceUnavailableAndTheConnectionClosed() throws Exception {
    HttpResponse<String> response = gateway.get("/switching");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo(SERVICE_UNAVAILABLE);
    await().atMost(Duration.ofSeconds(10)).until(() -> closedConnections.get() == 1);
  }

  @Test
  void keptAliveConnectionIsClosedByTheGatewayAfterItsIdleTimeout() throws Exception {
    assertThat(quickIdle.get("/keep").body()).isEqualTo("kept");
    await().atMost(Duration.ofSeconds(10)).until(() -> closedConnections.get() == 1);

    assertThat(quickIdle.get("/keep").body()).isEqualTo("kept");
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void connectionTheBackendClosedWhileIdleIsNotUsedAgain() throws Exception {
    assertThat(gateway.get("/idle-close").body()).isEqualTo("closed");
    await().atMost(Duration.ofSeconds(10)).until(() -> closedConnections.get() == 1);

    HttpResponse<String> second = gateway.get("/idle-close");

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo("closed");
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void keptAliveConnectionServesTheNextRequest() throws Exception {
    assertThat(gateway.get("/keep").body()).isEqualTo("kept");
    assertThat(gateway.get("/keep").body()).isEqualTo("kept");

    assertThat(connections.get()).isEqualTo(1);
    assertThat(closedConnections.get()).isZero();
  }
}
