package dev.gatelink.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatelink.route.InvalidRouteException;
import dev.gatelink.route.Route;
import dev.gatelink.route.RouteKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.Stage;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/** The loader's API (files, text, builder) and the rules best shown on a few lines of YAML. */
class OpenApiLoaderTest {
  private static final OpenApiLoader LOADER = OpenApiLoader.builder().build();
  private static final String HEAD = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\n";
  private static final String ORDERS = HEAD + "paths:\n  /orders:\n    get:\n      x-amazon-apigateway-integration:\n";

  private static InvalidConfigException fails(OpenApiLoader loader, String yaml) {
    return catchThrowableOfType(InvalidConfigException.class, () -> loader.parse(yaml, "api.yaml"));
  }

  private static InvalidConfigException fails(String yaml) {
    return fails(LOADER, yaml);
  }

  /** The orders file with the given lines inside its integration (indented by the caller's 8 spaces). */
  private static String orders(String integrationLines) {
    return ORDERS + integrationLines;
  }

  // ---- files and text -------------------------------------------------------------------------------------------

  @Test
  void aMissingFileIsNamedAsGiven() {
    Path file = Path.of("src/test/resources/openapi/absent.yaml");

    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> LOADER.load(file));

    assertThat(e).hasMessage("src/test/resources/openapi/absent.yaml: the file does not exist");
    assertThat(e.source()).isEqualTo("src/test/resources/openapi/absent.yaml");
    assertThat(e.pointer()).isNull();
  }

  @Test
  void aFileThatIsNotUtf8IsRefused(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("latin1.yaml"), "openapi: 3.0.1\ninfo: {title: caf\u00e9}\n".getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1));

    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> LOADER.load(file));

    assertThat(e).hasMessage(file + ": the file is not UTF-8 text: expected YAML or JSON in UTF-8");
  }

  @Test
  void parseNamesTheGivenSourceInErrors() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> LOADER.parse("openapi: 3.1.0\npaths: {}\n", "inline api"));

    assertThat(e).hasMessage(
        "inline api: /openapi: openapi '3.1.0' is not imported: only OpenAPI 3.0 is imported for HTTP APIs; "
            + "expected 3.0.x");
    assertThat(e.source()).isEqualTo("inline api");
  }

  @Test
  void textWithoutAFileExtensionIsJsonWhenItStartsWithABrace() {
    ApiDefinition json = LOADER.parse(" {\"openapi\": \"3.0.1\", \"paths\": {}}", "from memory");
    ApiDefinition yaml = LOADER.parse("openapi: 3.0.1\npaths: {}\n", "from memory");

    assertThat(json.routes()).isEmpty();
    assertThat(yaml.routes()).isEmpty();
  }

  @Test
  void aJsonFileNameMakesFlowYamlAJsonError() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> LOADER.parse("{openapi: 3.0.1, paths: {}}", "api.json"));

    assertThat(e).hasMessage("api.json: JSON syntax error at line 1, column 2: Unexpected character ('o' (code 111)): "
        + "was expecting double-quote to start field name");
  }

  @Test
  void aCharacterYamlDoesNotAllowIsNamedWithItsPosition() {
    assertThat(fails("openapi: 3.0.1\npaths: {}\ninfo: \u0001\n")).hasMessage(
        "api.yaml: YAML syntax error at line 3, column 7: character U+0001 is not allowed in YAML");
  }

  @Test
  void aDocumentNestedTooDeeplyIsALimitNotACrash() {
    InvalidConfigException e = fails("openapi: 3.0.1\npaths: {}\ninfo: " + "[".repeat(1001));

    assertThat(e).hasMessage("api.yaml: YAML document exceeds a limit: Document nesting depth (1001) exceeds the "
        + "maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)");
  }

  @Test
  void aByteOrderMarkIsSkipped() {
    ApiDefinition api = LOADER.parse("\uFEFF{\"openapi\": \"3.0.1\", \"paths\": {}}", "api.json");

    assertThat(api.routes()).isEmpty();
    assertThat(api.stages()).containsExactly(Stage.of("$default"));
  }

  @Test
  void openapiMayBeTheNumberThreePointZero() {
    assertThat(LOADER.parse("openapi: 3.0\npaths: {}\n", "api.yaml").routes()).isEmpty();
  }

  @Test
  void openapiAsAnotherNumberIsRefused() {
    assertThat(fails("openapi: 3.1\npaths: {}\n")).hasMessage(
        "api.yaml: /openapi: openapi '3.1' is not imported: only OpenAPI 3.0 is imported for HTTP APIs; expected 3.0.x");
  }

  @Test
  void pathsIsRequired() {
    assertThat(fails(HEAD)).hasMessage(
        "api.yaml: /: paths is missing: expected an object of route paths such as /orders/{orderId}");
  }

  // ---- what is ignored, and what is refused even there ------------------------------------------------------------

  @Test
  void ignoresOrdinaryOpenApiContentAsApiGatewayDoes() {
    String yaml = "openapi: 3.0.1\n"
        + "info:\n  title: t\n  version: '1'\n  description: deployed with ${var.environment}\n"
        + "servers:\n  - url: https://api.example.com\n"
        + "tags:\n  - name: orders\n"
        + "x-vendor-owner: team-orders\n"
        + "security: [{}]\n"
        + "paths:\n"
        + "  /orders/{id}:\n"
        + "    summary: one order\n"
        + "    parameters:\n      - {name: id, in: path, required: true, schema: {type: string}}\n"
        + "    get:\n"
        + "      operationId: getOrder\n"
        + "      deprecated: false\n"
        + "      security: []\n"
        + "      parameters:\n        - {name: body, in: body, schema: {$ref: '#/definitions/Missing'}}\n"
        + "      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: "
        + "'#/components/schemas/Order'}}}}\n"
        + "      x-codegen-name: getOrder\n"
        + "      x-amazon-apigateway-integration:\n"
        + "        type: http_proxy\n        uri: https://orders.example.com/orders/{id}\n"
        + "components:\n"
        + "  schemas:\n"
        + "    Base: &base {type: object}\n"
        + "    Order: {allOf: [*base], x-internal: true}\n";

    ApiDefinition api = LOADER.parse(yaml, "api.yaml");

    assertThat(api.routes()).containsExactly(
        new Route<>(RouteKey.parse("GET /orders/{id}"), Integration.http("https://orders.example.com/orders/{id}")));
  }

  @Test
  void aYamlTagIsRefusedEvenInContentThatIsIgnored() {
    assertThat(fails("openapi: 3.0.1\ninfo:\n  title: !Sub '${AWS::StackName}-api'\npaths: {}\n")).hasMessage(
        "api.yaml: /info/title: YAML tag !Sub is a CloudFormation intrinsic, which API Gateway does not resolve: "
            + "expected a plain value");
  }

  @Test
  void aCustomYamlTagIsRefused() {
    assertThat(fails(orders("        type: !custom http_proxy\n        uri: https://a.example.com\n"))).hasMessage(
        "api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration/type: YAML tag !custom is not supported: "
            + "expected a plain value");
  }

  @Test
  void yamlsOwnTagsAreAccepted() {
    ApiDefinition api = LOADER.parse(orders("        type: !!str http_proxy\n        uri: https://a.example.com\n"
        + "        payloadFormatVersion: !!str 1.0\n        timeoutInMillis: !!int 2000\n"), "api.yaml");

    assertThat(api.routes().get(0).value()).isEqualTo(
        Integration.builder().uri("https://a.example.com").timeout(Duration.ofMillis(2000)).build());
  }

  @Test
  void aYamlMergeKeyInAnIntegrationIsRefused() {
    String yaml = "openapi: 3.0.1\nx-defaults: &defaults {type: http_proxy}\npaths:\n  /orders:\n    get:\n"
        + "      x-amazon-apigateway-integration:\n        <<: *defaults\n        uri: https://a.example.com\n";

    assertThat(fails(yaml)).hasMessage("api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration/<<: the YAML "
        + "merge key << in x-amazon-apigateway-integration is not supported: expected the keys written in place");
  }

  @Test
  void aRootSecurityRequirementIsRefused() {
    assertThat(fails("openapi: 3.0.1\nsecurity:\n  - apiKey: []\n    jwt: [read]\npaths: {}\n")).hasMessage(
        "api.yaml: /security/0: security requirement 'apiKey', 'jwt' is not supported by Gatelink, which would serve "
            + "the API's routes without authorization: expected security: [] or no security");
  }

  @Test
  void anAmazonExtensionInsideAVendorExtensionIsRefusedToo() {
    assertThat(fails("openapi: 3.0.1\nx-vendor:\n  x-amazon-apigateway-binary-media-types: ['*/*']\npaths: {}\n"))
        .hasMessage("api.yaml: /x-vendor/x-amazon-apigateway-binary-media-types: "
            + "x-amazon-apigateway-binary-media-types is not supported by Gatelink: ignoring it could change how the "
            + "API behaves");
  }

  // ---- integrations and $ref --------------------------------------------------------------------------------------

  @Test
  void aFieldErrorOfANamedIntegrationPointsWhereTheFieldIsWritten() {
    String yaml = ORDERS + "        $ref: '#/components/x-amazon-apigateway-integrations/orders'\n"
        + "components:\n  x-amazon-apigateway-integrations:\n    orders:\n      type: http_proxy\n"
        + "      uri: https://orders.example.com\n      timeoutInMillis: 20\n";

    InvalidConfigException e = fails(yaml);

    assertThat(e).hasMessage("api.yaml: /components/x-amazon-apigateway-integrations/orders/timeoutInMillis: "
        + "timeoutInMillis 20 is out of range: expected 50 to 30000");
    assertThat(e.getCause()).isInstanceOf(InvalidConfigException.class)
        .hasMessage("timeoutInMillis 20 is out of range: expected 50 to 30000");
  }

  @Test
  void aRouteErrorOfANamedIntegrationPointsAtTheOperationAndNamesTheRoute() {
    String yaml = ORDERS + "        $ref: '#/components/x-amazon-apigateway-integrations/order'\n"
        + "components:\n  x-amazon-apigateway-integrations:\n    order:\n      type: http_proxy\n"
        + "      uri: https://orders.example.com/orders/{orderId}\n";

    assertThat(fails(yaml)).hasMessage("api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration: route "
        + "'GET /orders': integration uri 'https://orders.example.com/orders/{orderId}' uses {orderId}, which the "
        + "route does not have: expected no path variable, since the route has none");
  }

  @Test
  void aRefNameUsesJsonPointerEscapes() {
    String yaml = ORDERS + "        $ref: '#/components/x-amazon-apigateway-integrations/orders~1v2'\n"
        + "components:\n  x-amazon-apigateway-integrations:\n    orders/v2:\n      type: http_proxy\n"
        + "      uri: https://orders.example.com/v2\n";

    assertThat(LOADER.parse(yaml, "api.yaml").routes().get(0).value())
        .isEqualTo(Integration.http("https://orders.example.com/v2"));
  }

  @Test
  void aRefWithoutNamedIntegrationsSaysThereAreNone() {
    assertThat(fails(ORDERS + "        $ref: '#/components/x-amazon-apigateway-integrations/orders'\n")).hasMessage(
        "api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration/$ref: $ref "
            + "'#/components/x-amazon-apigateway-integrations/orders' names no integration: the document has no "
            + "components.x-amazon-apigateway-integrations");
  }

  @Test
  void aRouteKeyErrorKeepsTheRouteExceptionAsItsCause() {
    InvalidConfigException e = fails(HEAD + "paths:\n  /a/{b+}/c:\n    get:\n      x-amazon-apigateway-integration:\n"
        + "        type: http_proxy\n        uri: https://a.example.com\n");

    assertThat(e).hasMessage("api.yaml: /paths/~1a~1{b+}~1c/get: route key 'GET /a/{b+}/c': greedy variable {b+} "
        + "must be the last segment");
    assertThat(e.getCause()).isInstanceOf(InvalidRouteException.class);
  }

  @Test
  void aTimeoutBeyondAnyNumberTypeIsOutOfRange() {
    assertThat(fails(orders("        type: http_proxy\n        uri: https://a.example.com\n"
        + "        timeoutInMillis: 99999999999999999999\n"))).hasMessage(
        "api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration/timeoutInMillis: timeoutInMillis "
            + "99999999999999999999 is out of range: expected 50 to 30000");
  }

  @Test
  void aYamlOctalTimeoutIsRefusedRatherThanReadAsFifteen() {
    assertThat(fails(orders("        type: http_proxy\n        uri: https://a.example.com\n"
        + "        timeoutInMillis: 017\n"))).hasMessage(
        "api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration/timeoutInMillis: timeoutInMillis 017 is not "
            + "written in decimal: expected an integer number of milliseconds from 50 to 30000");
  }

  @Test
  void aBraceErrorInAPrivateUriPointsAtTheUri() {
    assertThat(fails(orders("        type: http_proxy\n        connectionType: VPC_LINK\n        connectionId: vl-1\n"
        + "        uri: arn:aws:servicediscovery:eu-west-1:111122223333:service/srv-1?x={\n"))).hasMessage(
        "api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration/uri: uri "
            + "'arn:aws:servicediscovery:eu-west-1:111122223333:service/srv-1?x={' has an unclosed { at index 64: "
            + "expected a path variable such as {proxy}");
  }

  @Test
  void aNumberWhereAStringIsExpectedIsRefused() {
    assertThat(fails(orders("        type: http_proxy\n        uri: https://a.example.com\n"
        + "        responseParameters:\n          '404': {'overwrite:statuscode': 410}\n"))).hasMessage(
        "api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration/responseParameters/404/overwrite:statuscode: "
            + "responseParameters '404' 'overwrite:statuscode' is a number (410): expected a string");
  }

  @Test
  void tlsConfigTakesOnlyServerNameToVerify() {
    assertThat(fails(orders("        type: http_proxy\n        uri: https://a.example.com\n"
        + "        tlsConfig: {sni: a.example.com}\n"))).hasMessage(
        "api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration/tlsConfig/sni: unknown key 'sni' in "
            + "tlsConfig: expected serverNameToVerify");
  }

  @Test
  void corsBooleansAreTrueOrFalseOnly() {
    assertThat(fails("openapi: 3.0.1\nx-amazon-apigateway-cors:\n  allowCredentials: yes\npaths: {}\n")).hasMessage(
        "api.yaml: /x-amazon-apigateway-cors/allowCredentials: allowCredentials is a string ('yes'): expected true "
            + "or false");
  }

  // ---- placeholders -----------------------------------------------------------------------------------------------

  @Test
  void aRequestSourceIsNotResolvedInAUri() {
    assertThat(fails(HEAD + "paths:\n  /orders/{id}:\n    get:\n      x-amazon-apigateway-integration:\n"
        + "        type: http_proxy\n        uri: https://a.example.com/${request.path.id}\n")).hasMessage(
        "api.yaml: /paths/~1orders~1{id}/get/x-amazon-apigateway-integration/uri: uri "
            + "'https://a.example.com/${request.path.id}' uses ${request.path.id}, which is not resolved in uri: "
            + "expected ${stageVariables.NAME}, ${AWS::Region}, ${AWS::AccountId} or ${AWS::Partition}");
  }

  @Test
  void thePartitionNeedsAPartitionOrARegion() {
    OpenApiLoader loader = OpenApiLoader.builder().awsAccountId("111122223333").build();

    assertThat(fails(loader, orders("        type: http_proxy\n        uri: https://a.example.com\n"
        + "        requestParameters: {'append:header.x-partition': '${AWS::Partition}'}\n"))).hasMessage(
        "api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration/requestParameters/"
            + "append:header.x-partition: requestParameters 'append:header.x-partition' '${AWS::Partition}' uses "
            + "${AWS::Partition}, but neither an AWS partition nor a region was given: expected "
            + "OpenApiLoader.builder().awsPartition(...) or awsRegion(...)");
  }

  @Test
  void theRegionMustBeGivenToBeUsed() {
    assertThat(fails(orders("        type: http_proxy\n        uri: https://orders.${AWS::Region}.example.com\n")))
        .hasMessage("api.yaml: /paths/~1orders/get/x-amazon-apigateway-integration/uri: uri "
            + "'https://orders.${AWS::Region}.example.com' uses ${AWS::Region}, but no AWS region was given: expected "
            + "OpenApiLoader.builder().awsRegion(...)");
  }

  // ---- builder ----------------------------------------------------------------------------------------------------

  @Test
  void theBuilderChecksTheRegion() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> OpenApiLoader.builder().awsRegion("EU"));

    assertThat(e).hasMessage("awsRegion 'EU' is not a region name: expected a name such as eu-west-1");
  }

  @Test
  void theBuilderChecksTheAccountId() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> OpenApiLoader.builder().awsAccountId("1111-2222-3333"));

    assertThat(e).hasMessage("awsAccountId '1111-2222-3333' is not an account id: expected 12 digits");
  }

  @Test
  void theBuilderChecksThePartition() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> OpenApiLoader.builder().awsPartition("azure"));

    assertThat(e).hasMessage(
        "awsPartition 'azure' is not a partition name: expected aws, aws-cn, aws-us-gov or another aws-* name");
  }

  @Test
  void theBuilderRefusesAStageTwice() {
    OpenApiLoader.Builder builder = OpenApiLoader.builder().stage(Stage.of("prod"));

    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> builder.stage(Stage.of("prod")));

    assertThat(e).hasMessage("stage 'prod' is given twice: expected each stage once");
  }
}
