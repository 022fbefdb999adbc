package dev.gatelink.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code vertx-http-proxy} peer, with two event loops sharing one port of its own (not the backend's, which
 * Vert.x would share if both asked for port -1), forwards every request to the backend.
 */
class HttpProxyPeerTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void forwardsEveryRequestWithTwoEventLoopsOnAPortOfItsOwn() throws Exception {
    int backend = HelloBackend.start(vertx, "127.0.0.1", 0, 1, Duration.ZERO).await(10, TimeUnit.SECONDS);
    int proxy = HttpProxyPeer.start(vertx, "127.0.0.1", 0, 2, "127.0.0.1", backend, 4)
        .await(10, TimeUnit.SECONDS);

    assertThat(proxy).isPositive().isNotEqualTo(backend);
    for (int i = 0; i < 4; i++) {
      // A client per request: a new connection each time, so that both event loops accept some.
      HttpClient client = vertx.createHttpClient();
      String answer = client.request(HttpMethod.GET, proxy, "127.0.0.1", "/any/path?i=" + i)
          .compose(request -> request.send().compose(response -> response.body().map(body ->
              response.statusCode() + " " + response.getHeader("content-type") + " " + body)))
          .await(10, TimeUnit.SECONDS);
      assertThat(answer).isEqualTo("200 text/plain " + HelloBackend.BODY);
      client.close().await(10, TimeUnit.SECONDS);
    }
  }
}
