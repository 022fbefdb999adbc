package dev.gatelink.gateway;

import dev.gatelink.target.WrittenTargetOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gatelink.openapi.OpenApiLoader;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/** The target SPI as the gateway drives it: discovery, asynchronous selection, outcomes, lifecycle, refusal. */
class GatewayTargetsTest {
  private static Vertx vertx;
  private static LoopbackBackend ok;
  private static LoopbackBackend failing;
  private static LoopbackBackend silent;
  private static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    ok = LoopbackBackend.start(vertx, "ok");
    failing = LoopbackBackend.start(vertx, "failing", new HttpServerOptions(),
        request -> request.response().setStatusCode(502).end("bad gateway"));
    silent = LoopbackBackend.start(vertx, "silent", new HttpServerOptions(), request -> { });
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RecordingTargetProvider.endpoints.put("ok", Endpoint.of("127.0.0.1", ok.port()));
    RecordingTargetProvider.endpoints.put("failing", Endpoint.of("127.0.0.1", failing.port()));
    RecordingTargetProvider.endpoints.put("silent", Endpoint.of("127.0.0.1", silent.port()));
    RecordingTargetProvider.endpoints.put("refused", Endpoint.of("127.0.0.1", closedPort));
  }

  @AfterAll
  static void stop() throws Exception {
    ok.close();
    failing.close();
    silent.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void forgetEvents() {
    RecordingTargetProvider.events.clear();
  }

  private static Integration privateIntegration(String uri) {
    return Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vl-1").uri(uri).build();
  }

  @Test
  void providerFoundWithServiceLoaderServesAndHearsEachOutcome() throws Exception {
    try (GatewayServer gateway = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /ok", privateIntegration("recording://ok"))
        .route("GET /failing", privateIntegration("recording://failing"))
        .route("GET /refused", privateIntegration("recording://refused"))
        .route("GET /silent", privateIntegration("recording://silent").toBuilder().timeout(Duration.ofMillis(200)).build())
        .build())) {
      assertThat(gateway.get("/ok").body()).isEqualTo("ok GET /ok");
      assertThat(gateway.get("/failing").statusCode()).isEqualTo(502);
      assertThat(gateway.get("/refused").statusCode()).isEqualTo(503);
      assertThat(gateway.get("/silent").statusCode()).isEqualTo(503);

      assertThat(RecordingTargetProvider.events).containsExactly(
          "start ok", "start failing", "start refused", "start silent",
          "ok " + ok.port() + " SUCCESS",
          "failing " + failing.port() + " SERVER_ERROR",
          "refused " + closedPort + " CONNECT_FAILURE",
          "silent " + silent.port() + " TIMEOUT");
    }
  }

  @Test
  void selectionCompletedOnAnotherThreadContinuesOnTheRequestsEventLoop() throws Exception {
    java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.gatelink.target.TargetProvider foreign = new dev.gatelink.target.TargetProvider() {
      @Override
      public String name() {
        return "foreign";
      }

      @Override
      public String accepts() {
        return "foreign:// uris";
      }

      @Override
      public dev.gatelink.target.Target create(dev.gatelink.target.TargetSpec spec,
          dev.gatelink.target.TargetContext context) {
        if (!spec.uri().startsWith("foreign://")) {
          return null;
        }
        return new dev.gatelink.target.Target() {
          @Override
          public Endpoint selectNow() {
            return null;
          }

          @Override
          public io.vertx.core.Future<Endpoint> select() {
            threads.add("select " + Thread.currentThread().getName());
            io.vertx.core.Promise<Endpoint> promise = io.vertx.core.Promise.promise();
            Thread discovery = new Thread(() -> promise.complete(Endpoint.of("127.0.0.1", ok.port())), "discovery");
            discovery.start();
            return promise.future();
          }

          @Override
          public void report(Endpoint endpoint, dev.gatelink.target.Outcome outcome) {
            threads.add("report " + Thread.currentThread().getName() + " " + outcome);
          }

          @Override
          public dev.gatelink.target.TlsPolicy tls() {
            return dev.gatelink.target.TlsPolicy.none();
          }
        };
      }
    };
    try (GatewayServer gateway = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /foreign", privateIntegration("foreign://ok")).build(), builder -> builder.targetProvider(foreign))) {
      for (int i = 0; i < 8; i++) {
        assertThat(gateway.get("/foreign").body()).isEqualTo("ok GET /foreign");
      }
    }

    String loop = threads.get(0).substring("select ".length());
    assertThat(loop).startsWith("vert.x-eventloop-thread-");
    java.util.List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      expected.add("select " + loop);
      expected.add("report " + loop + " SUCCESS");
    }
    assertThat(threads).containsExactlyElementsOf(expected);
  }

  @Test
  void anEndpointPickedAfterTheRequestEndedIsStillReported() throws Exception {
    List<String> reports = new CopyOnWriteArrayList<>();
    Promise<Endpoint> late = Promise.promise();
    TargetProvider slow = new TargetProvider() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public String accepts() {
        return "slow:// uris";
      }

      @Override
      public Target create(TargetSpec spec, TargetContext context) {
        return !spec.uri().startsWith("slow://") ? null : new Target() {
          @Override
          public Endpoint selectNow() {
            return null;
          }

          @Override
          public Future<Endpoint> select() {
            return late.future();
          }

          @Override
          public void report(Endpoint endpoint, Outcome outcome) {
            reports.add(endpoint + " " + outcome);
          }

          @Override
          public dev.gatelink.target.TlsPolicy tls() {
            return dev.gatelink.target.TlsPolicy.none();
          }
        };
      }
    };
    Integration integration = privateIntegration("slow://a").toBuilder().timeout(Duration.ofMillis(100)).build();
    try (GatewayServer gateway = GatewayServer.start(vertx, ApiDefinition.builder().route("GET /x", integration)
        .build(), builder -> builder.targetProvider(slow))) {
      HttpResponse<String> response = gateway.get("/x");
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
      assertThat(reports).isEmpty();

      late.complete(Endpoint.of("127.0.0.1", ok.port()));

      await().atMost(Duration.ofSeconds(10)).until(() -> !reports.isEmpty());
      assertThat(reports).containsExactly("127.0.0.1:" + ok.port() + " CANCELLED");
    }
  }

  @Test
  void failedSelectionIsServiceUnavailable() throws Exception {
    try (GatewayServer gateway = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /x", privateIntegration("recording://unknown")).build())) {
      assertThat(gateway.get("/x").statusCode()).isEqualTo(503);
      assertThat(gateway.get("/x").body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    }
  }

  @Test
  void uriThatNoProviderClaimsFailsTheStartNamingEveryProviderAsked() {
    String arn = "arn:aws:servicediscovery:eu-west-1:111122223333:service/srv-0f1e2d3c4b5a6978";
    ApiDefinition api = ApiDefinition.builder().route("GET /x", privateIntegration(arn)).build();

    assertThatThrownBy(() -> Gateway.builder(vertx, api).start().toCompletionStage().toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage '$default', route 'GET /x': integration uri '" + arn
            + "' is not claimed by any target provider: asked recording (recording://NAME test uris); "
            + "url (http:// and https:// URLs)");
  }

  @Test
  void providerThatFindsAUriMalformedFailsTheStartWithItsReason() {
    ApiDefinition api = ApiDefinition.builder().route("GET /x", privateIntegration("recording://")).build();

    assertThatThrownBy(() -> Gateway.builder(vertx, api).start().toCompletionStage().toCompletableFuture().get())
        .cause()
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage '$default', route 'GET /x': target provider recording refused integration uri "
            + "'recording://': recording uri has no name: expected recording://NAME");
  }

  @Test
  void targetsCreatedBeforeALaterIntegrationIsRefusedAreClosed() {
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /a", privateIntegration("recording://ok"))
        .route("GET /b", privateIntegration("recording://"))
        .build();

    assertThatThrownBy(() -> Gateway.builder(vertx, api).start().toCompletionStage().toCompletableFuture().get())
        .cause()
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage '$default', route 'GET /b': target provider recording refused integration uri "
            + "'recording://': recording uri has no name: expected recording://NAME");
    assertThat(RecordingTargetProvider.events).containsExactly("close ok");
  }

  @Test
  void targetsOfAStartThatFailsAreClosed() {
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /a", privateIntegration("recording://ok"))
        .build();

    assertThatThrownBy(() -> Gateway.builder(vertx, api)
        .clientOptions(new io.vertx.core.http.HttpClientOptions().setTrustOptions(
            new io.vertx.core.net.PemTrustOptions().addCertPath("/nonexistent/ca.pem")))
        .start().toCompletionStage().toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class);
    assertThat(RecordingTargetProvider.events).containsExactly("close ok");
  }

  @Test
  void urlTargetsRefuseTargetOptionsByName() {
    ApiDefinition api = ApiDefinition.builder().route("GET /x", Integration.builder().uri("http://127.0.0.1:1/x")
        .targetOptions(WrittenTargetOptions.builder().option("healthStatus", "ALL").option("loadBalancing",
            "round_robin").build()).build()).build();

    assertThatThrownBy(() -> Gateway.builder(vertx, api).start().toCompletionStage().toCompletableFuture().get())
        .cause()
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage '$default', route 'GET /x': target provider url refused integration uri "
            + "'http://127.0.0.1:1/x' with target options {healthStatus=ALL, loadBalancing=round_robin}: URL targets "
            + "take no target options: got healthStatus, loadBalancing");
  }

  @Test
  void aRefusalOfAnOptionLoadedFromAFileNamesTheFileAndTheOptionsPointer() {
    ApiDefinition api = OpenApiLoader.builder().build().parse(String.join("\n",
        "openapi: 3.0.1",
        "paths:",
        "  /orders:",
        "    get:",
        "      x-amazon-apigateway-integration:",
        "        type: http_proxy",
        "        uri: http://127.0.0.1:1/orders",
        "      x-gatelink-target:",
        "        healthStatus: ALL",
        ""), "api.yaml");

    assertThatThrownBy(() -> Gateway.builder(vertx, api).start().toCompletionStage().toCompletableFuture().get())
        .cause()
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("api.yaml: /paths/~1orders/get/x-gatelink-target/healthStatus: stage '$default', route "
            + "'GET /orders': target provider url "
            + "refused integration uri 'http://127.0.0.1:1/orders' with target options {healthStatus=ALL}: URL "
            + "targets take no target options: got healthStatus");
  }

  @Test
  void integrationsThatDifferOnlyInTargetOptionsGetATargetEach() throws Exception {
    Integration plain = privateIntegration("recording://ok");
    try (GatewayServer gateway = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /a", plain)
        .route("GET /b", plain)
        .route("GET /c", plain.toBuilder().targetOptions(WrittenTargetOptions.of(Map.of("weight", "2"))).build())
        .build())) {
      assertThat(RecordingTargetProvider.events).containsExactly("start ok", "start ok");
    }
  }

  @Test
  void updateStartsTheNewTargetsBeforeClosingTheOldOnes() throws Exception {
    try (GatewayServer gateway = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /x", privateIntegration("recording://ok")).build())) {
      gateway.gateway.update(ApiDefinition.builder().route("GET /x", privateIntegration("recording://failing")).build())
          .await(10, TimeUnit.SECONDS);

      assertThat(RecordingTargetProvider.events).containsExactly("start ok", "start failing", "close ok");
      assertThat(gateway.get("/x").statusCode()).isEqualTo(502);
    }
  }

  @Test
  void invalidUpdateKeepsTheOldApi() throws Exception {
    try (GatewayServer gateway = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /x", privateIntegration("recording://ok")).build())) {
      ApiDefinition invalid = ApiDefinition.builder().route("GET /x", privateIntegration("arn:aws:nothing")).build();

      assertThatThrownBy(() -> gateway.gateway.update(invalid).await(10, TimeUnit.SECONDS))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith("stage '$default', route 'GET /x': integration uri 'arn:aws:nothing' is not claimed");
      assertThat(gateway.get("/x").body()).isEqualTo("ok GET /x");
    }
  }
}
