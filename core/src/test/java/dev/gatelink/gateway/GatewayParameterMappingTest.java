package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.config.Stage;
import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parameter mapping (spec section 4) through real sockets: each request key and value source, with the exact
 * path, query and headers the backend saw; response mappings by the integration's status, with the exact
 * status and headers the client saw.
 */
class GatewayParameterMappingTest {
  private static final String LISTENER =
      "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/50dc6c495c0c9188/0467ef3c8400ae65";
  private static Vertx vertx;
  private static LoopbackBackend ok;
  private static LoopbackBackend answers;
  private static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    ok = LoopbackBackend.start(vertx, "ok");
    // Answers with the status its query asks for, a JSON body and headers to map.
    answers = LoopbackBackend.start(vertx, "answers", new HttpServerOptions(), request -> {
      String wanted = request.getParam("status");
      request.response().setStatusCode(wanted == null ? 200 : Integer.parseInt(wanted))
          .putHeader("x-cause", "db")
          .putHeader("x-internal", "secret")
          .putHeader("content-type", "application/json")
          .end("{\"error\":{\"code\":\"E42\",\"items\":[1,{\"id\":\"x\"}]}}");
    });
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /headers/{id}", Integration.builder().uri(ok.url() + "/h")
            .requestParameter("append:header.x-request-id", "$context.requestId")
            .requestParameter("overwrite:header.x-tenant", "${request.header.x-a}/${stageVariables.env}")
            .requestParameter("remove:header.x-drop", "")
            .requestParameter("append:header.x-id", "$request.path.id")
            .requestParameter("overwrite:header.x-static", "fixed text")
            .requestParameter("append:header.x-route", "${context.routeKey} at ${context.stage}")
            .requestParameter("overwrite:header.x-missing", "$request.header.x-absent")
            .requestParameter("overwrite:header.x-from-query", "$request.querystring.q")
            .build())
        .route("GET /query", Integration.builder().uri(ok.url() + "/q")
            .requestParameter("append:querystring.added", "a b&c")
            .requestParameter("overwrite:querystring.page", "$request.header.x-page")
            .requestParameter("remove:querystring.secret", "")
            .requestParameter("append:querystring.joined", "$request.querystring.multi")
            .build())
        .route("GET /rename", Integration.builder().uri(ok.url() + "/r")
            .requestParameter("append:header.x-new", "$request.header.x-old")
            .requestParameter("remove:header.x-old", "")
            .build())
        .route("ANY /private/{proxy+}", Integration.builder()
            .connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1").uri(LISTENER)
            .requestParameter("overwrite:path", "$request.path")
            .build())
        .route("GET /moved/{id}", Integration.builder().uri(ok.url() + "/old")
            .requestParameter("overwrite:path", "/v2/items/${request.path.id}/detail")
            .build())
        .route("POST /body", Integration.builder().uri(ok.url() + "/b")
            .requestParameter("append:header.x-code", "$request.body.order.items[1]['sku']")
            .requestParameter("append:header.x-whole", "$request.body")
            .requestParameter("append:header.x-object", "$request.body.order.total")
            .build())
        .route("POST /big", Integration.builder().uri(ok.url() + "/big")
            .requestParameter("append:header.x-code", "$request.body.order.items[1]['sku']")
            .build())
        .route("GET /answers", Integration.builder().uri(answers.url() + "/")
            .responseParameters("404", Map.of(
                "overwrite:statuscode", "410",
                "append:header.x-error-code", "$response.body.error.code",
                "append:header.x-cause-copy", "$response.header.x-cause",
                "remove:header.x-internal", "''",
                "append:header.x-request", "$context.requestId"))
            .responseParameters("500", Map.of("overwrite:statuscode", "$response.body.error.items[1].id"))
            .build())
        .stage(Stage.of("prod", Map.of("env", "production")))
        .build();
    gateway = GatewayServer.start(vertx, api, builder -> builder.resolve(LISTENER, "127.0.0.1", ok.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    ok.close();
    answers.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void clear() {
    ok.seen().clear();
  }

  @Test
  void requestHeaderMappingsFromEverySource() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/headers/7?q=search"))
        .header("x-a", "one").header("x-a", "two").header("x-drop", "gone").header("x-missing", "kept")
        .build());

    assertThat(response.statusCode()).isEqualTo(200);
    LoopbackBackend.Seen seen = ok.next();
    assertThat(seen.uri()).isEqualTo("/h?q=search");
    assertThat(seen.headers().getAll("x-request-id"))
        .containsExactly(response.headers().firstValue("apigw-requestid").orElseThrow());
    assertThat(seen.headers().getAll("x-tenant")).containsExactly("one,two/production");
    assertThat(seen.headers().getAll("x-drop")).isEmpty();
    assertThat(seen.headers().getAll("x-id")).containsExactly("7");
    assertThat(seen.headers().getAll("x-static")).containsExactly("fixed text");
    assertThat(seen.headers().getAll("x-route")).containsExactly("GET /headers/{id} at prod");
    // A single source without a value is not applied: the client's own header stays.
    assertThat(seen.headers().getAll("x-missing")).containsExactly("kept");
    assertThat(seen.headers().getAll("x-from-query")).containsExactly("search");
  }

  @Test
  void mappedValueWithALineBreakIsNeverSent() throws Exception {
    gateway.get("/prod/headers/7?q=a%0D%0Ax-injected:%201");

    LoopbackBackend.Seen seen = ok.next();
    assertThat(seen.headers().getAll("x-from-query")).isEmpty();
    assertThat(seen.headers().getAll("x-injected")).isEmpty();
    assertThat(seen.uri()).isEqualTo("/h?q=a%0D%0Ax-injected:%201");
  }

  @Test
  void querystringMappingsAppendOverwriteAndRemoveEncodingWhatTheyAdd() throws Exception {
    gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/query?page=1&secret=s&multi=a&multi=b&keep=%7E"))
        .header("x-page", "3").build());

    assertThat(ok.next().uri()).isEqualTo("/q?multi=a&multi=b&keep=%7E&page=3&added=a%20b%26c&joined=a%2Cb");
  }

  @Test
  void renameIsAppendTheNewAndRemoveTheOld() throws Exception {
    gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/rename")).header("x-old", "value").build());

    LoopbackBackend.Seen seen = ok.next();
    assertThat(seen.headers().getAll("x-new")).containsExactly("value");
    assertThat(seen.headers().getAll("x-old")).isEmpty();
  }

  @Test
  void overwritePathWithRequestPathStripsTheStageForAPrivateIntegration() throws Exception {
    HttpResponse<String> response = gateway.get("/prod/private/a%20b/c?x=1");

    assertThat(response.body()).isEqualTo("ok GET /private/a%20b/c?x=1");
  }

  @Test
  void overwritePathFromATemplateEncodesWhatAPathCannotHold() throws Exception {
    HttpResponse<String> response = gateway.get("/prod/moved/a%3Fb%20c");

    assertThat(response.body()).isEqualTo("ok GET /v2/items/a%3Fb%20c/detail");
  }

  @Test
  void bodyJsonPathsAndTheWholeBody() throws Exception {
    String body = "{\"order\":{\"items\":[{\"sku\":\"a\"},{\"sku\":\"tea\"}],\"total\":{\"amount\":12.5}}}";
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/body"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());

    assertThat(response.statusCode()).isEqualTo(200);
    LoopbackBackend.Seen seen = ok.next();
    assertThat(seen.headers().getAll("x-code")).containsExactly("tea");
    assertThat(seen.headers().getAll("x-whole")).containsExactly(body);
    assertThat(seen.headers().getAll("x-object")).containsExactly("{\"amount\":12.5}");
    assertThat(seen.bodyBytes()).isEqualTo(body.length());
  }

  @Test
  void bodyOverOneHundredKilobytesIsCutForJsonPathsButForwardedWhole() throws Exception {
    String body = "{\"order\":{\"items\":[{\"sku\":\"a\"},{\"sku\":\"tea\"}]},\"pad\":\"" + "x".repeat(200_000) + "\"}";
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/big"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());

    assertThat(response.statusCode()).isEqualTo(200);
    LoopbackBackend.Seen seen = ok.next();
    // The first 100 KB are not a whole JSON document: the path has no value, so the mapping is not applied.
    assertThat(seen.headers().getAll("x-code")).isEmpty();
    assertThat(seen.bodyBytes()).isEqualTo(body.length());
  }

  @Test
  void responseMappingsByTheIntegrationsStatus() throws Exception {
    HttpResponse<String> response = gateway.get("/prod/answers?status=404");

    assertThat(response.statusCode()).isEqualTo(410);
    assertThat(response.headers().allValues("x-error-code")).containsExactly("E42");
    assertThat(response.headers().allValues("x-cause-copy")).containsExactly("db");
    assertThat(response.headers().allValues("x-internal")).isEmpty();
    assertThat(response.headers().allValues("x-request"))
        .containsExactly(response.headers().firstValue("apigw-requestid").orElseThrow());
    assertThat(response.body()).isEqualTo("{\"error\":{\"code\":\"E42\",\"items\":[1,{\"id\":\"x\"}]}}");
  }

  @Test
  void statusWithoutMappingsIsUntouched() throws Exception {
    HttpResponse<String> response = gateway.get("/prod/answers");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().allValues("x-internal")).containsExactly("secret");
    assertThat(response.headers().allValues("x-error-code")).isEmpty();
  }

  @Test
  void statusCodeThatEvaluatesToNoStatusIsNotApplied() throws Exception {
    HttpResponse<String> response = gateway.get("/prod/answers?status=500");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"error\":{\"code\":\"E42\",\"items\":[1,{\"id\":\"x\"}]}}");
  }
}
