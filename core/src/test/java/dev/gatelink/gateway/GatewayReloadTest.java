package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Stage;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/** Replacing the API while requests flow loses none; the gateway mounted on a Vert.x Web Router. */
class GatewayReloadTest {
  private static Vertx vertx;
  private static LoopbackBackend blue;
  private static LoopbackBackend green;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    blue = LoopbackBackend.start(vertx, "blue");
    green = LoopbackBackend.start(vertx, "green");
  }

  @AfterAll
  static void stop() throws Exception {
    blue.close();
    green.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static ApiDefinition api(LoopbackBackend backend) {
    return ApiDefinition.builder().route("GET /who", Integration.http(backend.url() + "/who")).build();
  }

  @Test
  void reloadsUnderLoadLoseNoRequest() throws Exception {
    int total = 4_000;
    int concurrency = 32;
    try (GatewayServer gateway = GatewayServer.start(vertx, api(blue))) {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(concurrency));
      Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
      AtomicInteger started = new AtomicInteger();
      Promise<Void> finished = Promise.promise();
      AtomicInteger running = new AtomicInteger(concurrency);
      RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
          .setPort(gateway.server.actualPort()).setURI("/who");
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (started.incrementAndGet() > total) {
          if (running.decrementAndGet() == 0) {
            finished.tryComplete();
          }
          return;
        }
        client.request(request).compose(r -> r.send().compose(response -> response.body()
                .map(body -> response.statusCode() + " " + body)))
            .recover(failure -> Future.succeededFuture("failed " + failure))
            .onComplete(result -> {
              answers.computeIfAbsent(result.result(), k -> new AtomicInteger()).incrementAndGet();
              next[0].run();
            });
      };
      vertx.runOnContext(v -> {
        for (int i = 0; i < concurrency; i++) {
          next[0].run();
        }
      });
      int reloads = 0;
      while (!finished.future().isComplete() && reloads < 200) {
        gateway.gateway.update(api(reloads % 2 == 0 ? green : blue)).await(10, TimeUnit.SECONDS);
        reloads++;
      }
      finished.future().await(60, TimeUnit.SECONDS);
      client.close().await(10, TimeUnit.SECONDS);

      assertThat(reloads).isGreaterThan(1);
      assertThat(answers.keySet()).isSubsetOf("200 blue GET /who", "200 green GET /who");
      int served = answers.values().stream().mapToInt(AtomicInteger::get).sum();
      assertThat(served).isEqualTo(total);
    }
  }

  @Test
  void afterAnUpdateCompletesNewRequestsGoToTheNewApi() throws Exception {
    try (GatewayServer gateway = GatewayServer.start(vertx, api(blue))) {
      assertThat(gateway.get("/who").body()).isEqualTo("blue GET /who");

      gateway.gateway.update(api(green)).await(10, TimeUnit.SECONDS);

      assertThat(gateway.get("/who").body()).isEqualTo("green GET /who");
      assertThat(gateway.gateway.api().routes().get(0).value().uri()).isEqualTo(green.url() + "/who");
    }
  }

  @Test
  void mountedOnARouterUnderAPrefix() throws Exception {
    String listener = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/a/0a1b2c3d4e5f6071/8899aabbccddeeff";
    ApiDefinition definition = ApiDefinition.builder()
        .route("GET /who", Integration.http(blue.url() + "/who"))
        .route("GET /private/{proxy+}", Integration.builder().connectionType(ConnectionType.VPC_LINK)
            .connectionId("vl-1").uri(listener).build())
        .stage(Stage.of("$default"))
        .stage(Stage.of("prod"))
        .build();
    Gateway gateway = Gateway.builder(vertx, definition).resolve(listener, "127.0.0.1", green.port()).start()
        .await(10, TimeUnit.SECONDS);
    Router router = Router.router(vertx);
    router.get("/health").handler(context -> context.response().end("healthy"));
    GatewayRouter.mount(router, "/api", gateway);
    io.vertx.core.http.HttpServer server = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(router);
    server.listen().await(10, TimeUnit.SECONDS);
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    try {
      String base = "http://127.0.0.1:" + server.actualPort();
      assertThat(client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("healthy");
      assertThat(client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/who")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("blue GET /who");
      assertThat(client.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(base + "/api/prod/private/a?b=c")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("green GET /prod/private/a?b=c");
      assertThat(client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/nothing")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    } finally {
      server.close().await(10, TimeUnit.SECONDS);
      gateway.close().await(10, TimeUnit.SECONDS);
    }
  }
}
