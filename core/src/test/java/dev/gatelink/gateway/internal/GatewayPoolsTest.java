package dev.gatelink.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.Integration;
import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's per-loop pools: made on first use, dropped once no request used them for the idle timeout. */
class GatewayPoolsTest {
  private Vertx vertx;
  private LoopbackBackend first;
  private LoopbackBackend second;
  private GatewayEngine engine;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    first = LoopbackBackend.start(vertx, "first");
    second = LoopbackBackend.start(vertx, "second");
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /first", Integration.http(first.url() + "/"))
        .route("GET /second", Integration.http(second.url() + "/"))
        .build();
    EngineSettings settings = new EngineSettings(List.of(), Map.of(), new HttpClientOptions(), 4,
        1024, "HTTP/1.1 AmazonAPIGateway", Duration.ofMillis(300), null, null, List.of(), Map.of());
    engine = GatewayEngine.start(vertx, api, settings).await(10, TimeUnit.SECONDS);
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> engine.handle(request, request.path(), true));
    server.listen().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    engine.close().await(10, TimeUnit.SECONDS);
    first.close();
    second.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private String get(String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private int pools() throws Exception {
    return engine.poolCount().await(10, TimeUnit.SECONDS);
  }

  @Test
  void poolsOfEndpointsNoRequestUsesAnyMoreAreDropped() throws Exception {
    assertThat(get("/first")).isEqualTo("first GET /");
    assertThat(get("/second")).isEqualTo("second GET /");
    assertThat(pools()).isEqualTo(2);

    // The idle connections close after 300 ms, and their pools go at a later sweep.
    await().atMost(Duration.ofSeconds(10)).until(() -> pools() == 0);
    assertThat(first.closedConnections()).isEqualTo(1);
    assertThat(second.closedConnections()).isEqualTo(1);

    assertThat(get("/first")).isEqualTo("first GET /");
    assertThat(pools()).isEqualTo(1);
  }
}
