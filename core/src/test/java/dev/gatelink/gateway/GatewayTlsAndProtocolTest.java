package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/**
 * TLS toward backends (SNI and verification name apart from the dial address, certificates generated in the
 * test) and HTTP/2 cleartext from clients, with HTTP/1.1 toward backends.
 */
class GatewayTlsAndProtocolTest {
  private static final String LISTENER =
      "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/0a1b2c3d4e5f6071/8899aabbccddeeff";
  private static final String WRONG_NAME_LISTENER =
      "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/other/0a1b2c3d4e5f6071/0011223344556677";
  private static Vertx vertx;
  private static LoopbackBackend tlsBackend;
  private static LoopbackBackend plainBackend;
  private static final BlockingQueue<String> serverNames = new LinkedBlockingQueue<>();
  private static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    SelfSignedCertificate certificate = SelfSignedCertificate.create("orders.internal");
    tlsBackend = LoopbackBackend.start(vertx, "tls",
        new HttpServerOptions().setSsl(true).setSni(true).setKeyCertOptions(certificate.keyCertOptions()),
        request -> {
          serverNames.add(String.valueOf(request.connection().indicatedServerName()));
          request.response().end("tls " + request.uri() + " host=" + request.getHeader("host"));
        });
    plainBackend = LoopbackBackend.start(vertx, "plain");
    int port = tlsBackend.port();
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /public-tls", Integration.http("https://orders.internal:" + port + "/public"))
        .route("GET /private-tls", Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vl-1")
            .uri(LISTENER).serverNameToVerify("orders.internal").build())
        .route("GET /wrong-name", Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vl-1")
            .uri(WRONG_NAME_LISTENER).serverNameToVerify("payments.internal").build())
        .route("ANY /plain", Integration.http(plainBackend.url() + "/plain"))
        .build();
    gateway = GatewayServer.start(vertx, api, builder -> builder
        .clientOptions(new HttpClientOptions().setTrustOptions(
            new PemTrustOptions().addCertPath(certificate.certificatePath())))
        .resolve("orders.internal:" + port, "127.0.0.1", port)
        .resolve(LISTENER, "127.0.0.1", port)
        .resolve(WRONG_NAME_LISTENER, "127.0.0.1", port));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    tlsBackend.close();
    plainBackend.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void httpsUrlIsCalledWithItsHostAsSniAndHostHeaderThoughResolvedToLoopback() throws Exception {
    serverNames.clear();
    HttpResponse<String> response = gateway.get("/public-tls");

    assertThat(response.body()).isEqualTo("tls /public host=orders.internal:" + tlsBackend.port());
    assertThat(serverNames.poll(10, TimeUnit.SECONDS)).isEqualTo("orders.internal");
  }

  @Test
  void privateIntegrationWithServerNameToVerifySpeaksTlsWithThatNameAndKeepsTheClientHost() throws Exception {
    serverNames.clear();
    HttpResponse<String> response = gateway.get("/private-tls");

    assertThat(response.body()).isEqualTo("tls /private-tls host=127.0.0.1:" + gateway.server.actualPort());
    assertThat(serverNames.poll(10, TimeUnit.SECONDS)).isEqualTo("orders.internal");
  }

  @Test
  void certificateThatDoesNotMatchServerNameToVerifyIsAnInternalServerError() throws Exception {
    HttpResponse<String> response = gateway.get("/wrong-name");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
  }

  @Test
  void http2CleartextClientIsServedAndTheBackendGetsHttp11() throws Exception {
    io.vertx.core.http.HttpClient h2 = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      plainBackend.seen().clear();
      Buffer[] body = new Buffer[1];
      HttpClientResponse response = h2.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setHost("127.0.0.1").setPort(gateway.server.actualPort()).setURI("/plain"))
          .compose(request -> request.send(Buffer.buffer("h2 body")).compose(received -> received.body().map(content -> {
            body[0] = content;
            return received;
          })))
          .await(10, TimeUnit.SECONDS);

      assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(body[0].toString()).isEqualTo("plain POST /plain");
      assertThat(response.getHeader("apigw-requestid")).matches("[A-Za-z0-9+/]{15}=");
      LoopbackBackend.Seen seen = plainBackend.next();
      assertThat(seen.version()).isEqualTo("HTTP_1_1");
      assertThat(seen.bodyBytes()).isEqualTo(7);
    } finally {
      h2.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void http2CleartextGetWithoutBodyIsForwardedWithoutABody() throws Exception {
    io.vertx.core.http.HttpClient h2 = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      plainBackend.seen().clear();
      String answer = h2.request(new RequestOptions().setMethod(HttpMethod.GET)
              .setHost("127.0.0.1").setPort(gateway.server.actualPort()).setURI("/plain?x=1"))
          .compose(request -> request.send()
              .compose(received -> received.body().map(content -> received.statusCode() + " " + content)))
          .await(10, TimeUnit.SECONDS);

      assertThat(answer).isEqualTo("200 plain GET /plain?x=1");
      LoopbackBackend.Seen seen = plainBackend.next();
      assertThat(seen.bodyBytes()).isZero();
      assertThat(seen.headers().contains("transfer-encoding")).isFalse();
      assertThat(seen.headers().get("host")).isEqualTo("127.0.0.1:" + plainBackend.port());
    } finally {
      h2.close().await(10, TimeUnit.SECONDS);
    }
  }
}
