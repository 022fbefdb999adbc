package dev.gatelink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.route.InvalidRouteException;
import dev.gatelink.route.Route;
import dev.gatelink.route.RouteKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiDefinition} and its builder: stages, routes checked together, path variables of integration uris
 * against their routes, stage variables of uris against every stage, and {@code toBuilder()}.
 */
class ApiDefinitionModelTest {
  private static final Integration ORDERS = Integration.http("http://orders.example.com/orders");
  private static final Integration USERS = Integration.http("http://users.example.com/users");
  private static final CorsConfiguration CORS = new CorsConfiguration(
      List.of("https://www.example.com"), true, List.of("x-api-id"), 600, List.of("GET"), List.of("Authorization"));

  // Stages

  @Test
  void definitionWithoutStagesIsDeployedToDefaultOnly() {
    ApiDefinition api = ApiDefinition.builder().route("GET /orders", ORDERS).build();

    assertThat(api.stages()).containsExactly(Stage.of("$default"));
    assertThat(api.stages()).hasToString("[$default]");
  }

  @Test
  void emptyDefinitionIsDeployedToDefault() {
    ApiDefinition api = ApiDefinition.builder().build();

    assertThat(api.stages()).containsExactly(Stage.of("$default"));
    assertThat(api.routes()).isEmpty();
    assertThat(api.cors()).isEmpty();
  }

  @Test
  void definitionWithANamedStageIsNotDeployedToDefault() {
    ApiDefinition api = ApiDefinition.builder().route("GET /orders", ORDERS).stage(Stage.of("prod")).build();

    assertThat(api.stages()).containsExactly(Stage.of("prod"));
  }

  @Test
  void stagesAreKeptInTheOrderTheyWereAdded() {
    ApiDefinition api = ApiDefinition.builder()
        .stage(Stage.of("prod"))
        .stage(Stage.of("$default"))
        .stage(Stage.of("beta"))
        .build();

    assertThat(api.stages()).extracting(Stage::name).containsExactly("prod", "$default", "beta");
  }

