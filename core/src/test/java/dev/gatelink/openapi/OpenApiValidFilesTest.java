package dev.gatelink.openapi;

import dev.gatelink.target.WrittenTargetOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatelink.route.Route;
import dev.gatelink.route.RouteKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.CorsConfiguration;
import dev.gatelink.config.Stage;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/** The files under {@code openapi/valid/}, each loaded into exactly the model it describes. */
class OpenApiValidFilesTest {
  private static final Path DIR = Path.of("src/test/resources/openapi/valid");

  private static final Integration ORDERS_ALB = Integration.builder()
      .connectionType(ConnectionType.VPC_LINK)
      .connectionId("vl-1234ab")
      .method("ANY")
      .uri("arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders-alb/0a1b2c3d4e5f6071/8899aabbccddeeff")
      .payloadFormatVersion("1.0")
      .timeout(Duration.ofMillis(10_000))
      .serverNameToVerify("orders.internal.example.com")
      .requestParameter("overwrite:path", "$request.path")
      .requestParameter("append:header.x-request-id", "$context.requestId")
      .responseParameters("404", Map.of("overwrite:statuscode", "410"))
      .build();
  private static final Integration STOCK_NLB = Integration.builder()
      .connectionType(ConnectionType.VPC_LINK)
      .connectionId("vl-1234ab")
      .method("ANY")
      .uri("arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/net/stock-nlb/1122334455667788/99aabbccddeeff00")
      .payloadFormatVersion("1.0")
      .serverNameToVerify("stock.internal.example.com")
      .build();
  private static final Integration CATALOG_CLOUD_MAP = Integration.builder()
      .connectionType(ConnectionType.VPC_LINK)
      .connectionId("vl-1234ab")
      .method("ANY")
      .uri("arn:aws:servicediscovery:eu-west-1:111122223333:service/srv-0f1e2d3c4b5a6978?deployment=blue")
      .payloadFormatVersion("1.0")
      .timeout(Duration.ofMillis(30_000))
      .build();
  private static final CorsConfiguration SHOP_CORS = new CorsConfiguration(
      List.of("https://shop.example.com"), true, List.of("x-request-id"), 600, List.of("GET", "POST", "OPTIONS"),
      List.of("authorization", "content-type"));

  private static final OpenApiLoader LOADER = OpenApiLoader.builder().build();

  private static Route<Integration> route(String key, Integration integration) {
    return new Route<>(RouteKey.parse(key), integration);
  }

  private static void assertShopEdge(ApiDefinition api) {
    assertThat(api.routes()).containsExactly(
        route("GET /orders/{orderId}", ORDERS_ALB),
        route("ANY /stock/{proxy+}", STOCK_NLB),
        route("$default", CATALOG_CLOUD_MAP));
    assertThat(api.cors()).contains(SHOP_CORS);
    assertThat(api.stages()).containsExactly(Stage.of("$default"));
  }

  @Test
  void loadsTheSpecExampleVerbatim() {
    assertShopEdge(LOADER.load(DIR.resolve("shop-edge.yaml")));
  }

  @Test
  void loadsTheSpecExampleWrittenAsJson() {
    assertShopEdge(LOADER.load(DIR.resolve("shop-edge.json")));
  }

  @Test
  void theDefaultPathBecomesTheRouteTablesDefaultRoute() {
    ApiDefinition api = LOADER.load(DIR.resolve("shop-edge.yaml"));

    assertThat(api.routeTable().defaultRoute()).map(Route::value).contains(CATALOG_CLOUD_MAP);
  }

  @Test
  void acceptsTheDefaultPathWithoutItsSlash() {
    ApiDefinition api = LOADER.load(DIR.resolve("default-without-slash.yaml"));

    assertThat(api.routes()).containsExactly(
        route("GET /health", Integration.builder().method("GET").uri("https://health.example.com/ping").build()),
        route("$default", Integration.http("https://backend.example.com")));
    assertThat(api.routes().get(1).key()).isSameAs(RouteKey.DEFAULT);
    assertThat(api.cors()).isEmpty();
    assertThat(api.stages()).containsExactly(Stage.of("$default"));
  }

