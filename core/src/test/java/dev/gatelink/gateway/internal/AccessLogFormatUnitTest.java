package dev.gatelink.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.config.AccessLogSettings;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.filter.ContextVariable;
import org.junit.jupiter.api.Test;

/** {@link AccessLogFormat}: the presets' lines exactly, every variable, {@code -} for no value, escaping. */
class AccessLogFormatUnitTest {
  private final FakeExchangeContext context = FakeExchangeContext.completedRequest();

  private static String line(String format, FakeExchangeContext context) {
    return AccessLogFormat.compile(format).format(context);
  }

  // The presets

  @Test
  void clfPresetLine() {
    assertThat(AccessLogFormat.of(AccessLogSettings.clf()).format(context))
        .isEqualTo("203.0.113.7 - - [03/Dec/2026:12:34:56 +0000] \"GET GET /pets/{id} HTTP/1.1\" 200 42"
            + " JGRvKi5ZIAMEJvQ=");
  }

  @Test
  void jsonPresetLine() {
    assertThat(AccessLogFormat.of(AccessLogSettings.json()).format(context))
        .isEqualTo("{ \"requestId\":\"JGRvKi5ZIAMEJvQ=\", \"ip\": \"203.0.113.7\","
            + " \"requestTime\":\"03/Dec/2026:12:34:56 +0000\", \"httpMethod\":\"GET\",\"routeKey\":\"GET /pets/{id}\","
            + " \"status\":\"200\",\"protocol\":\"HTTP/1.1\", \"responseLength\":\"42\" }");
  }

  @Test
  void xmlPresetLine() {
    assertThat(AccessLogFormat.of(AccessLogSettings.xml()).format(context))
        .isEqualTo("<request id=\"JGRvKi5ZIAMEJvQ=\"> <ip>203.0.113.7</ip>"
            + " <requestTime>03/Dec/2026:12:34:56 +0000</requestTime> <httpMethod>GET</httpMethod>"
            + " <routeKey>GET /pets/{id}</routeKey> <status>200</status> <protocol>HTTP/1.1</protocol>"
            + " <responseLength>42</responseLength> </request>");
  }

  @Test
  void csvPresetLine() {
    assertThat(AccessLogFormat.of(AccessLogSettings.csv()).format(context))
        .isEqualTo("203.0.113.7,03/Dec/2026:12:34:56 +0000,GET,GET /pets/{id},HTTP/1.1,200,42,JGRvKi5ZIAMEJvQ=");
  }

  @Test
  void clfPresetLineOfARequestNoRouteTook() {
    context.with(ContextVariable.ROUTE_KEY, null).with(ContextVariable.STATUS, "404")
        .with(ContextVariable.RESPONSE_LENGTH, "23");

    assertThat(AccessLogFormat.of(AccessLogSettings.clf()).format(context))
        .isEqualTo("203.0.113.7 - - [03/Dec/2026:12:34:56 +0000] \"GET - HTTP/1.1\" 404 23 JGRvKi5ZIAMEJvQ=");
  }

  @Test
  void jsonPresetLineOfARequestWithoutValues() {
    FakeExchangeContext empty = new FakeExchangeContext();

    assertThat(AccessLogFormat.of(AccessLogSettings.json()).format(empty))
        .isEqualTo("{ \"requestId\":\"-\", \"ip\": \"-\", \"requestTime\":\"-\", \"httpMethod\":\"-\","
            + "\"routeKey\":\"-\", \"status\":\"-\",\"protocol\":\"-\", \"responseLength\":\"-\" }");
  }

  // Every variable

  @Test
  void everyVariableUnderEveryNameReadsItsValue() {
    FakeExchangeContext distinct = new FakeExchangeContext();
    StringBuilder format = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    for (ContextVariable variable : ContextVariable.values()) {
      distinct.with(variable, "v-" + variable.name());
      for (String name : variable.names()) {
        format.append(name).append('=').append("$context.").append(name).append(';');
        expected.append(name).append('=').append("v-").append(variable.name()).append(';');
      }
    }

    assertThat(line(format.toString(), distinct)).isEqualTo(expected.toString());
  }

  @Test
  void everyVariableWithoutAValueIsADash() {
    StringBuilder format = new StringBuilder();
    for (ContextVariable variable : ContextVariable.values()) {
      format.append("$context.").append(variable.variableName()).append(' ');
    }

    assertThat(line(format.toString(), new FakeExchangeContext()))
        .isEqualTo("- ".repeat(ContextVariable.values().length));
  }

  @Test
  void aliasesReadTheSameVariable() {
    context.with(ContextVariable.INTEGRATION_STATUS, "502").with(ContextVariable.INTEGRATION_LATENCY, "31")
        .with(ContextVariable.INTEGRATION_ERROR_MESSAGE, "connection refused");

    assertThat(line("$context.integrationStatus $context.integration.status $context.integration.integrationStatus"
        + " $context.integrationLatency $context.integration.latency"
        + " $context.integrationErrorMessage|$context.integration.error", context))
        .isEqualTo("502 502 502 31 31 connection refused|connection refused");
  }

  @Test
  void gatewayErrorVariables() {
    context.with(ContextVariable.ERROR_MESSAGE, "Not Found").with(ContextVariable.ERROR_MESSAGE_STRING, "\"Not Found\"")
        .with(ContextVariable.ERROR_RESPONSE_TYPE, "RESOURCE_NOT_FOUND");

    assertThat(line("{\"id\":\"$context.requestId\",\"error\":\"$context.error.message\","
        + "\"quoted\":$context.error.messageString,\"type\":\"$context.error.responseType\"}", context))
        .isEqualTo("{\"id\":\"JGRvKi5ZIAMEJvQ=\",\"error\":\"Not Found\",\"quoted\":\"Not Found\","
            + "\"type\":\"RESOURCE_NOT_FOUND\"}");
  }

