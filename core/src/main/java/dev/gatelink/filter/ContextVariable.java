package dev.gatelink.filter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API Gateway's {@code $context} variables that Gatelink provides (spec section 6.4), by their names in
 * access log formats and parameter mappings: {@code $context.requestId} is {@link #REQUEST_ID}. Aliases name
 * the same variable ({@code integration.latency} is {@code integrationLatency}).
 *
 * <p>Read a variable's text with {@link ExchangeContext#value(ContextVariable)}; it is computed when read.
 */
public enum ContextVariable {
  /** The request id, also sent as the {@code apigw-requestid} response header. */
  REQUEST_ID("requestId"),
  /** The same id as {@link #REQUEST_ID} (API Gateway's extended id is equivalent). */
  EXTENDED_REQUEST_ID("extendedRequestId"),
  /** The API's id ({@code Gateway.Builder.apiId}). */
  API_ID("apiId"),
  /** The AWS account id of the API owner ({@code Gateway.Builder.accountId}). */
  ACCOUNT_ID("accountId"),
  /** The stage name, such as {@code prod} or {@code $default}. */
  STAGE("stage"),
  /** The route key that matched, such as {@code GET /pets/{id}} or {@code $default}. */
  ROUTE_KEY("routeKey"),
  /** The request's method. */
  HTTP_METHOD("httpMethod"),
  /** The request path as received, with the stage segment: {@code /prod/pets/1}. */
  PATH("path"),
  /** The client's protocol: {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}. */
  PROTOCOL("protocol"),
  /** The Host the client asked for, without its port. */
  DOMAIN_NAME("domainName"),
  /** The first label of {@link #DOMAIN_NAME}. */
  DOMAIN_PREFIX("domainPrefix"),
  /** The client's IP address (the TCP peer). */
  SOURCE_IP("identity.sourceIp"),
  /** The client's {@code User-Agent} header. */
  USER_AGENT("identity.userAgent"),
  /** When the request arrived, in the Common Log Format: {@code 03/Dec/2026:12:34:56 +0000}. */
  REQUEST_TIME("requestTime"),
  /** When the request arrived, in milliseconds since the epoch. */
  REQUEST_TIME_EPOCH("requestTimeEpoch"),
  /** The status the client gets (known once the response head is decided). */
  STATUS("status"),
  /** The response body's length in bytes sent to the client so far. */
  RESPONSE_LENGTH("responseLength"),
  /** Milliseconds from the request's arrival to the end of its response. */
  RESPONSE_LATENCY("responseLatency"),
  /** Bytes of request and response bodies moved. */
  DATA_PROCESSED("dataProcessed"),
  /** Milliseconds from sending the request to the integration until its response head arrived. */
  INTEGRATION_LATENCY("integrationLatency", "integration.latency"),
  /** The status the integration answered with. */
  INTEGRATION_STATUS("integrationStatus", "integration.status", "integration.integrationStatus"),
  /** Why the integration call failed (connection refused, reset, timeout). */
  INTEGRATION_ERROR_MESSAGE("integrationErrorMessage", "integration.error"),
  /** The message of the gateway's own answer, such as {@code Not Found}. */
  ERROR_MESSAGE("error.message"),
  /** {@link #ERROR_MESSAGE} in double quotes, ready for a JSON log format. */
  ERROR_MESSAGE_STRING("error.messageString"),
  /** The type of the gateway's own answer, such as {@code RESOURCE_NOT_FOUND}. */
  ERROR_RESPONSE_TYPE("error.responseType");

  private static final Map<String, ContextVariable> BY_NAME = new HashMap<>();

  static {
    for (ContextVariable variable : values()) {
      for (String name : variable.names) {
        BY_NAME.put(name, variable);
      }
    }
  }

  private final List<String> names;

  ContextVariable(String name, String... aliases) {
    this.names = List.copyOf(prepend(name, aliases));
  }

  private static List<String> prepend(String name, String[] aliases) {
    String[] all = new String[aliases.length + 1];
    all[0] = name;
    System.arraycopy(aliases, 0, all, 1, aliases.length);
    return List.of(all);
  }

  /** {@return the variable's name after {@code $context.}, such as {@code identity.sourceIp}} */
  public String variableName() {
    return names.get(0);
  }

  /** {@return every name of the variable: its name, then its aliases} */
  public List<String> names() {
    return names;
  }

  /**
   * The variable with a name or alias.
   *
   * @param name the text after {@code $context.}, such as {@code requestId} or {@code integration.latency}
   * @return the variable, or empty if Gatelink has none of that name
   */
  public static Optional<ContextVariable> named(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }
}
