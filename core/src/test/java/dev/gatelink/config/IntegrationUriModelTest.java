package dev.gatelink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.internal.IntegrationUris;

/**
 * Placeholders in an {@code INTERNET} integration uri, as {@link Integration.Builder#build()} checks them:
 * path variables ({@code {proxy}}) and stage variables ({@code ${stageVariables.host}}); and what
 * {@link IntegrationUris} reads from and substitutes into a uri.
 */
class IntegrationUriModelTest {

  @ParameterizedTest
  @ValueSource(strings = {"http://backend.example.com/{proxy}", "https://backend.example.com/orders/{id}/items",
      "http://${stageVariables.host}/orders", "http://${stageVariables.host}:8080/{proxy}",
      "http://backend.example.com/${stageVariables.version}/orders", "http://backend.example.com/orders?env=${stageVariables.env}",
      "http://backend.example.com/{order_id}/{Item2}", "http://backend.example.com/orders?x=1&y=2"})
  void uriWithPlaceholdersIsAccepted(String uri) {
    assertThat(Integration.http(uri).uri()).isEqualTo(uri);
  }

  @Test
  void otherVariableThanAStageVariableIsRefused() {
    assertThatThrownBy(() -> Integration.http("http://backend.example.com/${var.x}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://backend.example.com/${var.x}' uses ${var.x}, which API Gateway does not resolve in"
            + " a uri: expected ${stageVariables.NAME}");
  }

  @Test
  void contextVariableIsRefused() {
    assertThatThrownBy(() -> Integration.http("http://backend.example.com/${context.requestId}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://backend.example.com/${context.requestId}' uses ${context.requestId}, which API"
            + " Gateway does not resolve in a uri: expected ${stageVariables.NAME}");
  }

  @Test
  void stageVariableWithoutANameIsRefused() {
    assertThatThrownBy(() -> Integration.http("http://backend.example.com/${stageVariables.}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://backend.example.com/${stageVariables.}' uses ${stageVariables.}, which API Gateway"
            + " does not resolve in a uri: expected ${stageVariables.NAME}");
  }

  @Test
  void unclosedBraceIsRefusedWithItsIndex() {
    assertThatThrownBy(() -> Integration.http("http://backend.example.com/orders/{id"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://backend.example.com/orders/{id' has an unclosed { at index 34:"
            + " expected a path variable such as {proxy}");
  }

  @Test
  void unclosedStageVariableIsRefusedWithItsIndex() {
    assertThatThrownBy(() -> Integration.http("http://backend.example.com/${stageVariables.host"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://backend.example.com/${stageVariables.host' has an unclosed ${ at index 27:"
            + " expected ${stageVariables.NAME}");
  }

  @Test
  void closingBraceWithoutAnOpeningOneIsRefusedWithItsIndex() {
    assertThatThrownBy(() -> Integration.http("http://backend.example.com/orders}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://backend.example.com/orders}' has a } without a { at index 33:"
            + " expected a path variable such as {proxy}");
  }

  @Test
  void pathVariableInTheQueryIsRefused() {
    assertThatThrownBy(() -> Integration.http("http://backend.example.com/orders?id={id}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://backend.example.com/orders?id={id}' uses a path variable in its query:"
            + " expected path variables only in the path");
  }

  @Test
  void fragmentIsRefused() {
    assertThatThrownBy(() -> Integration.http("http://backend.example.com/orders#top"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://backend.example.com/orders#top' has a fragment (#): expected a URL without one");
  }

  @Test
  void stageVariableInACloudMapServiceArnIsAccepted() {
    Integration integration = Integration.builder()
        .connectionType(ConnectionType.VPC_LINK)
        .connectionId("vl-1234ab")
        .uri("arn:aws:servicediscovery:us-east-2:123456789012:service/srv-id?stage=${stageVariables.stage}")
        .build();

    assertThat(integration.uri())
        .isEqualTo("arn:aws:servicediscovery:us-east-2:123456789012:service/srv-id?stage=${stageVariables.stage}");
  }

  // What IntegrationUris reads and substitutes

  @Test
  void pathVariablesAreListedOnceInOrderOfFirstUse() {
    assertThat(IntegrationUris.pathVariables("http://${stageVariables.host}/{b}/{a}/{b}?x=${stageVariables.x}"))
        .containsExactly("b", "a");
  }

  @Test
  void stageVariablesAreListedOnceInOrderOfFirstUse() {
    assertThat(IntegrationUris.stageVariables("http://${stageVariables.host}/{id}/${stageVariables.v}/${stageVariables.host}"))
        .containsExactly("host", "v");
  }

  @Test
  void stageVariablesAreSubstitutedEverywhere() {
    String uri = "http://${stageVariables.host}:${stageVariables.port}/${stageVariables.v}/{proxy}?env=${stageVariables.v}";

    assertThat(IntegrationUris.withStageVariables(uri, Map.of("host", "orders.example.com", "port", "8443", "v", "v2")))
        .isEqualTo("http://orders.example.com:8443/v2/{proxy}?env=v2");
  }

  @Test
  void uriWithoutStageVariablesIsUnchangedBySubstitution() {
    assertThat(IntegrationUris.withStageVariables("http://orders.example.com/{id}", Map.of("host", "x")))
        .isEqualTo("http://orders.example.com/{id}");
  }

  @Test
  void httpAndHttpsInAnyCaseAreUrls() {
    assertThat(IntegrationUris.isHttpUrl("http://a")).isTrue();
    assertThat(IntegrationUris.isHttpUrl("HTTPS://a")).isTrue();
    assertThat(IntegrationUris.isHttpUrl("Http://a")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"arn:aws:elasticloadbalancing:us-east-2:123456789012:listener/app/x/1/2", "ftp://a",
      "http:/a", "https:a", "cloudmap:orders"})
  void otherUrisAreNotUrls(String uri) {
    assertThat(IntegrationUris.isHttpUrl(uri)).isFalse();
  }
}