  @Test
  void leavesTheRootPassthroughExtensionToTheNlbAdapter() {
    ApiDefinition api = LOADER.load(DIR.resolve("with-passthrough.yaml"));

    assertThat(api.routes()).containsExactly(route("GET /health", Integration.builder()
        .method("GET")
        .uri("https://health.example.com/ping")
        .payloadFormatVersion("1.0")
        .build()));
    assertThat(api.stages()).containsExactly(Stage.of("$default"));
  }

  @Test
  void acceptsLooseValueTypes() {
    ApiDefinition api = LOADER.load(DIR.resolve("loose-types.yaml"));

    assertThat(api.routes()).containsExactly(
        route("POST /items", Integration.builder()
            .method("POST")
            .uri("https://items.example.com/items")
            .timeout(Duration.ofMillis(10_000))
            .build()),
        route("DELETE /items/{id}", Integration.builder()
            .method("ANY")
            .uri("https://items.example.com/items/{id}")
            .payloadFormatVersion("1.0")
            .build()));
    assertThat(api.cors()).isEmpty();
    assertThat(api.stages()).containsExactly(Stage.of("$default"));
  }

  @Test
  void resolvesTheAwsPlaceholdersAndKeepsTheMappingSources() {
    OpenApiLoader loader = OpenApiLoader.builder().awsRegion("eu-west-1").awsAccountId("111122223333").build();

    ApiDefinition api = loader.load(DIR.resolve("aws-placeholders.yaml"));

    assertThat(api.routes()).containsExactly(route("GET /orders", Integration.builder()
        .connectionType(ConnectionType.VPC_LINK)
        .connectionId("vl-1234ab")
        .uri("arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/0a1b2c3d4e5f6071/8899aabbccddeeff")
        .requestParameter("append:header.x-region", "eu-west-1")
        .requestParameter("append:header.x-request", "${context.requestId} ${request.header.user-agent}")
        .build()));
    assertThat(api.stages()).containsExactly(Stage.of("$default"));
  }

