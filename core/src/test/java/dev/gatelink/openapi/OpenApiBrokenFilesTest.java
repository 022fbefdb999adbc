package dev.gatelink.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.config.InvalidConfigException;

/**
 * One file per problem under {@code openapi/broken/}: each is loaded with a loader that has no AWS values and no
 * stages, and fails with exactly one whole message, at the pointer of the offending value.
 */
class OpenApiBrokenFilesTest {
  private static final Path DIR = Path.of("src/test/resources/openapi/broken");
  private static final String INTEGRATION = "/paths/~1orders/get/x-amazon-apigateway-integration";
  private static final String TARGET = "/paths/~1orders/get/x-gatelink-target";
  private static final String LISTENER =
      "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/0a1b2c3d4e5f6071/8899aabbccddeeff";

  static Stream<Arguments> brokenFiles() {
    return Stream.of(
        row("swagger-2.yaml", "/swagger",
            "swagger '2.0' is not imported: only OpenAPI 3.0 is imported for HTTP APIs; expected openapi: 3.0.x"),
        row("openapi-3-1.yaml", "/openapi",
            "openapi '3.1.0' is not imported: only OpenAPI 3.0 is imported for HTTP APIs; expected 3.0.x"),
        row("missing-openapi.yaml", "",
            "openapi is missing: only OpenAPI 3.0 is imported for HTTP APIs; expected openapi: 3.0.x"),
        row("yaml-syntax-error.yaml", null, "YAML syntax error at line 11, column 8: expected <block end>, but found "
            + "'<block mapping start>' (while parsing a block mapping at line 9, column 7)"),
        row("json-syntax-error.json", null, "JSON syntax error at line 8, column 11: Unexpected character ('\"' "
            + "(code 34)): was expecting comma to separate Object entries"),
        row("empty.yaml", null, "the document is empty: expected an OpenAPI 3.0 object with openapi and paths"),
        row("root-list.yaml", "", "the document is a list: expected an OpenAPI 3.0 object with openapi and paths"),
        row("two-documents.yaml", null,
            "a second document starts at line 15, column 1: expected one OpenAPI document in the file"),
        row("duplicate-key.yaml", INTEGRATION + "/uri",
            "key 'uri' is given twice, at line 12, column 9 and at line 14, column 9: expected each key once"),
        row("yaml-alias.yaml", INTEGRATION + "/uri",
            "uri is the YAML alias *orders, which Gatelink does not expand: expected the value written in place"),
        row("unknown-root-key.yaml", "/path", "unknown key 'path' in the document root: expected openapi, info, "
            + "servers, paths, components, security, tags, externalDocs, x-amazon-apigateway-cors, "
            + "x-amazon-apigateway-importexport-version or x- extensions"),
        row("importexport-version.yaml", "/x-amazon-apigateway-importexport-version",
            "x-amazon-apigateway-importexport-version '2.0' is not supported: expected 1.0"),
        row("unknown-cors-key.yaml", "/x-amazon-apigateway-cors/allow_origins", "unknown key 'allow_origins' in "
            + "x-amazon-apigateway-cors: expected allowOrigins, allowCredentials, exposeHeaders, maxAge, allowMethods "
            + "or allowHeaders"),
        row("cors-max-age.yaml", "/x-amazon-apigateway-cors/maxAge",
            "maxAge 90000 is out of range: expected -1 to 86400"),
        row("cors-credentials-any-origin.yaml", "/x-amazon-apigateway-cors/allowCredentials",
            "allowCredentials is true and allowOrigins has '*': allow-credentials is not supported if 'allow-origin' is *"),
        row("policy-extension.yaml", "/x-amazon-apigateway-policy",
            "x-amazon-apigateway-policy is not supported by Gatelink: ignoring it could change how the API behaves"),
        row("authorizer-extension.yaml", "/components/securitySchemes/jwtAuth/x-amazon-apigateway-authorizer",
            "x-amazon-apigateway-authorizer is not supported by Gatelink: ignoring it could change how the API behaves"),
        row("misplaced-integration.yaml", "/paths/~1orders/x-amazon-apigateway-integration",
            "x-amazon-apigateway-integration is not read here: expected it in an operation under paths"),
        row("security-requirement.yaml", "/paths/~1orders/get/security/0", "security requirement 'jwtAuth' is not "
            + "supported by Gatelink, which would serve route 'GET /orders' without authorization: expected "
            + "security: [] or no security"),
        row("route-trailing-slash.yaml", "/paths/~1orders~1/get",
            "route key 'GET /orders/': path '/orders/' must not end with '/'; only the root path '/' may"),
        row("uppercase-operation.yaml", "/paths/~1orders/GET", "unknown key 'GET' in path '/orders': expected get, "
            + "put, post, delete, options, head, patch, x-amazon-apigateway-any-method, parameters, summary, "
            + "description, servers or x- extensions"),
        row("trace-operation.yaml", "/paths/~1orders/trace", "trace is not supported: API Gateway HTTP APIs cannot "
            + "route TRACE; expected get, put, post, delete, options, head, patch or x-amazon-apigateway-any-method"),
        row("path-without-operation.yaml", "/paths/~1orders~1{id}", "path '/orders/{id}' has no operation, so it "
            + "would make no route: expected get, put, post, delete, options, head, patch or "
            + "x-amazon-apigateway-any-method"),
        row("missing-integration.yaml", "/paths/~1orders/get", "route 'GET /orders' has no "
            + "x-amazon-apigateway-integration: API Gateway would create it with no target; expected an HTTP_PROXY "
            + "integration"),
        row("default-route-get.yaml", "/paths/~1$default/get", "path '/$default' is the $default route, which takes "
            + "every method: expected x-amazon-apigateway-any-method, not get"),
        row("default-route-marked-false.yaml", "/paths/~1$default/x-amazon-apigateway-any-method/isDefaultRoute",
            "isDefaultRoute is false on path '/$default', which is always the $default route: expected true or no "
                + "isDefaultRoute"),
        row("default-route-marked-elsewhere.yaml", "/paths/~1{proxy+}/x-amazon-apigateway-any-method/isDefaultRoute",
            "isDefaultRoute is true on path '/{proxy+}': expected it only on the $default path ('/$default')"),
        row("two-default-routes.yaml", "/paths/$default", "path '$default' is the $default route, which path "
            + "'/$default' declares already: expected the $default route once"),
        row("duplicate-routes.yaml", "/paths/~1a~1{y}/get", "route key 'GET /a/{y}': it is the same route as "
            + "'GET /a/{x}': keys that differ only in variable names are duplicates"),
        row("ref-missing-name.yaml", INTEGRATION + "/$ref", "$ref '#/components/x-amazon-apigateway-integrations/"
            + "order' names no integration: expected one of orders"),
        row("ref-not-integration.yaml", INTEGRATION + "/$ref", "$ref '#/components/schemas/Order' is not an "
            + "integration reference: expected '#/components/x-amazon-apigateway-integrations/NAME'"),
        row("ref-with-sibling.yaml", INTEGRATION + "/timeoutInMillis", "x-amazon-apigateway-integration has a $ref "
            + "and the key 'timeoutInMillis': expected only the $ref, or the integration written in place"),
        row("unknown-integration-key.yaml", INTEGRATION + "/enableSimpleResponses", "unknown key "
            + "'enableSimpleResponses' in x-amazon-apigateway-integration: expected type, httpMethod, uri, "
            + "connectionType, connectionId, payloadFormatVersion, tlsConfig, timeoutInMillis, requestParameters or "
            + "responseParameters"),
        row("type-missing.yaml", INTEGRATION, "type is missing: expected http_proxy"),
        row("target-options-list.yaml", TARGET, "x-gatelink-target is a list: expected an object of target "
            + "options, such as healthStatus: HEALTHY_OR_ELSE_ALL"),
        row("target-option-nested-group.yaml", TARGET + "/optionalParameters/zone", "x-gatelink-target "
            + "'optionalParameters.zone' is an object: expected a string, a number or a boolean"),
        row("target-option-twice.yaml", TARGET + "/optionalParameters/zone", "target option "
            + "'optionalParameters.zone' is given twice: expected each option once"),
        row("target-option-null.yaml", TARGET + "/healthStatus",
            "x-gatelink-target 'healthStatus' is null: expected a string, a number or a boolean"),
        row("gatelink-extension-unknown.yaml", "/paths/~1orders/get/x-gatelink-targets",
            "x-gatelink-targets is not a Gatelink extension: expected x-gatelink-target in an operation or "
                + "x-gatelink-passthrough at the document root"),
        row("passthrough-in-operation.yaml", "/paths/~1orders/get/x-gatelink-passthrough",
            "x-gatelink-passthrough is not read here: expected it at the document root"),
        row("target-options-on-path-item.yaml", "/paths/~1orders/x-gatelink-target", "x-gatelink-target is not "
            + "read here: expected it in an operation, next to x-amazon-apigateway-integration"),
        row("aws-proxy-type.yaml", "/paths/~1orders/post/x-amazon-apigateway-integration/type", "type 'aws_proxy' "
            + "is not supported by Gatelink, which serves only HTTP_PROXY integrations: expected http_proxy"),
        row("rest-http-type.yaml", INTEGRATION + "/type",
            "type 'http' is for REST APIs only, and HTTP APIs do not support it: expected http_proxy"),
        row("integration-subtype.yaml", INTEGRATION + "/integrationSubtype", "integrationSubtype is only for "
            + "AWS_PROXY integrations, which Gatelink does not support: expected no integrationSubtype"),
        row("credentials.yaml", INTEGRATION + "/credentials", "credentials is only for AWS_PROXY integrations, which "
            + "Gatelink does not support: expected no credentials"),
        row("lowercase-http-method.yaml", INTEGRATION + "/httpMethod", "httpMethod 'get' must be written in upper case, "
            + "as 'GET'"),
        row("connection-type-lowercase.yaml", INTEGRATION + "/connectionType",
            "connectionType 'internet' is not a connection type: expected INTERNET or VPC_LINK"),
        row("payload-format-2.yaml", INTEGRATION + "/payloadFormatVersion",
            "payloadFormatVersion '2.0' is not supported for HTTP_PROXY integrations: expected 1.0"),
        row("insecure-skip-verification.yaml", INTEGRATION + "/tlsConfig/insecureSkipVerification",
            "tlsConfig.insecureSkipVerification is for REST APIs only, and HTTP APIs do not support it: expected "
                + "only serverNameToVerify in tlsConfig"),
        row("timeout-out-of-range.yaml", "/paths/~1orders~1{orderId}/get/x-amazon-apigateway-integration/"
            + "timeoutInMillis", "timeoutInMillis 45000 is out of range: expected 50 to 30000"),
        row("unused-component-broken.yaml", "/components/x-amazon-apigateway-integrations/legacy/timeoutInMillis",
            "timeoutInMillis is a number (29000.5): expected an integer number of milliseconds from 50 to 30000"),
        row("list-for-string.yaml", INTEGRATION + "/connectionId", "connectionId is a list: expected a string"),
        row("sub-tag.yaml", INTEGRATION + "/uri", "YAML tag !Sub is a CloudFormation intrinsic, which API Gateway "
            + "does not resolve: expected a plain value"),
        row("getatt-map.yaml", INTEGRATION + "/uri", "uri is a CloudFormation intrinsic (Fn::GetAtt), which API "
            + "Gateway does not resolve: expected a plain value"),
        row("cloudformation-reference.yaml", INTEGRATION + "/uri", "uri 'https://${OrdersFunction.Arn}/orders' uses "
            + "${OrdersFunction.Arn}, which API Gateway does not resolve: expected ${stageVariables.NAME}, "
            + "${AWS::Region}, ${AWS::AccountId} or ${AWS::Partition}"),
        row("terraform-variable.yaml", INTEGRATION + "/uri", "uri 'https://${var.backend}/orders' uses "
            + "${var.backend}, which API Gateway does not resolve: expected ${stageVariables.NAME}, ${AWS::Region}, "
            + "${AWS::AccountId} or ${AWS::Partition}"),
        row("unclosed-placeholder.yaml", INTEGRATION + "/uri", "uri 'https://orders.example.com/${stageVariables.path'"
            + " has an unclosed ${ at index 27: expected ${NAME}"),
        row("account-id-not-given.yaml", INTEGRATION + "/uri", "uri 'arn:aws:elasticloadbalancing:eu-west-1:"
            + "${AWS::AccountId}:listener/app/orders/0a1b2c3d4e5f6071/8899aabbccddeeff' uses ${AWS::AccountId}, but "
            + "no AWS account id was given: expected OpenApiLoader.builder().awsAccountId(...)"),
        row("stage-variable-in-connection-id.yaml", INTEGRATION + "/connectionId", "connectionId "
            + "'${stageVariables.vpcLink}' uses ${stageVariables.vpcLink}, which is not resolved in connectionId: "
            + "expected ${AWS::Region}, ${AWS::AccountId} or ${AWS::Partition}"),
        row("vpc-link-http-url.yaml", INTEGRATION + "/uri", "uri 'https://orders.example.com/orders': For VpcLink "
            + "VPC_LINK, integration uri should be a valid ELB listener ARN or a valid Cloud Map service ARN."),
        row("internet-arn.yaml", INTEGRATION + "/uri", "uri '" + LISTENER + "': Invalid HTTP endpoint specified for "
            + "URI: expected an http:// or https:// URL for connectionType INTERNET"),
        row("vpc-link-without-connection-id.yaml", INTEGRATION,
            "connectionId is missing: expected the VPC link id of a VPC_LINK integration"),
        row("reserved-header-mapping.yaml", INTEGRATION + "/requestParameters/overwrite:header.Authorization",
            "requestParameters 'overwrite:header.Authorization' names header 'Authorization', which API Gateway "
                + "reserves: expected a header that is not reserved for mapping"),
        row("bad-response-status.yaml", INTEGRATION + "/responseParameters/600",
            "responseParameters '600' is not a status code: expected a backend status code from 200 to 599"),
        row("uri-variable-not-in-route.yaml", INTEGRATION, "route 'GET /orders': integration uri "
            + "'https://orders.example.com/orders/{id}' uses {id}, which the route does not have: expected no path "
            + "variable, since the route has none"),
        row("stage-variable-undefined.yaml", INTEGRATION + "/uri", "route 'GET /orders': integration uri "
            + "'https://${stageVariables.ordersHost}/orders' uses ${stageVariables.ordersHost}, which stage "
            + "'$default' does not define: expected every stage to define it"));
  }

  private static Arguments row(String file, @Nullable String pointer, String problem) {
    return Arguments.of(file, pointer, problem);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void eachBrokenFileFailsWithItsWholeMessageAtItsPointer(String file, @Nullable String pointer, String problem) {
    Path path = DIR.resolve(file);

    InvalidConfigException e = catchThrowableOfType(
        InvalidConfigException.class, () -> OpenApiLoader.builder().build().load(path));

    String location = pointer == null ? "" : (pointer.isEmpty() ? "/" : pointer) + ": ";
    assertThat(e).hasMessage(path + ": " + location + problem);
    assertThat(e.source()).isEqualTo(path.toString());
    assertThat(e.pointer()).isEqualTo(pointer);
    assertThat(e.problem()).isEqualTo(problem);
  }

  @Test
  void everyFileOfTheBrokenDirectoryIsInTheTable() throws IOException {
    Set<String> listed = brokenFiles().map(arguments -> (String) arguments.get()[0]).collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> onDisk = files.map(file -> file.getFileName().toString()).collect(Collectors.toList());
      assertThat(listed).containsExactlyInAnyOrderElementsOf(onDisk);
    }
  }
}
