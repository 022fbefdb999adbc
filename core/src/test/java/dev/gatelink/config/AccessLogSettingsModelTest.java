package dev.gatelink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.filter.ContextVariable;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link AccessLogSettings} (spec section 6.4): presets, the 3 KB quota, the request id, unknown variables. */
class AccessLogSettingsModelTest {

  // Presets: the API Gateway console's, for HTTP APIs (http-api-logging.html, "Example log formats").

  @Test
  void clfPresetIsTheConsoles() {
    assertThat(AccessLogSettings.clf().format()).isEqualTo("$context.identity.sourceIp - - [$context.requestTime]"
        + " \"$context.httpMethod $context.routeKey $context.protocol\" $context.status $context.responseLength"
        + " $context.requestId");
  }

  @Test
  void jsonPresetIsTheConsoles() {
    assertThat(AccessLogSettings.json().format()).isEqualTo("{ \"requestId\":\"$context.requestId\","
        + " \"ip\": \"$context.identity.sourceIp\", \"requestTime\":\"$context.requestTime\","
        + " \"httpMethod\":\"$context.httpMethod\",\"routeKey\":\"$context.routeKey\", \"status\":\"$context.status\","
        + "\"protocol\":\"$context.protocol\", \"responseLength\":\"$context.responseLength\" }");
  }

  @Test
  void xmlPresetIsTheConsoles() {
    assertThat(AccessLogSettings.xml().format()).isEqualTo("<request id=\"$context.requestId\">"
        + " <ip>$context.identity.sourceIp</ip> <requestTime>$context.requestTime</requestTime>"
        + " <httpMethod>$context.httpMethod</httpMethod> <routeKey>$context.routeKey</routeKey>"
        + " <status>$context.status</status> <protocol>$context.protocol</protocol>"
        + " <responseLength>$context.responseLength</responseLength> </request>");
  }

  @Test
  void csvPresetIsTheConsoles() {
    assertThat(AccessLogSettings.csv().format()).isEqualTo("$context.identity.sourceIp,$context.requestTime,"
        + "$context.httpMethod,$context.routeKey,$context.protocol,$context.status,$context.responseLength,"
        + "$context.requestId");
  }

  static Stream<String> presets() {
    return Stream.of(AccessLogSettings.CLF_FORMAT, AccessLogSettings.JSON_FORMAT, AccessLogSettings.XML_FORMAT,
        AccessLogSettings.CSV_FORMAT);
  }

  @ParameterizedTest
  @MethodSource("presets")
  void everyPresetPassesTheChecks(String preset) {
    assertThat(AccessLogSettings.of(preset).format()).isEqualTo(preset);
  }

  @Test
  void builderStartsWithTheClfPreset() {
    assertThat(AccessLogSettings.builder().build()).isEqualTo(AccessLogSettings.clf());
  }

  @Test
  void loggerNameIsTheAccessLogs() {
    assertThat(AccessLogSettings.LOGGER_NAME).isEqualTo("dev.gatelink.accesslog");
    assertThat(AccessLogSettings.MAX_FORMAT_BYTES).isEqualTo(3072);
  }

  // Formats of one's own

  @Test
  void formatIsKeptAsGiven() {
    assertThat(AccessLogSettings.of("  $context.requestId $context.status \n").format())
        .isEqualTo("  $context.requestId $context.status \n");
  }

  @Test
  void extendedRequestIdIsEnoughForAnId() {
    assertThat(AccessLogSettings.of("$context.extendedRequestId").format()).isEqualTo("$context.extendedRequestId");
  }

  @Test
  void everyVariableNameAndAliasIsAccepted() {
    StringBuilder format = new StringBuilder("$context.requestId");
    for (ContextVariable variable : ContextVariable.values()) {
      for (String name : variable.names()) {
        format.append(' ').append("$context.").append(name);
      }
    }

    assertThat(AccessLogSettings.of(format.toString()).format()).isEqualTo(format.toString());
  }

