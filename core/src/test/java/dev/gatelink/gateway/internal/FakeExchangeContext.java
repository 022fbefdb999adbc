package dev.gatelink.gateway.internal;

import dev.gatelink.filter.ContextVariable;
import dev.gatelink.filter.ExchangeContext;
import dev.gatelink.filter.GatewayFailure;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExchangeContext} whose {@link #value} answers from a table: each variable's text is set by the
 * test, unset ones read as null. The typed accessors answer what the table implies, for completeness.
 */
final class FakeExchangeContext implements ExchangeContext {
  private final Map<ContextVariable, String> values = new EnumMap<>(ContextVariable.class);

  /** A context with every variable of a completed GET /pets/7 on stage prod, as API Gateway would log it. */
  static FakeExchangeContext completedRequest() {
    return new FakeExchangeContext()
        .with(ContextVariable.REQUEST_ID, "JGRvKi5ZIAMEJvQ=")
        .with(ContextVariable.EXTENDED_REQUEST_ID, "JGRvKi5ZIAMEJvQ=")
        .with(ContextVariable.API_ID, "a1b2c3d4e5")
        .with(ContextVariable.ACCOUNT_ID, "123456789012")
        .with(ContextVariable.STAGE, "prod")
        .with(ContextVariable.ROUTE_KEY, "GET /pets/{id}")
        .with(ContextVariable.HTTP_METHOD, "GET")
        .with(ContextVariable.PATH, "/prod/pets/7")
        .with(ContextVariable.PROTOCOL, "HTTP/1.1")
        .with(ContextVariable.DOMAIN_NAME, "api.example.com")
        .with(ContextVariable.DOMAIN_PREFIX, "api")
        .with(ContextVariable.SOURCE_IP, "203.0.113.7")
        .with(ContextVariable.USER_AGENT, "curl/8.5.0")
        .with(ContextVariable.REQUEST_TIME, "03/Dec/2026:12:34:56 +0000")
        .with(ContextVariable.REQUEST_TIME_EPOCH, "1796301296000")
        .with(ContextVariable.STATUS, "200")
        .with(ContextVariable.RESPONSE_LENGTH, "42")
        .with(ContextVariable.RESPONSE_LATENCY, "12")
        .with(ContextVariable.DATA_PROCESSED, "42")
        .with(ContextVariable.INTEGRATION_LATENCY, "9")
        .with(ContextVariable.INTEGRATION_STATUS, "200");
  }

  FakeExchangeContext with(ContextVariable variable, @Nullable String value) {
    if (value == null) {
      values.remove(variable);
    } else {
      values.put(variable, value);
    }
    return this;
  }

  @Override
  public @Nullable String value(ContextVariable variable) {
    return values.get(variable);
  }

  @Override
  public String requestId() {
    return values.getOrDefault(ContextVariable.REQUEST_ID, "");
  }

  @Override
  public @Nullable String apiId() {
    return values.get(ContextVariable.API_ID);
  }

  @Override
  public @Nullable String accountId() {
    return values.get(ContextVariable.ACCOUNT_ID);
  }

  @Override
  public String stage() {
    return values.getOrDefault(ContextVariable.STAGE, "$default");
  }

  @Override
  public @Nullable String routeKey() {
    return values.get(ContextVariable.ROUTE_KEY);
  }

  @Override
  public String httpMethod() {
    return values.getOrDefault(ContextVariable.HTTP_METHOD, "GET");
  }

  @Override
  public String path() {
    return values.getOrDefault(ContextVariable.PATH, "/");
  }

  @Override
  public String protocol() {
    return values.getOrDefault(ContextVariable.PROTOCOL, "HTTP/1.1");
  }

  @Override
  public @Nullable String domainName() {
    return values.get(ContextVariable.DOMAIN_NAME);
  }

  @Override
  public String sourceIp() {
    return values.getOrDefault(ContextVariable.SOURCE_IP, "127.0.0.1");
  }

  @Override
  public @Nullable String userAgent() {
    return values.get(ContextVariable.USER_AGENT);
  }

  @Override
  public long requestTimeEpoch() {
    return Long.parseLong(values.getOrDefault(ContextVariable.REQUEST_TIME_EPOCH, "0"));
  }

  @Override
  public int status() {
    return Integer.parseInt(values.getOrDefault(ContextVariable.STATUS, "0"));
  }

  @Override
  public long responseLength() {
    return Long.parseLong(values.getOrDefault(ContextVariable.RESPONSE_LENGTH, "0"));
  }

  @Override
  public long requestLength() {
    return 0;
  }

  @Override
  public long responseLatency() {
    return Long.parseLong(values.getOrDefault(ContextVariable.RESPONSE_LATENCY, "-1"));
  }

  @Override
  public long integrationLatency() {
    return Long.parseLong(values.getOrDefault(ContextVariable.INTEGRATION_LATENCY, "-1"));
  }

  @Override
  public int integrationStatus() {
    return Integer.parseInt(values.getOrDefault(ContextVariable.INTEGRATION_STATUS, "0"));
  }

  @Override
  public @Nullable GatewayFailure failure() {
    return null;
  }

  @Override
  public @Nullable String integrationErrorMessage() {
    return values.get(ContextVariable.INTEGRATION_ERROR_MESSAGE);
  }
}
