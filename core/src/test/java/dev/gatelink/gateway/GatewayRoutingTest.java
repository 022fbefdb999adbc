package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Stage;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/** Routing through a real gateway to several backends on loopback, on the $default and named stages. */
class GatewayRoutingTest {
  private static Vertx vertx;
  private static LoopbackBackend orders;
  private static LoopbackBackend catchAll;
  private static LoopbackBackend fallback;
  private static LoopbackBackend privateBackend;
  private static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    orders = LoopbackBackend.start(vertx, "orders");
    catchAll = LoopbackBackend.start(vertx, "catch-all");
    fallback = LoopbackBackend.start(vertx, "fallback");
    privateBackend = LoopbackBackend.start(vertx, "private");
    String listener = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/0a1b2c3d4e5f6071/8899aabbccddeeff";
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /orders/{id}", Integration.http(orders.url() + "/v1/orders/{id}"))
        .route("ANY /shop/{proxy+}", Integration.http(catchAll.url() + "/base/{proxy}?source=gw"))
        .route("GET /private/{proxy+}", Integration.builder().connectionType(ConnectionType.VPC_LINK)
            .connectionId("vl-1234ab").uri(listener).build())
        .route("GET /staged", Integration.http("http://${stageVariables.host}:" + orders.port() + "/staged"))
        .defaultRoute(Integration.http(fallback.url() + "/root"))
        .stage(Stage.of("$default", Map.of("host", "127.0.0.1")))
        .stage(Stage.of("prod", Map.of("host", "localhost")))
        .build();
    gateway = GatewayServer.start(vertx, api, builder -> builder.resolve(listener, "127.0.0.1", privateBackend.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    for (LoopbackBackend backend : new LoopbackBackend[] {orders, catchAll, fallback, privateBackend}) {
      backend.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void forgetEarlierRequests() {
    for (LoopbackBackend backend : new LoopbackBackend[] {orders, catchAll, fallback, privateBackend}) {
      backend.seen().clear();
    }
  }

  @Test
  void variableRouteGoesToItsBackendWithTheVariableSubstituted() throws Exception {
    HttpResponse<String> response = gateway.get("/orders/42");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("orders GET /v1/orders/42");
    assertThat(response.headers().firstValue("x-backend")).hasValue("orders");
    assertThat(response.headers().firstValue("apigw-requestid")).hasValueSatisfying(
        id -> assertThat(id).matches("[A-Za-z0-9+/]{15}="));
    assertThat(orders.next().uri()).isEqualTo("/v1/orders/42");
  }

  @Test
  void greedyRouteSubstitutesProxyAndMergesTheQuery() throws Exception {
    HttpResponse<String> response = gateway.get("/shop/a/b%20c?x=1&y=2");

    assertThat(response.body()).isEqualTo("catch-all GET /base/a/b%20c?source=gw&x=1&y=2");
  }

  @Test
  void decodedVariableIsEncodedAgainSoItCannotAddSegments() throws Exception {
    HttpResponse<String> response = gateway.get("/orders/a%2Fb%3F%25");

    assertThat(response.body()).isEqualTo("orders GET /v1/orders/a%2Fb%3F%25");
  }

  @Test
  void defaultRouteAppendsTheRequestPathToTheUri() throws Exception {
    HttpResponse<String> response = gateway.get("/store/checkout?step=2");

    assertThat(response.body()).isEqualTo("fallback GET /root/store/checkout?step=2");
  }

  @Test
  void namedStageIsTheFirstSegmentAndIsNotSentToUrlIntegrations() throws Exception {
    HttpResponse<String> response = gateway.get("/prod/orders/7");

    assertThat(response.body()).isEqualTo("orders GET /v1/orders/7");
  }

  @Test
  void privateIntegrationGetsThePathWithItsStageSegment() throws Exception {
    HttpResponse<String> response = gateway.get("/prod/private/a/b?q=1");

    assertThat(response.body()).isEqualTo("private GET /prod/private/a/b?q=1");
    assertThat(privateBackend.next().headers().get("host")).isEqualTo("127.0.0.1:" + gateway.server.actualPort());
  }

  @Test
  void privateIntegrationOnTheDefaultStageGetsThePathAsIs() throws Exception {
    HttpResponse<String> response = gateway.get("/private/x");

    assertThat(response.body()).isEqualTo("private GET /private/x");
  }

  @Test
  void stageVariablesAreSubstitutedPerStage() throws Exception {
    assertThat(gateway.get("/staged").body()).isEqualTo("orders GET /staged");
    assertThat(orders.next().headers().get("host")).isEqualTo("127.0.0.1:" + orders.port());
    assertThat(gateway.get("/prod/staged").body()).isEqualTo("orders GET /staged");
    assertThat(orders.next().headers().get("host")).isEqualTo("localhost:" + orders.port());
  }

  @Test
  void methodMismatchFallsToDefaultRoute() throws Exception {
    HttpResponse<String> response = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/orders/1"))
        .DELETE().build());

    assertThat(response.body()).isEqualTo("fallback DELETE /root/orders/1");
  }
}