  @Test
  void formatWithoutARequestIdIsRefused() {
    assertThatThrownBy(() -> AccessLogSettings.of("$context.status $context.path"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format '$context.status $context.path' has neither $context.requestId nor"
            + " $context.extendedRequestId: API Gateway requires one of them");
  }

  @Test
  void emptyFormatIsRefused() {
    assertThatThrownBy(() -> AccessLogSettings.of(""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format '' has neither $context.requestId nor $context.extendedRequestId:"
            + " API Gateway requires one of them");
  }

  @Test
  void requestIdWrittenWithoutTheContextPrefixDoesNotCount() {
    assertThatThrownBy(() -> AccessLogSettings.of("requestId $requestId $context"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format 'requestId $requestId $context' has neither $context.requestId nor"
            + " $context.extendedRequestId: API Gateway requires one of them");
  }

  @Test
  void unknownVariableIsRefusedByName() {
    assertThatThrownBy(() -> AccessLogSettings.of("$context.requestId $context.resourcePath"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format: variable '$context.resourcePath' at offset 19 is not known: expected one"
            + " of the names of ContextVariable, such as $context.requestId");
  }

  @Test
  void unknownVariableIsFoundBeforeAMissingRequestId() {
    assertThatThrownBy(() -> AccessLogSettings.of("$context.xrayTraceId"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format: variable '$context.xrayTraceId' at offset 0 is not known: expected one"
            + " of the names of ContextVariable, such as $context.requestId");
  }

  @Test
  void variableNamesAreCaseSensitive() {
    assertThatThrownBy(() -> AccessLogSettings.of("$context.requestID"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format: variable '$context.requestID' at offset 0 is not known: expected one"
            + " of the names of ContextVariable, such as $context.requestId");
  }

  @Test
  void variableNameRunsOverLettersDigitsUnderscoresAndDots() {
    assertThatThrownBy(() -> AccessLogSettings.of("$context.requestId_2.x-y"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format: variable '$context.requestId_2.x' at offset 0 is not known: expected one"
            + " of the names of ContextVariable, such as $context.requestId");
  }

  @Test
  void contextPrefixWithoutANameIsRefused() {
    assertThatThrownBy(() -> AccessLogSettings.of("$context.requestId $context. x"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format: '$context.' at offset 19 has no variable name: expected a name such as"
            + " $context.requestId");
  }

  @Test
  void contextPrefixFollowedByDotsOnlyHasNoName() {
    assertThatThrownBy(() -> AccessLogSettings.of("$context.requestId $context..."))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format: '$context.' at offset 19 has no variable name: expected a name such as"
            + " $context.requestId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"$context.requestId.", "$context.requestId,", "[$context.requestId]", "$context.requestId-x",
      "\"$context.requestId\"", "$context.requestId...", "$context.requestId $context.status."})
  void variableNameEndsBeforeOtherCharactersAndTrailingDots(String format) {
    assertThat(AccessLogSettings.of(format).format()).isEqualTo(format);
  }

  // The 3 KB quota

  @Test
  void formatOf3072BytesIsAccepted() {
    String format = "$context.requestId " + "x".repeat(3072 - 19);

    assertThat(AccessLogSettings.of(format).format()).hasSize(3072);
  }

  @Test
  void formatOf3073BytesIsRefusedQuotingItsStart() {
    String format = "$context.requestId " + "x".repeat(3073 - 19);

    assertThatThrownBy(() -> AccessLogSettings.of(format))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format '$context.requestId xxxxxxxxxxxxxxxxxxxxx...' is 3073 bytes long:"
            + " expected at most 3072 (API Gateway's quota)");
  }

  @Test
  void quotaCountsUtf8Bytes() {
    String format = "$context.requestId " + "é".repeat(1527);
    assertThat(format.getBytes(StandardCharsets.UTF_8)).hasSize(3073);

    assertThatThrownBy(() -> AccessLogSettings.of(format))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageEndingWith("' is 3073 bytes long: expected at most 3072 (API Gateway's quota)");
  }

  @Test
  void quotaIsCheckedBeforeTheVariables() {
    String format = "$context.nothing " + "x".repeat(3100);

    assertThatThrownBy(() -> AccessLogSettings.of(format))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format '$context.nothing xxxxxxxxxxxxxxxxxxxxxxx...' is 3117 bytes long:"
            + " expected at most 3072 (API Gateway's quota)");
  }

  // Builder, equality

  @Test
  void nullFormatIsRefusedAtOnce() {
    assertThatThrownBy(() -> AccessLogSettings.builder().format(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("format");
  }

  @Test
  void builderChecksOnlyWhenBuilding() {
    AccessLogSettings.Builder builder = AccessLogSettings.builder().format("$context.status");

    assertThatThrownBy(builder::build).isInstanceOf(InvalidConfigException.class);
    assertThat(builder.format("$context.requestId").build().format()).isEqualTo("$context.requestId");
  }

  @Test
  void toBuilderKeepsTheFormat() {
    AccessLogSettings settings = AccessLogSettings.of("$context.requestId $context.status");

    assertThat(settings.toBuilder().build()).isEqualTo(settings);
    assertThat(settings.toBuilder().format(AccessLogSettings.CSV_FORMAT).build()).isEqualTo(AccessLogSettings.csv());
    assertThat(settings.format()).isEqualTo("$context.requestId $context.status");
  }

  @Test
  void settingsWithTheSameFormatAreEqual() {
    assertThat(AccessLogSettings.json())
        .isEqualTo(AccessLogSettings.of(AccessLogSettings.JSON_FORMAT))
        .hasSameHashCodeAs(AccessLogSettings.of(AccessLogSettings.JSON_FORMAT))
        .isNotEqualTo(AccessLogSettings.clf());
  }

  @Test
  void toStringShowsTheFormat() {
    assertThat(AccessLogSettings.of("$context.requestId")).hasToString("AccessLogSettings[$context.requestId]");
  }
}
