package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/**
 * TLS toward backends beyond verification by name: the client options' key and certificate presented to a
 * backend that requires one, trust-all, and large bodies streamed both ways through TLS (back-pressure through
 * the TLS handler, under core's 128 MB heap). Certificates are generated in the test.
 */
class GatewayBackendTlsTest {
  private static final long TWENTY_MB = 20L * 1024 * 1024;
  private static Vertx vertx;
  private static LoopbackBackend mutual;
  private static LoopbackBackend echo;
  private static LoopbackBackend download;
  private static LoopbackBackend untrusted;
  private static final BlockingQueue<String> clientSubjects = new LinkedBlockingQueue<>();
  private static GatewayServer gateway;
  private static GatewayServer trustingAll;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    SelfSignedCertificate serverCertificate = SelfSignedCertificate.create("secure.internal");
    SelfSignedCertificate clientCertificate = SelfSignedCertificate.create("gateway.client");
    SelfSignedCertificate otherCertificate = SelfSignedCertificate.create("other.internal");
    HttpServerOptions tls = new HttpServerOptions().setSsl(true).setKeyCertOptions(serverCertificate.keyCertOptions());
    mutual = LoopbackBackend.start(vertx, "mutual", new HttpServerOptions(tls)
        .setClientAuth(ClientAuth.REQUIRED).setTrustOptions(clientCertificate.trustOptions()), request -> {
          try {
            X509Certificate peer = (X509Certificate) request.connection().peerCertificates().get(0);
            clientSubjects.add(peer.getSubjectX500Principal().getName());
          } catch (Exception e) {
            clientSubjects.add("none: " + e);
          }
          request.response().end("mutual " + request.uri());
        });
    echo = LoopbackBackend.start(vertx, "echo", tls, null);
    download = LoopbackBackend.start(vertx, "download", tls, request -> {
      HttpServerResponse response = request.response();
      response.putHeader("content-length", Long.toString(TWENTY_MB));
      GatewayStreamingTest.sendPattern(response, TWENTY_MB);
    });
    untrusted = LoopbackBackend.start(vertx, "untrusted", new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(otherCertificate.keyCertOptions()), null);
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /mutual", Integration.http("https://secure.internal:" + mutual.port() + "/mutual"))
        .route("POST /upload", Integration.http("https://secure.internal:" + echo.port() + "/upload"))
        .route("GET /download", Integration.http("https://secure.internal:" + download.port() + "/download"))
        .build();
    gateway = GatewayServer.start(vertx, api, builder -> resolveToLoopback(builder
        .maxRequestBodyBytes(64L * 1024 * 1024)
        .clientOptions(new HttpClientOptions()
            .setTrustOptions(new PemTrustOptions().addCertPath(serverCertificate.certificatePath()))
            .setKeyCertOptions(clientCertificate.keyCertOptions())), mutual, echo, download));
    trustingAll = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /anything", Integration.http("https://secure.internal:" + untrusted.port() + "/anything"))
        .build(), builder -> resolveToLoopback(builder.clientOptions(new HttpClientOptions().setTrustAll(true)),
            untrusted));
  }

  private static Gateway.Builder resolveToLoopback(Gateway.Builder builder, LoopbackBackend... backends) {
    for (LoopbackBackend backend : backends) {
      builder.resolve("secure.internal:" + backend.port(), "127.0.0.1", backend.port());
    }
    return builder;
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    trustingAll.close();
    for (LoopbackBackend backend : new LoopbackBackend[] {mutual, echo, download, untrusted}) {
      backend.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void keyAndCertificateOfTheClientOptionsArePresentedToABackendThatRequiresOne() throws Exception {
    HttpResponse<String> response = gateway.get("/mutual");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("mutual /mutual");
    assertThat(clientSubjects.poll(10, TimeUnit.SECONDS)).isEqualTo("CN=gateway.client");
  }

  @Test
  void trustAllReachesABackendWhoseCertificateIsNeitherTrustedNorForItsName() throws Exception {
    HttpResponse<String> response = trustingAll.get("/anything");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("untrusted GET /anything");
  }

  @Test
  void twentyMegabytesStreamUpThroughTls() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/upload"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GatewayStreamingTest.PatternStream(TWENTY_MB)))
        .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("echo POST /upload");
    LoopbackBackend.Seen seen = echo.next();
    assertThat(seen.bodyBytes()).isEqualTo(TWENTY_MB);
    assertThat(seen.headers().get("transfer-encoding")).isEqualTo("chunked");
  }

  @Test
  void twentyMegabytesStreamDownThroughTlsIntact() throws Exception {
    HttpResponse<InputStream> response = gateway.client.send(
        HttpRequest.newBuilder(gateway.uri("/download")).GET().build(), HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    GatewayStreamingTest.PatternCheck received = GatewayStreamingTest.PatternCheck.read(response.body());
    assertThat(received.bytes()).isEqualTo(TWENTY_MB);
    assertThat(received.mismatches()).isZero();
  }
}
