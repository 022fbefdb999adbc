package dev.gatelink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.gatelink.gateway.Gateway;

/**
 * Parameter mapping syntax (spec section 4), through {@link Integration.Builder#requestParameter} and
 * {@link Integration.Builder#responseParameters}: key grammar, reserved headers, sources and their whole
 * messages.
 */
class ParameterMappingModelTest {
  private static final String REQUEST_SOURCES = "$request.header.NAME, $request.querystring.NAME, $request.body, $request.body.JSONPATH,"
      + " $request.path, $request.path.NAME, $context.NAME or $stageVariables.NAME";
  private static final String RESPONSE_SOURCES =
      "$response.header.NAME, $response.body, $response.body.JSONPATH, $context.NAME or $stageVariables.NAME";
  private static final String NOT_A_KEY = " is not a mapping key: expected append|overwrite|remove:header.NAME,"
      + " append|overwrite|remove:querystring.NAME or overwrite:path";

  private static Integration.Builder builder() {
    return Integration.builder().uri("http://backend.example.com/");
  }

  private static Map<String, String> requestMapping(String key, String value) {
    return builder().requestParameter(key, value).build().requestParameters();
  }

  private static Map<String, Map<String, String>> responseMapping(String status, String key, String value) {
    return builder().responseParameters(status, Map.of(key, value)).build().responseParameters();
  }

  // Request keys

  @ParameterizedTest
  @ValueSource(strings = {"append:header.x-tenant", "overwrite:header.x-tenant", "append:querystring.tenant",
      "overwrite:querystring.tenant", "overwrite:path"})
  void requestKeyIsAccepted(String key) {
    assertThat(requestMapping(key, "static")).containsExactly(Map.entry(key, "static"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"remove:header.x-tenant", "remove:querystring.tenant"})
  void removeKeyWithAnEmptyValueIsAccepted(String key) {
    assertThat(requestMapping(key, "")).containsExactly(Map.entry(key, ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"remove:header.x-tenant", "remove:querystring.tenant"})
  void removeKeyWithTwoQuotesIsAcceptedAsTheCliWritesIt(String key) {
    assertThat(requestMapping(key, "''")).containsExactly(Map.entry(key, "''"));
  }

  @Test
  void appendToThePathIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:path", "/x"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:path': the path can only be overwritten: expected overwrite:path");
  }