  @Test
  void unsetGatewayErrorVariablesAreDashes() {
    assertThat(line("$context.requestId $context.error.message $context.error.messageString"
        + " $context.error.responseType $context.integrationErrorMessage", context))
        .isEqualTo("JGRvKi5ZIAMEJvQ= - - - -");
  }

  // Where a variable's name ends

  @Test
  void nameEndsBeforePunctuation() {
    assertThat(line("$context.status,$context.httpMethod;[$context.stage]($context.apiId)-$context.protocol/", context))
        .isEqualTo("200,GET;[prod](a1b2c3d4e5)-HTTP/1.1/");
  }

  @Test
  void trailingDotsAreStaticText() {
    assertThat(line("$context.requestId. $context.integration.latency.. $context.status...", context))
        .isEqualTo("JGRvKi5ZIAMEJvQ=. 9.. 200...");
  }

  @Test
  void adjacentVariables() {
    assertThat(line("$context.status$context.requestId$context.stage", context)).isEqualTo("200JGRvKi5ZIAMEJvQ=prod");
  }

  @Test
  void otherDollarsAreStaticText() {
    assertThat(line("$context $contextual $stageVariables.host $ $$context.stage $context", context))
        .isEqualTo("$context $contextual $stageVariables.host $ $prod $context");
  }

  @Test
  void formatWithoutVariablesIsItsText() {
    assertThat(line("static line", context)).isEqualTo("static line");
    assertThat(line("", context)).isEmpty();
  }

  @Test
  void unknownVariableIsRefused() {
    assertThatThrownBy(() -> AccessLogFormat.compile("$context.requestId $context.authorizer.claims.sub"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("access log format: variable '$context.authorizer.claims.sub' at offset 19 is not known:"
            + " expected one of the names of ContextVariable, such as $context.requestId");
  }

  // Escaping

  @Test
  void quotedValueIsEscapedAsInAJsonString() {
    context.with(ContextVariable.USER_AGENT, "say \"hi\" \\o/");

    assertThat(line("{\"ua\":\"$context.identity.userAgent\"}", context))
        .isEqualTo("{\"ua\":\"say \\\"hi\\\" \\\\o/\"}");
  }

  @Test
  void unquotedValueKeepsQuotesAndBackslashes() {
    context.with(ContextVariable.USER_AGENT, "say \"hi\" \\o/");

    assertThat(line("ua=$context.identity.userAgent", context)).isEqualTo("ua=say \"hi\" \\o/");
  }

  @Test
  void controlCharactersAreEscapedEverywhere() {
    context.with(ContextVariable.USER_AGENT, "a\nb\rc\td\be\ff\u0001g\u001fh");

    assertThat(line("$context.identity.userAgent|\"$context.identity.userAgent\"", context))
        .isEqualTo("a\\nb\\rc\\td\\be\\ff\\u0001g\\u001fh|\"a\\nb\\rc\\td\\be\\ff\\u0001g\\u001fh\"");
  }

  @Test
  void nonAsciiIsKept() {
    context.with(ContextVariable.USER_AGENT, "Mozilla/5.0 (ünïcode ☃)");

    assertThat(line("\"$context.identity.userAgent\"", context)).isEqualTo("\"Mozilla/5.0 (ünïcode ☃)\"");
  }

  @Test
  void clfRequestLineIsQuoted() {
    context.with(ContextVariable.ROUTE_KEY, "GET /a\"b");

    assertThat(AccessLogFormat.of(AccessLogSettings.clf()).format(context))
        .isEqualTo("203.0.113.7 - - [03/Dec/2026:12:34:56 +0000] \"GET GET /a\\\"b HTTP/1.1\" 200 42"
            + " JGRvKi5ZIAMEJvQ=");
  }

  @Test
  void quotesAreCountedFromTheStart() {
    context.with(ContextVariable.USER_AGENT, "x\"y");

    assertThat(line("\"a\" $context.identity.userAgent \"$context.identity.userAgent\" $context.identity.userAgent",
        context)).isEqualTo("\"a\" x\"y \"x\\\"y\" x\"y");
  }

  @Test
  void escapedQuoteInTheFormatDoesNotOpenAString() {
    context.with(ContextVariable.USER_AGENT, "x\"y");

    assertThat(line("\\\" $context.identity.userAgent", context)).isEqualTo("\\\" x\"y");
  }

  @Test
  void dashForNoValueIsNeverEscapedOrQuoted() {
    assertThat(line("\"$context.identity.userAgent\" $context.identity.userAgent", new FakeExchangeContext()))
        .isEqualTo("\"-\" -");
  }

  // Use

  @Test
  void formatAppendsToTheBuilder() {
    AccessLogFormat format = AccessLogFormat.compile("$context.status");
    StringBuilder out = new StringBuilder("a:");

    format.format(context, out);
    out.append(' ');
    format.format(context, out);

    assertThat(out).hasToString("a:200 200");
  }

  @Test
  void textIsTheFormatAsGiven() {
    assertThat(AccessLogFormat.of(AccessLogSettings.json()).text()).isEqualTo(AccessLogSettings.JSON_FORMAT);
    assertThat(AccessLogFormat.compile("$context.requestId x")).hasToString("$context.requestId x");
  }
}
