package dev.gatelink.config;

import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetOptions;
import dev.gatelink.target.WrittenTargetOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Integration} and its builder: each field's check with its whole message, the checks of
 * {@link Integration.Builder#build()} on the combination, the defaults, copying and equality.
 */
class IntegrationModelTest {
  private static final String URL = "http://backend.example.com/orders";
  private static final String ALB_LISTENER =
      "arn:aws:elasticloadbalancing:us-east-2:123456789012:listener/app/my-load-balancer/50dc6c495c0c9188/0467ef3c8400ae65";
  private static final String CLOUD_MAP_SERVICE =
      "arn:aws:servicediscovery:us-east-2:123456789012:service/srv-id?stage=prod&deployment=green_deployment";

  private static Integration.Builder vpcLink() {
    return Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vl-1234ab").uri(ALB_LISTENER);
  }

  // Defaults

  @Test
  void defaultsAreApiGatewaysHttpProxyOverTheInternet() {
    Integration integration = Integration.builder().uri(URL).build();

    assertThat(integration.type()).isEqualTo(IntegrationType.HTTP_PROXY);
    assertThat(integration.connectionType()).isEqualTo(ConnectionType.INTERNET);
    assertThat(integration.connectionId()).isNull();
    assertThat(integration.uri()).isEqualTo(URL);
    assertThat(integration.method()).isEqualTo("ANY");
    assertThat(integration.payloadFormatVersion()).isEqualTo("1.0");
    assertThat(integration.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(integration.serverNameToVerify()).isNull();
    assertThat(integration.requestParameters()).isEmpty();
    assertThat(integration.responseParameters()).isEmpty();
  }

  @Test
  void defaultConstantsHaveApiGatewaysValues() {
    assertThat(Integration.DEFAULT_TIMEOUT).isEqualTo(Duration.ofMillis(30_000));
    assertThat(Integration.MIN_TIMEOUT).isEqualTo(Duration.ofMillis(50));
    assertThat(Integration.MAX_URI_LENGTH).isEqualTo(2048);
    assertThat(Integration.ANY_METHOD).isEqualTo("ANY");
  }

  @Test
  void httpIsTheBuilderWithOnlyTheUri() {
    assertThat(Integration.http(URL)).isEqualTo(Integration.builder().uri(URL).build());
  }

  @Test
  void toStringShowsTypeConnectionMethodAndUri() {
    assertThat(Integration.builder().uri(URL).method("GET").build())
        .hasToString("HTTP_PROXY INTERNET GET http://backend.example.com/orders");
  }

  // uri

  @Test
  void emptyUriIsRefused() {
    assertThatThrownBy(() -> Integration.builder().uri(""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri is empty: expected a URL or an ARN");
  }

  @Test
  void uriOf2048CharactersIsAccepted() {
    String uri = "http://backend.example.com/" + "a".repeat(2048 - 27);

    assertThat(Integration.http(uri).uri()).hasSize(2048).isEqualTo(uri);
  }

  @Test
  void uriOf2049CharactersIsRefused() {
    String uri = "http://backend.example.com/" + "a".repeat(2049 - 27);

    assertThatThrownBy(() -> Integration.builder().uri(uri))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri is 2049 characters long: expected at most 2048");
  }

  @Test
  void uriWithASpaceIsRefusedWithItsIndex() {
    assertThatThrownBy(() -> Integration.builder().uri("http://backend example.com/"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://backend example.com/' has a space or control character at index 14:"
            + " expected a URL or an ARN");
  }

  @Test
  void uriWithAControlCharacterIsRefusedWithItsIndex() {
    assertThatThrownBy(() -> Integration.builder().uri("http://a/\u007f"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://a/\u007f' has a space or control character at index 9: expected a URL or an ARN");
  }

  @Test
  void missingUriIsRefusedAtBuild() {
    assertThatThrownBy(() -> Integration.builder().build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri is missing: expected a URL or an ARN");
  }

  @Test
  void internetIntegrationWithAnArnIsRefused() {
    assertThatThrownBy(() -> Integration.builder().uri(ALB_LISTENER).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri '" + ALB_LISTENER + "': Invalid HTTP endpoint specified for URI:"
            + " expected an http:// or https:// URL for connectionType INTERNET");
  }

  @Test
  void internetIntegrationWithoutAHostIsRefused() {
    assertThatThrownBy(() -> Integration.http("http:///orders"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http:///orders': Invalid HTTP endpoint specified for URI: expected a host after the scheme");
  }

  @Test
  void httpsUrlInUpperCaseIsAnInternetUrl() {
    assertThat(Integration.http("HTTPS://backend.example.com/").uri()).isEqualTo("HTTPS://backend.example.com/");
  }

  @Test
  void vpcLinkIntegrationWithAnHttpUrlIsRefusedWithApiGatewaysSentence() {
    assertThatThrownBy(() -> vpcLink().uri("http://internal.example.com/").build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://internal.example.com/': For VpcLink VPC_LINK, integration uri should be a valid"
            + " ELB listener ARN or a valid Cloud Map service ARN.");
  }

  @Test
  void vpcLinkIntegrationWithAnHttpsUrlInUpperCaseIsRefused() {
    assertThatThrownBy(() -> vpcLink().uri("HTTPS://internal.example.com/").build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'HTTPS://internal.example.com/': For VpcLink VPC_LINK, integration uri should be a valid"
            + " ELB listener ARN or a valid Cloud Map service ARN.");
  }

  @Test
  void vpcLinkIntegrationToAListenerArnIsBuilt() {
    Integration integration = vpcLink().build();

    assertThat(integration.connectionType()).isEqualTo(ConnectionType.VPC_LINK);
    assertThat(integration.connectionId()).isEqualTo("vl-1234ab");
    assertThat(integration.uri()).isEqualTo(ALB_LISTENER);
  }

  @Test
  void vpcLinkIntegrationToACloudMapServiceWithAQueryIsBuilt() {
    assertThat(vpcLink().uri(CLOUD_MAP_SERVICE).build().uri()).isEqualTo(CLOUD_MAP_SERVICE);
  }

  // connectionId

  @Test
  void vpcLinkIntegrationWithoutConnectionIdIsRefused() {
    assertThatThrownBy(() ->
            Integration.builder().connectionType(ConnectionType.VPC_LINK).uri(ALB_LISTENER).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("connectionId is missing: expected the VPC link id of a VPC_LINK integration");
  }

  @Test
  void connectionIdOnAnInternetIntegrationIsRefused() {
    assertThatThrownBy(() -> Integration.builder().uri(URL).connectionId("vl-1234ab").build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("connectionId 'vl-1234ab' is set on an INTERNET integration: expected connectionType VPC_LINK");
  }

  @Test
  void emptyConnectionIdIsRefused() {
    assertThatThrownBy(() -> Integration.builder().connectionId(""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("connectionId '' is not a VPC link id: expected printable ASCII without spaces");
  }

  @Test
  void connectionIdWithASpaceIsRefused() {
    assertThatThrownBy(() -> Integration.builder().connectionId("vl 1234ab"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("connectionId 'vl 1234ab' is not a VPC link id: expected printable ASCII without spaces");
  }

  @Test
  void connectionIdCanBeClearedWithNull() {
    Integration integration = Integration.builder().uri(URL).connectionId("vl-1234ab").connectionId(null).build();

    assertThat(integration.connectionId()).isNull();
  }

  // tlsConfig.serverNameToVerify

  @Test
  void serverNameToVerifyOnAVpcLinkIntegrationIsKept() {
    assertThat(vpcLink().serverNameToVerify("orders.internal.example.com").build().serverNameToVerify())
        .isEqualTo("orders.internal.example.com");
  }

  @Test
  void serverNameToVerifyOnAnInternetIntegrationIsRefused() {
    assertThatThrownBy(() -> Integration.builder().uri(URL).serverNameToVerify("backend.example.com").build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("tlsConfig.serverNameToVerify 'backend.example.com' is set on an INTERNET integration:"
            + " expected it only with connectionType VPC_LINK");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad name", "", "-orders.example.com", "orders..example.com", "orders_internal", "a:443"})
  void serverNameToVerifyThatIsNotADnsNameIsRefused(String name) {
    assertThatThrownBy(() -> Integration.builder().serverNameToVerify(name))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("tlsConfig.serverNameToVerify '" + name
            + "' is not a host name: expected a DNS name such as orders.internal.example.com");
  }

  @Test
  void serverNameToVerifyOfA64CharacterLabelIsRefused() {
    String name = "a".repeat(64) + ".example.com";

    assertThatThrownBy(() -> Integration.builder().serverNameToVerify(name))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("tlsConfig.serverNameToVerify '" + name
            + "' is not a host name: expected a DNS name such as orders.internal.example.com");
  }

  // httpMethod

  @ParameterizedTest
  @ValueSource(strings = {"ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
  void everyRouteMethodIsAnIntegrationMethod(String method) {
    assertThat(Integration.builder().uri(URL).method(method).build().method()).isEqualTo(method);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TRACE", "CONNECT", "", "GET "})
  void unknownMethodIsRefused(String method) {
    assertThatThrownBy(() -> Integration.builder().method(method))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("httpMethod '" + method
            + "' is not supported: expected ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS");
  }

  // payloadFormatVersion

  @Test
  void payloadFormatVersion10IsAccepted() {
    assertThat(Integration.builder().uri(URL).payloadFormatVersion("1.0").build().payloadFormatVersion())
        .isEqualTo("1.0");
  }

  @Test
  void payloadFormatVersion20IsRefused() {
    assertThatThrownBy(() -> Integration.builder().payloadFormatVersion("2.0"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("payloadFormatVersion '2.0' is not supported for HTTP_PROXY integrations: expected 1.0");
  }

  // timeoutInMillis

  @Test
  void timeoutOf49MillisecondsIsRefused() {
    assertThatThrownBy(() -> Integration.builder().timeout(Duration.ofMillis(49)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("timeoutInMillis 49 is out of range: expected 50 to 30000");
  }

  @Test
  void timeoutOf50MillisecondsIsAccepted() {
    assertThat(Integration.builder().uri(URL).timeout(Duration.ofMillis(50)).build().timeout())
        .isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void timeoutOf30000MillisecondsIsAccepted() {
    assertThat(Integration.builder().uri(URL).timeout(Duration.ofMillis(30_000)).build().timeout())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void timeoutOf30001MillisecondsIsRefused() {
    assertThatThrownBy(() -> Integration.builder().timeout(Duration.ofMillis(30_001)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("timeoutInMillis 30001 is out of range: expected 50 to 30000");
  }

  @Test
  void negativeTimeoutIsRefused() {
    assertThatThrownBy(() -> Integration.builder().timeout(Duration.ofMillis(-1)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("timeoutInMillis -1 is out of range: expected 50 to 30000");
  }

  // Copying, equality, immutability

  private static Integration everyField() {
    return vpcLink()
        .uri(CLOUD_MAP_SERVICE)
        .method("POST")
        .timeout(Duration.ofMillis(1234))
        .serverNameToVerify("orders.internal.example.com")
        .requestParameter("overwrite:path", "$request.path")
        .requestParameter("append:header.x-request-id", "$context.requestId")
        .responseParameters("404", Map.of("overwrite:statuscode", "410"))
        .build();
  }

  @Test
  void toBuilderBuildsAnEqualIntegration() {
    Integration integration = everyField();

    Integration copy = integration.toBuilder().build();

    assertThat(copy).isEqualTo(integration).hasSameHashCodeAs(integration);
    assertThat(copy.connectionType()).isEqualTo(ConnectionType.VPC_LINK);
    assertThat(copy.connectionId()).isEqualTo("vl-1234ab");
    assertThat(copy.uri()).isEqualTo(CLOUD_MAP_SERVICE);
    assertThat(copy.method()).isEqualTo("POST");
    assertThat(copy.timeout()).isEqualTo(Duration.ofMillis(1234));
    assertThat(copy.serverNameToVerify()).isEqualTo("orders.internal.example.com");
    assertThat(copy.requestParameters()).containsExactly(
        Map.entry("overwrite:path", "$request.path"), Map.entry("append:header.x-request-id", "$context.requestId"));
    assertThat(copy.responseParameters()).containsExactly(Map.entry("404", Map.of("overwrite:statuscode", "410")));
  }

  @Test
  void toBuilderChangesOnlyTheCopy() {
    Integration integration = everyField();

    Integration copy = integration.toBuilder().timeout(Duration.ofMillis(500)).build();

    assertThat(copy.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(integration.timeout()).isEqualTo(Duration.ofMillis(1234));
    assertThat(copy).isNotEqualTo(integration);
  }

  @Test
  void toBuilderKeepsEarlierMappingsSoAddingOneTwiceIsRefused() {
    Integration integration = everyField();

    assertThatThrownBy(() -> integration.toBuilder().requestParameter("overwrite:path", "/fixed"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'overwrite:path' is given twice: expected each key once");
  }

  @Test
  void integrationsWithTheSameFieldsAreEqual() {
    assertThat(everyField()).isEqualTo(everyField()).hasSameHashCodeAs(everyField());
  }

  @Test
  void integrationsWithDifferentMethodsAreNotEqual() {
    assertThat(Integration.builder().uri(URL).method("GET").build())
        .isNotEqualTo(Integration.builder().uri(URL).method("POST").build());
  }

  @Test
  void integrationsWithDifferentResponseParametersAreNotEqual() {
    Integration plain = Integration.http(URL);
    Integration mapped = Integration.builder().uri(URL)
        .responseParameters("404", Map.of("overwrite:statuscode", "410")).build();

    assertThat(mapped).isNotEqualTo(plain);
  }

  @Test
  void anIntegrationIsNotEqualToNull() {
    assertThat(Integration.http(URL)).isNotEqualTo(null);
  }

  @Test
  void requestParametersCannotBeChanged() {
    Integration integration = everyField();

    assertThatThrownBy(() -> integration.requestParameters().put("append:header.x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void responseParametersCannotBeChanged() {
    Integration integration = everyField();

    assertThatThrownBy(() -> integration.responseParameters().put("500", Map.of()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theMappingsOfAStatusCannotBeChanged() {
    Integration integration = everyField();

    assertThatThrownBy(() -> integration.responseParameters().get("404").put("append:header.x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void changingTheGivenMappingsAfterwardsDoesNotChangeTheIntegration() {
    Map<String, String> mappings = new LinkedHashMap<>();
    mappings.put("overwrite:statuscode", "410");
    Integration.Builder builder = Integration.builder().uri(URL).responseParameters("404", mappings);
    mappings.put("append:header.x", "y");

    Integration integration = builder.build();

    assertThat(integration.responseParameters()).containsExactly(Map.entry("404", Map.of("overwrite:statuscode", "410")));
  }

  @Test
  void laterBuilderChangesDoNotReachABuiltIntegration() {
    Integration.Builder builder = Integration.builder().uri(URL).requestParameter("append:header.a", "1");
    Integration first = builder.build();

    builder.requestParameter("append:header.b", "2");

    assertThat(first.requestParameters()).containsExactly(Map.entry("append:header.a", "1"));
  }

  @Test
  void requestParametersAreAddedFromAMapInItsOrder() {
    Map<String, String> mappings = new LinkedHashMap<>();
    mappings.put("remove:header.x-old", "");
    mappings.put("append:header.x-new", "$request.header.x-old");
    mappings.put("overwrite:querystring.page", "1");

    Integration integration = Integration.builder().uri(URL).requestParameters(mappings).build();

    assertThat(integration.requestParameters()).containsExactly(
        Map.entry("remove:header.x-old", ""),
        Map.entry("append:header.x-new", "$request.header.x-old"),
        Map.entry("overwrite:querystring.page", "1"));
  }

  // target options

  @Test
  void targetOptionsKeepTheirOrderAndTakePartInEquality() {
    Integration integration = Integration.builder().uri(URL)
        .targetOptions(WrittenTargetOptions.builder()
            .option("loadBalancing", "least_outstanding_requests")
            .option("healthStatus", "ALL")
            .build())
        .build();

    assertThat(integration.targetOptions().asMap()).containsExactly(
        Map.entry("loadBalancing", "least_outstanding_requests"), Map.entry("healthStatus", "ALL"));
    assertThat(integration).isNotEqualTo(Integration.http(URL));
    assertThat(integration.toBuilder().build()).isEqualTo(integration).hasSameHashCodeAs(integration);
    assertThat(Integration.http(URL).targetOptions()).isSameAs(TargetOptions.none());
  }

  @Test
  void aTargetOptionNamedTwiceIsRefused() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("optionalParameters.zone", "eu-west-1a");
    WrittenTargetOptions.Builder written = WrittenTargetOptions.builder();
    options.forEach(written::option);

    assertThatThrownBy(() -> written.option("optionalParameters.zone", "b"))
        .isInstanceOf(TargetOptionException.class)
        .hasMessage("target option 'optionalParameters.zone' is given twice: expected each option once");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "health status", "caf\u00e9"})
  void aTargetOptionNameMustBePrintableAsciiWithoutSpaces(String name) {
    assertThatThrownBy(() -> WrittenTargetOptions.builder().option(name, "x"))
        .isInstanceOf(TargetOptionException.class)
        .hasMessage("target option '" + name + "' is not an option name: expected 1 to 300 printable ASCII "
            + "characters without spaces");
  }

  @ParameterizedTest
  @ValueSource(strings = {".zone", "optionalParameters.", "optionalParameters..zone"})
  void aTargetOptionNameHasNoEmptyPart(String name) {
    assertThatThrownBy(() -> WrittenTargetOptions.builder().option(name, "x"))
        .isInstanceOf(TargetOptionException.class)
        .hasMessage("target option '" + name + "' has an empty part between dots: expected a name such as "
            + "healthStatus or optionalParameters.zone");
  }

  @Test
  void aTargetOptionValueIsTextOfAtMost2048Characters() {
    assertThat(WrittenTargetOptions.builder().option("a", "x\ty").option("b", "v".repeat(2048)).build()
        .asMap()).containsEntry("a", "x\ty");
    assertThatThrownBy(() -> WrittenTargetOptions.builder().option("a", "v".repeat(2049)))
        .isInstanceOf(TargetOptionException.class)
        .hasMessage("target option 'a' is 2049 characters long: expected at most 2048");
    assertThatThrownBy(() -> WrittenTargetOptions.builder().option("a", "line\nbreak"))
        .isInstanceOf(TargetOptionException.class)
        .hasMessage("target option 'a' has a control character at index 4: expected text");
  }
}
