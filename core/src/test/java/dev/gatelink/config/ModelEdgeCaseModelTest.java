package dev.gatelink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.gatelink.internal.HttpUri;

/** Edge cases of the configuration model found in review, each with its whole message. */
class ModelEdgeCaseModelTest {
  private static final Integration ORDERS = Integration.http("http://orders.example.com/");

  @Test
  void timeoutWithAFractionOfAMillisecondSaysSo() {
    assertThatThrownBy(() -> Integration.builder().timeout(Duration.ofNanos(50_000_500)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("timeoutInMillis 50.0005 has a fraction of a millisecond: expected whole milliseconds from 50 to 30000");
  }

  @Test
  void lowerCaseIntegrationMethodIsRefusedWithTheUpperCaseSpelling() {
    assertThatThrownBy(() -> Integration.builder().method("get"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("httpMethod 'get' must be written in upper case, as 'GET'");
  }

  @Test
  void uriVariableOnARouteWithoutVariablesSaysTheRouteHasNone() {
    assertThatThrownBy(() -> ApiDefinition.builder().route("GET /orders", Integration.http("http://a.example.com/{id}")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("route 'GET /orders': integration uri 'http://a.example.com/{id}' uses {id}, which the route does "
            + "not have: expected no path variable, since the route has none");
  }

  @Test
  void stageVariableNameWithAHyphenIsRefusedInAUri() {
    assertThatThrownBy(() -> Integration.http("http://${stageVariables.my-var}/"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://${stageVariables.my-var}/' uses ${stageVariables.my-var}, which API Gateway does "
            + "not resolve in a uri: expected ${stageVariables.NAME}");
  }

  @Test
  void stageVariableNameWithAHyphenIsRefusedInAMapping() {
    assertThatThrownBy(() -> Integration.builder().requestParameter("append:header.x", "$stageVariables.my-var"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x' value '$stageVariables.my-var': $stageVariables.my-var "
            + "names no stage variable: expected $request.header.NAME, $request.querystring.NAME, $request.body, "
            + "$request.body.JSONPATH, $request.path, $request.path.NAME, $context.NAME or $stageVariables.NAME");
  }

  @Test
  void pathVariableNameMessageListsTheCharactersAllowed() {
    assertThatThrownBy(() -> Integration.http("http://a.example.com/{a.b}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://a.example.com/{a.b}' has a path variable {a.b} that is not a name: expected "
            + "letters, digits, _ and -, such as {proxy}");
  }

  @Test
  void badAuthorityIsRefusedWhenTheIntegrationIsBuilt() {
    assertThatThrownBy(() -> Integration.http("http://a.example.com:0/"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://a.example.com:0/' has port '0': expected 1 to 65535");
    assertThatThrownBy(() -> Integration.http("http://u:p@a.example.com/"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://u:p@a.example.com/' has user information: expected http(s)://HOST[:PORT]/PATH");
    assertThatThrownBy(() -> Integration.http("http://a_b/"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://a_b/' has host 'a_b': expected a host name or an IP address");
  }

  @Test
  void authorityMadeOfAStageVariableIsCheckedPerStageInstead() {
    assertThat(Integration.http("http://${stageVariables.host}/x").uri()).isEqualTo("http://${stageVariables.host}/x");
  }

  @Test
  void numericHostMustBeAnIpv4Address() {
    assertThatThrownBy(() -> HttpUri.parse("http://999.1.1.1/"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://999.1.1.1/' has host '999.1.1.1': expected a host name or an IP address");
  }

  @Test
  void ipv6LiteralMustBeHexadecimalGroups() {
    assertThatThrownBy(() -> HttpUri.parse("http://[zzz]/"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://[zzz]/' has IPv6 address 'zzz': expected hexadecimal groups separated by colons, "
            + "such as [::1]");
  }

  @Test
  void unclosedSourceInAMappingSaysWhatWasExpected() {
    assertThatThrownBy(() -> Integration.builder().requestParameter("append:header.x", "${request.path.a"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x' value '${request.path.a' has an unclosed ${ at index 0: "
            + "expected ${SOURCE}, such as ${request.header.NAME}");
  }

  @Test
  void emptyBodyPathIsRefused() {
    assertThatThrownBy(() -> Integration.builder().requestParameter("append:header.x", "$request.body."))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x' value '$request.body.': $request.body. has an empty JSON "
            + "path (use $request.body for the whole body): expected $request.header.NAME, "
            + "$request.querystring.NAME, $request.body, $request.body.JSONPATH, $request.path, $request.path.NAME, "
            + "$context.NAME or $stageVariables.NAME");
  }

  @Test
  void mappingValueWithALineBreakIsRefused() {
    assertThatThrownBy(() -> Integration.builder().requestParameter("append:header.x", "a\r\nb: c"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x' value has a control character at index 1: expected text "
            + "without line breaks or control characters");
  }

  @Test
  void headerKeysThatDifferOnlyInCaseAreTheSameKey() {
    assertThatThrownBy(() -> Integration.builder().requestParameter("append:header.X-A", "1")
            .requestParameter("append:header.x-a", "2"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-a' is given twice (as 'append:header.X-A'; header names are "
            + "case-insensitive): expected each key once");
  }

  @Test
  void stageVariableReadByAMappingMustBeDefinedByEveryStage() {
    Integration integration = ORDERS.toBuilder().requestParameter("append:header.x-env", "$stageVariables.env").build();

    assertThatThrownBy(() -> ApiDefinition.builder().route("GET /x", integration)
            .stage(Stage.of("prod", Map.of("env", "p"))).stage(Stage.of("dev")).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("route 'GET /x': parameter mapping value '$stageVariables.env' uses stage variable env, which "
            + "stage 'dev' does not define: expected every stage to define it");
  }

  @Test
  void toBuilderDoesNotMakeTheImplicitDefaultStageExplicit() {
    ApiDefinition api = ApiDefinition.builder().route("GET /x", ORDERS).build();

    assertThat(api.stages()).extracting(Stage::name).containsExactly("$default");
    assertThat(api.toBuilder().stage(Stage.of("prod")).build().stages()).extracting(Stage::name)
        .containsExactly("prod");
  }
}