  @Test
  void removeOfThePathIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("remove:path", ""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'remove:path': the path can only be overwritten: expected overwrite:path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"replace:header.x", "header.x", "Append:header.x", ":header.x", "overwrite:body",
      "overwrite:path.x", "overwrite:Header.x", "append:statuscode", ""})
  void unknownRequestKeyIsRefused(String key) {
    assertThatThrownBy(() -> builder().requestParameter(key, "v"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters '" + key + "'" + NOT_A_KEY);
  }

  @Test
  void headerKeyWithoutANameIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.", "v"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.' names header '':"
            + " expected an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
  }

  @Test
  void headerKeyWithASpaceInTheNameIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x tenant", "v"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x tenant' names header 'x tenant':"
            + " expected an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
  }

  @Test
  void querystringKeyWithoutANameIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:querystring.", "v"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:querystring.' names querystring parameter '':"
            + " expected a non-empty name without spaces, &, = or #");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a&b", "a=b", "a#b", "a b"})
  void querystringKeyWithASeparatorInTheNameIsRefused(String name) {
    assertThatThrownBy(() -> builder().requestParameter("overwrite:querystring." + name, "v"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'overwrite:querystring." + name + "' names querystring parameter '" + name
            + "': expected a non-empty name without spaces, &, = or #");
  }

  @Test
  void querystringNamedLikeAReservedHeaderIsAccepted() {
    assertThat(requestMapping("append:querystring.Authorization", "x"))
        .containsExactly(Map.entry("append:querystring.Authorization", "x"));
  }

  @Test
  void sameKeyTwiceIsRefused() {
    Integration.Builder builder = builder().requestParameter("append:header.x-tenant", "a");

    assertThatThrownBy(() -> builder.requestParameter("append:header.x-tenant", "b"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-tenant' is given twice: expected each key once");
  }

  @Test
  void sameNameWithDifferentActionsIsAccepted() {
    Map<String, String> mappings = builder()
        .requestParameter("remove:header.x-tenant", "")
        .requestParameter("append:header.x-tenant", "a")
        .build().requestParameters();

    assertThat(mappings).containsExactly(Map.entry("remove:header.x-tenant", ""), Map.entry("append:header.x-tenant", "a"));
  }

  // Reserved headers (spec 4.4)

  @ParameterizedTest
  @ValueSource(strings = {"Authorization", "authorization", "AUTHORIZATION", "Connection", "Content-Encoding",
      "content-length", "CONTENT-LOCATION", "Forwarded", "Keep-Alive", "Origin", "Proxy-Authenticate",
      "proxy-authorization", "TE", "te", "Trailers", "Transfer-Encoding", "Upgrade", "X-Forwarded-For",
      "x-forwarded-host", "X-FORWARDED-PROTO", "Via", "Access-Control-Allow-Origin", "access-control-x",
      "ACCESS-CONTROL-MAX-AGE", "apigw-requestid", "Apigw-Anything", "X-Amz-Date", "x-amz-security-token",
      "X-AMZ-X", "X-Amzn-Trace-Id", "x-amzn-requestid", "X-AMZN-X"})
  void reservedHeaderCannotBeAppended(String header) {
    assertThatThrownBy(() -> builder().requestParameter("append:header." + header, "v"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header." + header + "' names header '" + header
            + "', which API Gateway reserves: expected a header that is not reserved for mapping");
  }

  @Test
  void reservedHeaderCannotBeOverwritten() {
    assertThatThrownBy(() -> builder().requestParameter("overwrite:header.Authorization", "v"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'overwrite:header.Authorization' names header 'Authorization',"
            + " which API Gateway reserves: expected a header that is not reserved for mapping");
  }

  @Test
  void reservedHeaderCannotBeRemoved() {
    assertThatThrownBy(() -> builder().requestParameter("remove:header.X-Forwarded-For", ""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'remove:header.X-Forwarded-For' names header 'X-Forwarded-For',"
            + " which API Gateway reserves: expected a header that is not reserved for mapping");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Host", "host", "Content-Type", "X-Request-Id", "Trailer", "x-amzfoo", "apigw",
      "access-control", "Cookie"})
  void headerThatIsNotReservedCanBeOverwritten(String header) {
    assertThat(requestMapping("overwrite:header." + header, "v"))
        .containsExactly(Map.entry("overwrite:header." + header, "v"));
  }

  // Request values

  @ParameterizedTest
  @ValueSource(strings = {"static text", "$request.header.x-tenant", "${request.header.x-tenant}",
      "$request.querystring.page", "${request.querystring.page}", "$request.body", "${request.body}",
      "$request.body.a.b", "${request.body.a.b}", "$request.path", "$request.path.id", "${request.path.id}",
      "$context.requestId", "${context.requestId}", "$context.integration.latency", "$context.identity.sourceIp",
      "$stageVariables.environment", "${stageVariables.environment}", "${request.path.a} ${request.path.b}",
      "Bearer ${request.header.x-token}", "${request.path.a}/${stageVariables.b}/${context.requestId}",
      "$request.header.Host", "costs $5", "100%"})
  void requestValueIsAccepted(String value) {
    assertThat(requestMapping("append:header.x-out", value)).containsExactly(Map.entry("append:header.x-out", value));
  }

  @Test
  void emptyValueForAppendIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", ""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' has an empty value:"
            + " expected a source such as $request.header.NAME or static text");
  }

  @Test
  void emptyValueForOverwritePathIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("overwrite:path", ""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'overwrite:path' has an empty value:"
            + " expected a source such as $request.header.NAME or static text");
  }

  @Test
  void removeWithAValueIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("remove:header.x-tenant", "$request.header.x"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'remove:header.x-tenant' removes, so its value must be empty:"
            + " got '$request.header.x'");
  }

  @Test
  void removeOfAQuerystringWithAValueIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("remove:querystring.page", "1"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'remove:querystring.page' removes, so its value must be empty: got '1'");
  }

  @Test
  void recursiveDescentInABodyPathIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$request.body..x"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$request.body..x': $request.body..x uses a JSON"
            + " path with recursive descent or a filter, which API Gateway does not support: expected "
            + REQUEST_SOURCES);
  }

  @Test
  void filterInABodyPathIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "${request.body.items[?(@.a)]}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '${request.body.items[?(@.a)]}':"
            + " $request.body.items[?(@.a)] uses a JSON path with recursive descent or a filter, which API Gateway"
            + " does not support: expected " + REQUEST_SOURCES);
  }

  @Test
  void unknownSourceIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$foo.bar"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$foo.bar': $foo.bar is not a source: expected "
            + REQUEST_SOURCES);
  }

  @Test
  void unknownSourceInsideTextIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "id=${foo.bar}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value 'id=${foo.bar}': $foo.bar is not a source:"
            + " expected " + REQUEST_SOURCES);
  }

  @Test
  void secondOfTwoSourcesIsCheckedToo() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "${request.path.a} ${foo}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '${request.path.a} ${foo}': $foo is not a source:"
            + " expected " + REQUEST_SOURCES);
  }

  @Test
  void responseSourceInARequestMappingIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$response.header.x"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$response.header.x': $response.header.x is not"
            + " a source: expected " + REQUEST_SOURCES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Authorization", "x-amzn-trace-id", "X-Forwarded-For", "Access-Control-Request-Method"})
  void reservedHeaderAsASourceIsRefused(String header) {
    String value = "$request.header." + header;

    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", value))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '" + value + "': " + value + " reads header '"
            + header + "', which API Gateway reserves: expected " + REQUEST_SOURCES);
  }

  @Test
  void headerSourceWithoutANameIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$request.header."))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$request.header.': $request.header. names no"
            + " header: expected " + REQUEST_SOURCES);
  }

  @Test
  void querystringSourceWithoutANameIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$request.querystring."))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$request.querystring.': $request.querystring."
            + " names no querystring parameter: expected " + REQUEST_SOURCES);
  }

  @Test
  void pathParameterSourceWithoutANameIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$request.path."))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$request.path.': $request.path. names no path"
            + " parameter: expected " + REQUEST_SOURCES);
  }

  @Test
  void contextVariableGatelinkDoesNotProvideIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "${context.authorizer.claims.sub}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '${context.authorizer.claims.sub}':"
            + " $context.authorizer.claims.sub is not a context variable Gatelink provides (see ContextVariable):"
            + " expected " + REQUEST_SOURCES);
  }

  @Test
  void jsonPathThatIsNotValidIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$request.body.items[first]"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$request.body.items[first]':"
            + " $request.body.items[first] has JSON path '.items[first]', which is not valid ('[first]' at index 6"
            + " is neither [INDEX] nor ['NAME']; use .NAME, ['NAME'] or [INDEX]): expected " + REQUEST_SOURCES);
  }

  @Test
  void unclosedJsonPathBracketInAResponseMappingIsRefused() {
    assertThatThrownBy(() -> builder().responseParameters("500", Map.of("append:header.x-out",
        "$response.body.a['b'")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '500' 'append:header.x-out' value '$response.body.a['b'':"
            + " $response.body.a['b' has JSON path '.a['b'', which is not valid (unclosed [ at index 2; use .NAME,"
            + " ['NAME'] or [INDEX]): expected " + RESPONSE_SOURCES);
  }

  @Test
  void mappingsAreParsedIntoTypedValues() {
    Integration integration = builder()
        .requestParameter("overwrite:path", "$request.path")
        .requestParameter("append:header.x-id", "id ${context.requestId} ${request.body.a[0]}")
        .requestParameter("remove:querystring.q", "")
        .responseParameters("404", Map.of("overwrite:statuscode", "410"))
        .build();

    ParameterMapping path = integration.requestMappings().get(0);
    assertThat(List.of(path.action(), path.target())).containsExactly(ParameterMapping.Action.OVERWRITE,
        ParameterMapping.Target.PATH);
    assertThat(path.name()).isNull();
    assertThat(path.value().sourceKinds()).containsExactly(MappingValue.SourceKind.REQUEST_PATH);
    ParameterMapping header = integration.requestMappings().get(1);
    assertThat(header.name()).isEqualTo("x-id");
    assertThat(header.value().sourceKinds()).containsExactly(MappingValue.SourceKind.STATIC,
        MappingValue.SourceKind.CONTEXT, MappingValue.SourceKind.STATIC, MappingValue.SourceKind.REQUEST_BODY_PATH);
    assertThat(header.value().readsRequestBody()).isTrue();
    ParameterMapping removal = integration.requestMappings().get(2);
    assertThat(List.of(removal.action(), removal.target())).containsExactly(ParameterMapping.Action.REMOVE,
        ParameterMapping.Target.QUERYSTRING);
    assertThat(removal.value()).isNull();
    ParameterMapping status = integration.responseMappings().get(404).get(0);
    assertThat(status.target()).isEqualTo(ParameterMapping.Target.STATUS_CODE);
    assertThat(status.value().sourceKinds()).containsExactly(MappingValue.SourceKind.STATIC);
  }

  @Test
  void containsLineBreakOrNulFindsEachOfThem() {
    assertThat(MappingValue.containsLineBreakOrNul("a\rb")).isTrue();
    assertThat(MappingValue.containsLineBreakOrNul("a\nb")).isTrue();
    assertThat(MappingValue.containsLineBreakOrNul("a\u0000b")).isTrue();
    assertThat(MappingValue.containsLineBreakOrNul("a\tb c")).isFalse();
  }

  @Test
  void contextVariableWithAHyphenIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$context.request-id"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$context.request-id': $context.request-id names"
            + " no context variable (letters, digits, . and _ only): expected " + REQUEST_SOURCES);
  }

  @Test
  void stageVariableSourceWithoutANameIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$stageVariables."))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$stageVariables.': $stageVariables. names no"
            + " stage variable: expected " + REQUEST_SOURCES);
  }

  @Test
  void dollarAloneIsRefused() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$': $ is not a source: expected "
            + REQUEST_SOURCES);
  }

  @Test
  void sourcesAreCaseSensitive() {
    assertThatThrownBy(() -> builder().requestParameter("append:header.x-out", "$Request.header.x"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'append:header.x-out' value '$Request.header.x': $Request.header.x is not a"
            + " source: expected " + REQUEST_SOURCES);
  }

  @Test
  void overwritePathIsCheckedLikeOtherValues() {
    assertThatThrownBy(() -> builder().requestParameter("overwrite:path", "$foo"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("requestParameters 'overwrite:path' value '$foo': $foo is not a source: expected "
            + REQUEST_SOURCES);
  }

  @Test
  void overwritePathFromTheRequestPathIsAccepted() {
    assertThat(requestMapping("overwrite:path", "$request.path"))
        .containsExactly(Map.entry("overwrite:path", "$request.path"));
  }

  // Response status codes

  @ParameterizedTest
  @ValueSource(strings = {"200", "404", "599"})
  void backendStatusFrom200To599IsAccepted(String status) {
    assertThat(responseMapping(status, "append:header.x-error", "$context.requestId"))
        .containsExactly(Map.entry(status, Map.of("append:header.x-error", "$context.requestId")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"199", "600", "abc", "100", "2000", "20", "", " 404", "4O4"})
  void backendStatusOutsideTheRangeIsRefused(String status) {
    assertThatThrownBy(() -> builder().responseParameters(status, Map.of("overwrite:statuscode", "410")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '" + status
            + "' is not a status code: expected a backend status code from 200 to 599");
  }

  @Test
  void sameStatusTwiceIsRefused() {
    Integration.Builder builder = builder().responseParameters("404", Map.of("overwrite:statuscode", "410"));

    assertThatThrownBy(() -> builder.responseParameters("404", Map.of("overwrite:statuscode", "404")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '404' is given twice: expected each status code once");
  }

  @Test
  void statusWithNoMappingsIsAccepted() {
    assertThat(builder().responseParameters("200", Map.of()).build().responseParameters())
        .containsExactly(Map.entry("200", Map.of()));
  }

  // overwrite:statuscode

  @ParameterizedTest
  @ValueSource(strings = {"410", "100", "599", "$context.integrationStatus", "$response.header.x-status", "${stageVariables.code}"})
  void statusCodeValueIsAccepted(String value) {
    assertThat(responseMapping("404", "overwrite:statuscode", value))
        .containsExactly(Map.entry("404", Map.of("overwrite:statuscode", value)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"99", "600", "abc", "", "4${context.x}"})
  void statusCodeValueThatIsNotAStatusIsRefused(String value) {
    assertThatThrownBy(() -> builder().responseParameters("404", Map.of("overwrite:statuscode", value)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '404' 'overwrite:statuscode' value '" + value + "' is not a status code:"
            + " expected 100 to 599 or a $response, $context or $stageVariables source");
  }

  @Test
  void statusCodeFromARequestSourceIsRefused() {
    assertThatThrownBy(() ->
            builder().responseParameters("404", Map.of("overwrite:statuscode", "$request.header.x-status")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '404' 'overwrite:statuscode' value '$request.header.x-status':"
            + " $request.header.x-status is not a source: expected " + RESPONSE_SOURCES);
  }

  // Response keys and values

  @ParameterizedTest
  @ValueSource(strings = {"append:header.x-error", "overwrite:header.x-error"})
  void responseHeaderKeyIsAccepted(String key) {
    assertThat(responseMapping("500", key, "$response.header.x-cause"))
        .containsExactly(Map.entry("500", Map.of(key, "$response.header.x-cause")));
  }

  @Test
  void responseHeaderRemoveWithAnEmptyValueIsAccepted() {
    assertThat(responseMapping("500", "remove:header.x-internal", ""))
        .containsExactly(Map.entry("500", Map.of("remove:header.x-internal", "")));
  }

  @Test
  void responseHeaderRemoveWithAValueIsRefused() {
    assertThatThrownBy(() -> builder().responseParameters("500", Map.of("remove:header.x-internal", "x")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '500' 'remove:header.x-internal' removes, so its value must be empty: got 'x'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"overwrite:querystring.page", "overwrite:path", "append:statuscode", "replace:header.x",
      "header.x", "overwrite:Statuscode"})
  void responseKeyThatIsNotAHeaderOrTheStatusIsRefused(String key) {
    assertThatThrownBy(() -> builder().responseParameters("500", Map.of(key, "v")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '500' '" + key + "' is not a response mapping key:"
            + " expected append|overwrite|remove:header.NAME or overwrite:statuscode");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Access-Control-Allow-Origin", "apigw-requestid", "Content-Length", "x-amzn-RequestId",
      "Transfer-Encoding", "CONNECTION"})
  void reservedResponseHeaderIsRefused(String header) {
    assertThatThrownBy(() -> builder().responseParameters("500", Map.of("overwrite:header." + header, "v")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '500' 'overwrite:header." + header + "' names header '" + header
            + "', which API Gateway reserves: expected a header that is not reserved for mapping");
  }

  @ParameterizedTest
  @ValueSource(strings = {"$response.header.x-cause", "$response.body", "$response.body.error.code",
      "${response.body.error.code}", "$context.requestId", "$stageVariables.environment", "static",
      "${context.requestId} at ${stageVariables.environment}"})
  void responseValueIsAccepted(String value) {
    assertThat(responseMapping("500", "append:header.x-error", value))
        .containsExactly(Map.entry("500", Map.of("append:header.x-error", value)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"$request.header.x", "$request.querystring.x", "$request.body", "$request.path",
      "$request.path.id"})
  void requestSourceInAResponseMappingIsRefused(String value) {
    assertThatThrownBy(() -> builder().responseParameters("500", Map.of("append:header.x-error", value)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '500' 'append:header.x-error' value '" + value + "': " + value
            + " is not a source: expected " + RESPONSE_SOURCES);
  }

  @Test
  void reservedResponseHeaderAsASourceIsRefused() {
    assertThatThrownBy(() ->
            builder().responseParameters("500", Map.of("append:header.x-error", "$response.header.Content-Length")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '500' 'append:header.x-error' value '$response.header.Content-Length':"
            + " $response.header.Content-Length reads header 'Content-Length', which API Gateway reserves: expected "
            + RESPONSE_SOURCES);
  }

  @Test
  void recursiveDescentInAResponseBodyPathIsRefused() {
    assertThatThrownBy(() ->
            builder().responseParameters("500", Map.of("append:header.x-error", "$response.body..code")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '500' 'append:header.x-error' value '$response.body..code': $response.body..code"
            + " uses a JSON path with recursive descent or a filter, which API Gateway does not support: expected "
            + RESPONSE_SOURCES);
  }

  @Test
  void emptyResponseValueIsRefused() {
    assertThatThrownBy(() -> builder().responseParameters("500", Map.of("append:header.x-error", "")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("responseParameters '500' 'append:header.x-error' has an empty value:"
            + " expected a source such as $response.header.NAME or static text");
  }

  @Test
  void refusedStatusMappingsAreNotKept() {
    Integration.Builder builder = builder();
    assertThatThrownBy(() -> builder.responseParameters("500", Map.of("append:header.Via", "x")))
        .isInstanceOf(InvalidConfigException.class);

    assertThat(builder.build().responseParameters()).isEmpty();
  }
}
