package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/** The headers the backend gets (spec section 5.1) and the ones the client gets back. */
class GatewayHeadersTest {
  private static final String LISTENER =
      "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web/0a1b2c3d4e5f6071/8899aabbccddeeff";
  private static Vertx vertx;
  private static LoopbackBackend backend;
  private static LoopbackBackend hopResponder;
  private static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    backend = LoopbackBackend.start(vertx, "backend");
    hopResponder = LoopbackBackend.start(vertx, "hop", new HttpServerOptions(), request -> request.response()
        .putHeader("keep-alive", "timeout=5")
        .putHeader("proxy-authenticate", "Basic")
        .putHeader("x-kept", "yes")
        .end("done"));
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /public", Integration.http(backend.url() + "/public"))
        .route("GET /private", Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vl-1")
            .uri(LISTENER).build())
        .route("GET /hop", Integration.http(hopResponder.url() + "/hop"))
        .build();
    gateway = GatewayServer.start(vertx, api, builder -> builder.resolve(LISTENER, "127.0.0.1", backend.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    backend.close();
    hopResponder.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void forgetEarlierRequests() {
    backend.seen().clear();
  }

  private static String request(String path, String extraHeaders) throws Exception {
    return RawHttp.exchange(gateway.server.actualPort(), "GET " + path + " HTTP/1.1\r\n"
        + "Host: api.example.com\r\n"
        + extraHeaders
        + "Connection: close\r\n\r\n");
  }

  @Test
  void clientForwardingHeadersAreFoldedIntoForwardedWithTheGatewayElementLast() throws Exception {
    request("/public", "X-Forwarded-For: 203.0.113.7, 10.0.0.1\r\n"
        + "X-Forwarded-Proto: https\r\n"
        + "X-Forwarded-Host: shop.example.com\r\n");

    LoopbackBackend.Seen seen = backend.next();
    assertThat(seen.headers().getAll("forwarded")).containsExactly(
        "for=203.0.113.7;host=shop.example.com;proto=https, for=10.0.0.1, "
            + "by=127.0.0.1;for=127.0.0.1;host=api.example.com;proto=http");
    assertThat(seen.headers().contains("x-forwarded-for")).isFalse();
    assertThat(seen.headers().contains("x-forwarded-proto")).isFalse();
    assertThat(seen.headers().contains("x-forwarded-host")).isFalse();
  }

  @Test
  void forwardedFollowsEachRequestsHostAndForwardingHeadersOnOneConnection() throws Exception {
    try (java.net.Socket socket = RawHttp.open(gateway.server.actualPort())) {
      RawHttp.exchange(socket, "GET /public HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
      RawHttp.exchange(socket, "GET /public HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
      RawHttp.exchange(socket, "GET /public HTTP/1.1\r\nHost: other.example.com\r\n\r\n");
      RawHttp.exchange(socket, "GET /public HTTP/1.1\r\nHost: other.example.com\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n");
      RawHttp.exchange(socket, "GET /public HTTP/1.1\r\nHost: other.example.com\r\n\r\n");
    }

    String gatewayElement = "by=127.0.0.1;for=127.0.0.1;host=%s;proto=http";
    assertThat(backend.next().headers().get("forwarded")).isEqualTo(gatewayElement.formatted("api.example.com"));
    assertThat(backend.next().headers().get("forwarded")).isEqualTo(gatewayElement.formatted("api.example.com"));
    assertThat(backend.next().headers().get("forwarded")).isEqualTo(gatewayElement.formatted("other.example.com"));
    assertThat(backend.next().headers().get("forwarded"))
        .isEqualTo("for=203.0.113.7, " + gatewayElement.formatted("other.example.com"));
    assertThat(backend.next().headers().get("forwarded")).isEqualTo(gatewayElement.formatted("other.example.com"));
  }

  @Test
  void anExistingForwardedHeaderIsKeptAndExtended() throws Exception {
    request("/public", "Forwarded: for=\"[2001:db8::1]\";proto=https\r\n");

    assertThat(backend.next().headers().getAll("forwarded")).containsExactly(
        "for=\"[2001:db8::1]\";proto=https, by=127.0.0.1;for=127.0.0.1;host=api.example.com;proto=http");
  }

  @Test
  void viaIsAppendedAsApiGatewaySendsIt() throws Exception {
    request("/public", "Via: 1.1 corp-proxy\r\n");

    assertThat(backend.next().headers().getAll("via")).containsExactly("1.1 corp-proxy, HTTP/1.1 AmazonAPIGateway");
  }

  @Test
  void hopByHopHeadersAndTheOnesConnectionNamesAreDropped() throws Exception {
    RawHttp.exchange(gateway.server.actualPort(), "GET /public HTTP/1.1\r\n"
        + "Host: api.example.com\r\n"
        + "Connection: close, x-hop\r\n"
        + "X-Hop: 1\r\n"
        + "Keep-Alive: timeout=5\r\n"
        + "TE: trailers\r\n"
        + "Proxy-Authorization: Basic eDp5\r\n"
        + "X-Custom: kept\r\n\r\n");

    LoopbackBackend.Seen seen = backend.next();
    assertThat(seen.headers().names()).containsExactlyInAnyOrder(
        "x-custom", "host", "forwarded", "via");
    assertThat(seen.headers().get("x-custom")).isEqualTo("kept");
  }

  @Test
  void urlIntegrationGetsTheUriAuthorityAsHost() throws Exception {
    request("/public", "");

    assertThat(backend.next().headers().get("host")).isEqualTo("127.0.0.1:" + backend.port());
  }

  @Test
  void privateIntegrationGetsTheClientHost() throws Exception {
    request("/private", "");

    assertThat(backend.next().headers().get("host")).isEqualTo("api.example.com");
  }

  @Test
  void responseHopByHopHeadersAreDroppedAndTheRequestIdAdded() throws Exception {
    String response = request("/hop", "");

    assertThat(response).matches("HTTP/1\\.1 200 OK\r\n"
        + "x-kept: yes\r\n"
        + "content-length: 4\r\n"
        + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n"
        + "connection: close\r\n"
        + "\r\n"
        + "done");
  }
}