  @Test
  void readsTheTargetOptionsOfAnOperationAndLeavesTheSharedIntegrationAlone() {
    OpenApiLoader loader = OpenApiLoader.builder().awsRegion("eu-west-1").awsAccountId("111122223333").build();

    ApiDefinition api = loader.load(DIR.resolve("target-options.yaml"));

    Integration catalog = Integration.builder()
        .connectionType(ConnectionType.VPC_LINK)
        .connectionId("vl-1234ab")
        .uri("arn:aws:servicediscovery:eu-west-1:111122223333:service/srv-0f1e2d3c4b5a6978")
        .build();
    assertThat(api.routes()).containsExactly(
        route("ANY /catalog/{proxy+}", catalog.toBuilder()
            .targetOptions(WrittenTargetOptions.builder()
                .option("healthStatus", "HEALTHY_OR_ELSE_ALL")
                .option("loadBalancing", "least_outstanding_requests")
                .option("optionalParameters.zone", "eu-west-1a")
                .option("pollIntervalMillis", "5000")
                .option("reportHealth", "true")
                .build())
            .build()),
        route("GET /catalog", catalog));
    assertThat(api.routes().get(0).value().targetOptions().asMap().keySet()).containsExactly("healthStatus",
        "loadBalancing", "optionalParameters.zone", "pollIntervalMillis", "reportHealth");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "eu-west-1, aws",
      "cn-north-1, aws-cn",
      "cn-northwest-1, aws-cn",
      "us-gov-west-1, aws-us-gov",
      "us-east-1, aws",
  })
  void derivesThePartitionFromTheRegion(String region, String partition) {
    OpenApiLoader loader = OpenApiLoader.builder().awsRegion(region).awsAccountId("111122223333").build();

    ApiDefinition api = loader.load(DIR.resolve("aws-placeholders.yaml"));

    assertThat(api.routes().get(0).value().uri()).isEqualTo("arn:" + partition + ":elasticloadbalancing:" + region
        + ":111122223333:listener/app/orders/0a1b2c3d4e5f6071/8899aabbccddeeff");
  }

  @Test
  void aGivenPartitionWinsOverTheRegion() {
    OpenApiLoader loader = OpenApiLoader.builder()
        .awsPartition("aws-iso")
        .awsRegion("us-iso-east-1")
        .awsAccountId("111122223333")
        .build();

    ApiDefinition api = loader.load(DIR.resolve("aws-placeholders.yaml"));

    assertThat(api.routes().get(0).value().uri()).isEqualTo(
        "arn:aws-iso:elasticloadbalancing:us-iso-east-1:111122223333:listener/app/orders/0a1b2c3d4e5f6071/8899aabbccddeeff");
  }

  @Test
  void loadsInternetRoutesWithStagesThatDefineTheirStageVariables() {
    Stage prod = Stage.of("prod", Map.of("catalogHost", "catalog.example.com", "domain", "example.com"));
    Stage beta = Stage.of("beta", Map.of("catalogHost", "catalog.beta.example.com", "domain", "beta.example.com"));
    OpenApiLoader loader = OpenApiLoader.builder().stage(prod).stage(beta).build();

    ApiDefinition api = loader.load(DIR.resolve("internet-stages.yaml"));

    Integration orders = Integration.builder()
        .method("ANY")
        .uri("https://orders.${stageVariables.domain}/users/{userId}/orders/{orderId}")
        .requestParameter("overwrite:header.x-user", "$request.path.userId")
        .requestParameter("remove:querystring.debug", "")
        .build();
    assertThat(api.routes()).containsExactly(
        route("ANY /catalog/{proxy+}", Integration.builder()
            .connectionType(ConnectionType.INTERNET)
            .method("ANY")
            .uri("https://${stageVariables.catalogHost}/v1/{proxy}")
            .timeout(Duration.ofMillis(5_000))
            .build()),
        route("GET /users/{userId}/orders/{orderId}", orders),
        route("PUT /users/{userId}/orders/{orderId}", orders),
        route("GET /", Integration.builder()
            .method("GET")
            .uri("https://www.example.com/")
            .responseParameters("302", Map.of("overwrite:header.location", "https://www.example.com/home"))
            .build()));
    assertThat(api.routes().get(1).value()).isSameAs(api.routes().get(2).value());
    assertThat(api.stages()).containsExactly(prod, beta);
    assertThat(api.cors()).isEmpty();
  }

  @Test
  void aStageVariableMissingFromTheDefaultStagePointsAtTheInlineUri() {
    Path file = DIR.resolve("internet-stages.yaml");

    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> LOADER.load(file));

    assertThat(e).hasMessage(file + ": /paths/~1catalog~1{proxy+}/x-amazon-apigateway-any-method/"
        + "x-amazon-apigateway-integration/uri: route 'ANY /catalog/{proxy+}': integration uri "
        + "'https://${stageVariables.catalogHost}/v1/{proxy}' uses ${stageVariables.catalogHost}, which stage "
        + "'$default' does not define: expected every stage to define it");
  }

  @Test
  void aStageVariableMissingFromOneStagePointsAtTheUriOfTheNamedIntegration() {
    Path file = DIR.resolve("internet-stages.yaml");
    OpenApiLoader loader = OpenApiLoader.builder()
        .stage(Stage.of("prod", Map.of("catalogHost", "catalog.example.com", "domain", "example.com")))
        .stage(Stage.of("beta", Map.of("catalogHost", "catalog.beta.example.com")))
        .build();

    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> loader.load(file));

    assertThat(e).hasMessage(file + ": /components/x-amazon-apigateway-integrations/orders/uri: route "
        + "'GET /users/{userId}/orders/{orderId}': integration uri "
        + "'https://orders.${stageVariables.domain}/users/{userId}/orders/{orderId}' uses ${stageVariables.domain}, "
        + "which stage 'beta' does not define: expected every stage to define it");
    assertThat(e.pointer()).isEqualTo("/components/x-amazon-apigateway-integrations/orders/uri");
  }
}
