package dev.gatelink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Loopback backends answer with their identity and record what they saw, over HTTP and over TLS. */
class LoopbackBackendTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String call(HttpClient client, LoopbackBackend backend, HttpMethod method, String uri, String body)
      throws Exception {
    return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(backend.port())
            .setURI(uri))
        .compose(request -> request.send(body).compose(response -> response.body().map(text ->
            response.statusCode() + " " + response.getHeader("x-backend") + " " + text)))
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void answersWithItsNameMethodAndUriAndRecordsTheRequest() throws Exception {
    try (LoopbackBackend backend = LoopbackBackend.start(vertx, "orders")) {
      HttpClient client = vertx.createHttpClient();

      String answer = call(client, backend, HttpMethod.POST, "/orders/7?x=1", "twelve bytes");

      assertThat(answer).isEqualTo("200 orders orders POST /orders/7?x=1");
      LoopbackBackend.Seen seen = backend.next();
      assertThat(seen.method()).isEqualTo("POST");
      assertThat(seen.uri()).isEqualTo("/orders/7?x=1");
      assertThat(seen.bodyBytes()).isEqualTo(12);
      assertThat(seen.version()).isEqualTo("HTTP_1_1");
      assertThat(seen.headers().get("content-length")).isEqualTo("12");
      assertThat(backend.connections()).isEqualTo(1);
      assertThat(backend.url()).isEqualTo("http://127.0.0.1:" + backend.port());
      assertThat(backend.certificate()).isNull();
    }
  }

  @Test
  void aTlsBackendServesACertificateMadeForItsNameThatAClientCanTrust() throws Exception {
    try (LoopbackBackend backend = LoopbackBackend.startTls(vertx, "secure", "secure.internal")) {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(backend.certificate().certificatePath())));

      // Dialled at 127.0.0.1, verified against (and SNI) secure.internal: the certificate's name.
      String answer = client.request(new RequestOptions()
              .setServer(SocketAddress.inetSocketAddress(backend.port(), "127.0.0.1"))
              .setHost("secure.internal").setPort(backend.port()).setURI("/health"))
          .compose(request -> request.send().compose(HttpClientResponse::body))
          .map(Object::toString)
          .await(10, TimeUnit.SECONDS);

      assertThat(answer).isEqualTo("secure GET /health");
      assertThat(backend.url()).isEqualTo("https://127.0.0.1:" + backend.port());
      // Verified against the address it is dialled at: the certificate names no address.
      assertThatThrownBy(() -> call(client, backend, HttpMethod.GET, "/health", ""))
          .hasMessage("Failed to create SSL connection")
          .hasRootCauseMessage("No subject alternative names present");
    }
  }
}