  @Test
  void sameStageNameTwiceIsRefused() {
    ApiDefinition.Builder builder = ApiDefinition.builder().stage(Stage.of("prod"));

    assertThatThrownBy(() -> builder.stage(Stage.of("prod", Map.of("host", "a"))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage 'prod' is given twice: expected each stage once");
  }

  @Test
  void defaultStageTwiceIsRefused() {
    ApiDefinition.Builder builder = ApiDefinition.builder().stage(Stage.of("$default"));

    assertThatThrownBy(() -> builder.stage(Stage.of("$default")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage '$default' is given twice: expected each stage once");
  }

  @Test
  void stageIsFoundByName() {
    Stage prod = Stage.of("prod", Map.of("host", "a.example.com"));
    ApiDefinition api = ApiDefinition.builder().stage(Stage.of("beta")).stage(prod).build();

    assertThat(api.stage("prod")).containsSame(prod);
  }

  @Test
  void stageThatIsNotDeployedIsNotFound() {
    ApiDefinition api = ApiDefinition.builder().stage(Stage.of("prod")).build();

    assertThat(api.stage("beta")).isEmpty();
  }

  @Test
  void stageLookupIsCaseSensitive() {
    ApiDefinition api = ApiDefinition.builder().stage(Stage.of("prod")).build();

    assertThat(api.stage("Prod")).isEmpty();
  }

  @Test
  void implicitDefaultStageIsFoundByName() {
    assertThat(ApiDefinition.builder().build().stage("$default")).contains(Stage.of("$default"));
  }

  @Test
  void stagesCannotBeChanged() {
    ApiDefinition api = ApiDefinition.builder().stage(Stage.of("prod")).build();

    assertThatThrownBy(() -> api.stages().add(Stage.of("beta"))).isInstanceOf(UnsupportedOperationException.class);
  }

  // Routes

  @Test
  void routesAreKeptInTheOrderTheyWereAddedWithDefaultIncluded() {
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /users", USERS)
        .defaultRoute(ORDERS)
        .route("POST /orders", ORDERS)
        .build();

    assertThat(api.routes()).containsExactly(
        new Route<>(RouteKey.parse("GET /users"), USERS),
        new Route<>(RouteKey.DEFAULT, ORDERS),
        new Route<>(RouteKey.parse("POST /orders"), ORDERS));
  }

  @Test
  void routeTableMatchesTheRoutes() {
    ApiDefinition api = ApiDefinition.builder().route("GET /orders/{id}", ORDERS).build();

    assertThat(api.routeTable().match("GET", "/orders/42").route().value()).isSameAs(ORDERS);
  }

  @Test
  void routesCannotBeChanged() {
    ApiDefinition api = ApiDefinition.builder().route("GET /orders", ORDERS).build();

    assertThatThrownBy(() -> api.routes().add(new Route<>(RouteKey.parse("GET /users"), USERS)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void invalidRouteKeyIsRefusedWhenAdded() {
    ApiDefinition.Builder builder = ApiDefinition.builder();

    assertThatThrownBy(() -> builder.route("get /orders", ORDERS))
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key 'get /orders': method 'get' must be written in upper case, as 'GET'");
  }

  @Test
  void sameRouteKeyTwiceIsRefusedAtBuild() {
    ApiDefinition.Builder builder = ApiDefinition.builder().route("GET /orders", ORDERS).route("GET /orders", USERS);

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key 'GET /orders': the route is declared twice; each route key may appear once");
  }

  @Test
  void defaultRouteTwiceIsRefusedAtBuild() {
    ApiDefinition.Builder builder = ApiDefinition.builder().defaultRoute(ORDERS).route("$default", USERS);

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key '$default': the route is declared twice; each route key may appear once");
  }

  @Test
  void keysThatDifferOnlyInVariableNamesAreRefusedAtBuild() {
    ApiDefinition.Builder builder = ApiDefinition.builder()
        .route("GET /orders/{id}", ORDERS)
        .route("GET /orders/{orderId}", USERS);

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key 'GET /orders/{orderId}': it is the same route as 'GET /orders/{id}':"
            + " keys that differ only in variable names are duplicates");
  }

  @Test
  void greedyKeysThatDifferOnlyInVariableNamesAreRefusedAtBuild() {
    ApiDefinition.Builder builder = ApiDefinition.builder()
        .route("ANY /{proxy+}", ORDERS)
        .route("ANY /{path+}", USERS);

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key 'ANY /{path+}': it is the same route as 'ANY /{proxy+}':"
            + " keys that differ only in variable names are duplicates");
  }

  @Test
  void sameShapeWithDifferentMethodsIsAccepted() {
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /orders/{id}", ORDERS)
        .route("DELETE /orders/{orderId}", USERS)
        .build();

    assertThat(api.routes()).hasSize(2);
  }

  @Test
  void defaultRouteIsTheDefaultKey() {
    ApiDefinition api = ApiDefinition.builder().defaultRoute(ORDERS).build();

    assertThat(api.routes()).containsExactly(new Route<>(RouteKey.DEFAULT, ORDERS));
  }

  // Path variables in integration uris

  @Test
  void proxyOnAGreedyRouteIsAccepted() {
    Integration proxy = Integration.http("http://backend.example.com/{proxy}");

    ApiDefinition api = ApiDefinition.builder().route("ANY /{proxy+}", proxy).build();

    assertThat(api.routes()).containsExactly(new Route<>(RouteKey.parse("ANY /{proxy+}"), proxy));
  }

  @Test
  void everyVariableOfTheRouteMayBeUsed() {
    Integration integration = Integration.http("http://backend.example.com/u/{userId}/o/{orderId}/{rest}");

    ApiDefinition api =
        ApiDefinition.builder().route("GET /users/{userId}/orders/{orderId}/{rest+}", integration).build();

    assertThat(api.routes()).hasSize(1);
  }

  @Test
  void variableWithAHyphenOfTheRouteMayBeUsed() {
    Integration integration = Integration.http("http://backend.example.com/orders/{order-id}");

    ApiDefinition api = ApiDefinition.builder().route("GET /orders/{order-id}", integration).build();

    assertThat(api.routes()).containsExactly(new Route<>(RouteKey.parse("GET /orders/{order-id}"), integration));
  }

  @Test
  void variableTheRouteDoesNotHaveIsRefusedWithTheRoutesVariables() {
    Integration integration = Integration.http("http://backend.example.com/orders/{id}");
    ApiDefinition.Builder builder = ApiDefinition.builder();

    assertThatThrownBy(() -> builder.route("GET /orders/{orderId}", integration))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("route 'GET /orders/{orderId}': integration uri 'http://backend.example.com/orders/{id}'"
            + " uses {id}, which the route does not have: expected one of {orderId}");
  }

  @Test
  void variableTheRouteDoesNotHaveIsRefusedListingEveryVariableInOrder() {
    Integration integration = Integration.http("http://backend.example.com/{id}");
    ApiDefinition.Builder builder = ApiDefinition.builder();

    assertThatThrownBy(() -> builder.route("GET /users/{userId}/orders/{orderId}/{proxy+}", integration))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("route 'GET /users/{userId}/orders/{orderId}/{proxy+}': integration uri"
            + " 'http://backend.example.com/{id}' uses {id}, which the route does not have:"
            + " expected one of {userId}, {orderId}, {proxy}");
  }

  @Test
  void variableNamesAreCaseSensitive() {
    Integration integration = Integration.http("http://backend.example.com/orders/{ID}");
    ApiDefinition.Builder builder = ApiDefinition.builder();

    assertThatThrownBy(() -> builder.route("GET /orders/{id}", integration))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("route 'GET /orders/{id}': integration uri 'http://backend.example.com/orders/{ID}'"
            + " uses {ID}, which the route does not have: expected one of {id}");
  }

  @Test
  void refusedRouteIsNotAdded() {
    ApiDefinition.Builder builder = ApiDefinition.builder();
    assertThatThrownBy(() -> builder.route("GET /orders/{orderId}", Integration.http("http://b.example.com/{id}")))
        .isInstanceOf(InvalidConfigException.class);

    assertThat(builder.build().routes()).isEmpty();
  }

  // Stage variables in integration uris

  @Test
  void stageVariableDefinedByEveryStageIsAccepted() {
    Integration integration = Integration.http("http://${stageVariables.host}/orders");

    ApiDefinition api = ApiDefinition.builder()
        .route("GET /orders", integration)
        .stage(Stage.of("prod", Map.of("host", "orders.example.com")))
        .stage(Stage.of("beta", Map.of("host", "orders-beta.example.com")))
        .build();

    assertThat(api.stages()).extracting(Stage::name).containsExactly("prod", "beta");
  }

  @Test
  void stageVariableThatOneStageDoesNotDefineIsRefusedNamingTheStage() {
    ApiDefinition.Builder builder = ApiDefinition.builder()
        .route("GET /orders", Integration.http("http://${stageVariables.host}/orders"))
        .stage(Stage.of("prod", Map.of("host", "orders.example.com")))
        .stage(Stage.of("beta", Map.of("other", "x")));

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("route 'GET /orders': integration uri 'http://${stageVariables.host}/orders' uses"
            + " ${stageVariables.host}, which stage 'beta' does not define: expected every stage to define it");
  }

  @Test
  void stageVariableIsCheckedAgainstTheImplicitDefaultStage() {
    ApiDefinition.Builder builder = ApiDefinition.builder()
        .route("GET /orders", Integration.http("http://${stageVariables.host}/orders"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("route 'GET /orders': integration uri 'http://${stageVariables.host}/orders' uses"
            + " ${stageVariables.host}, which stage '$default' does not define: expected every stage to define it");
  }

  @Test
  void everyStageVariableOfAUriIsChecked() {
    ApiDefinition.Builder builder = ApiDefinition.builder()
        .route("GET /orders", Integration.http("http://${stageVariables.host}/${stageVariables.version}/orders"))
        .stage(Stage.of("prod", Map.of("host", "orders.example.com")));

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("route 'GET /orders': integration uri 'http://${stageVariables.host}/${stageVariables.version}"
            + "/orders' uses ${stageVariables.version}, which stage 'prod' does not define:"
            + " expected every stage to define it");
  }

  @Test
  void stageVariableInAQueryIsCheckedToo() {
    ApiDefinition.Builder builder = ApiDefinition.builder()
        .route("GET /orders", Integration.http("http://orders.example.com/orders?env=${stageVariables.env}"))
        .stage(Stage.of("prod"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("route 'GET /orders': integration uri 'http://orders.example.com/orders?env=${stageVariables.env}'"
            + " uses ${stageVariables.env}, which stage 'prod' does not define: expected every stage to define it");
  }

  @Test
  void stageVariablesAreCheckedOnlyAtBuild() {
    ApiDefinition.Builder builder = ApiDefinition.builder()
        .route("GET /orders", Integration.http("http://${stageVariables.host}/orders"));

    ApiDefinition api = builder.stage(Stage.of("prod", Map.of("host", "orders.example.com"))).build();

    assertThat(api.stages()).containsExactly(Stage.of("prod", Map.of("host", "orders.example.com")));
  }

  // CORS

  @Test
  void corsIsKept() {
    assertThat(ApiDefinition.builder().cors(CORS).build().cors()).containsSame(CORS);
  }

  @Test
  void corsCanBeCleared() {
    assertThat(ApiDefinition.builder().cors(CORS).cors(null).build().cors()).isEmpty();
  }

  // toBuilder

  private static ApiDefinition full() {
    return ApiDefinition.builder()
        .route("GET /orders/{id}", Integration.http("http://${stageVariables.host}/orders/{id}"))
        .route("POST /users", USERS)
        .defaultRoute(ORDERS)
        .stage(Stage.of("prod", Map.of("host", "orders.example.com")))
        .stage(Stage.of("beta", Map.of("host", "orders-beta.example.com")))
        .cors(CORS)
        .build();
  }

  @Test
  void toBuilderKeepsRoutesInTheirOrder() {
    ApiDefinition api = full();

    assertThat(api.toBuilder().build().routes()).isEqualTo(api.routes());
  }

  @Test
  void toBuilderKeepsStages() {
    ApiDefinition api = full();

    assertThat(api.toBuilder().build().stages()).isEqualTo(api.stages());
  }

  @Test
  void toBuilderKeepsCors() {
    assertThat(full().toBuilder().build().cors()).containsSame(CORS);
  }

  @Test
  void toBuilderAddsToACopy() {
    ApiDefinition api = full();

    ApiDefinition changed = api.toBuilder().route("GET /health", Integration.http("http://h.example.com/")).build();

    assertThat(changed.routes()).hasSize(4);
    assertThat(api.routes()).hasSize(3);
  }

  @Test
  void toBuilderStillRefusesARouteThatIsAlreadyThere() {
    ApiDefinition.Builder builder = full().toBuilder().route("POST /users", ORDERS);

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key 'POST /users': the route is declared twice; each route key may appear once");
  }

  @Test
  void toBuilderStillRefusesAStageThatIsAlreadyThere() {
    ApiDefinition.Builder builder = full().toBuilder();

    assertThatThrownBy(() -> builder.stage(Stage.of("prod")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage 'prod' is given twice: expected each stage once");
  }

  @Test
  void toStringShowsStagesAndRoutes() {
    ApiDefinition api = ApiDefinition.builder().route("GET /orders", ORDERS).stage(Stage.of("prod")).build();

    assertThat(api).hasToString("ApiDefinition[prod] RouteTable[GET /orders]");
  }
}
