package dev.gatelink.filter;

import org.jspecify.annotations.Nullable;

/**
 * What API Gateway calls {@code $context}: the facts of one request as it moves through the gateway (spec
 * section 6.4). Values are computed when read, from what the exchange recorded; a value not known yet (the
 * status before the response, the integration latency of a request that never reached its integration) reads
 * as null from {@link #value(ContextVariable)}, and as 0 or -1 from the typed accessors.
 *
 * <p>Valid on the request's event loop until the completion step has run; do not keep it.
 */
public interface ExchangeContext {
  /** {@return the request id, also sent as the {@code apigw-requestid} header} */
  String requestId();

  /** {@return the API's id, or null if none was given} */
  @Nullable String apiId();

  /** {@return the API owner's account id, or null if none was given} */
  @Nullable String accountId();

  /** {@return the stage's name} */
  String stage();

  /** {@return the route key that matched, or null when no route did} */
  @Nullable String routeKey();

  /** {@return the request's method} */
  String httpMethod();

  /** {@return the request path as received, with the stage segment, without the query} */
  String path();

  /** {@return the client's protocol: {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}} */
  String protocol();

  /** {@return the Host the client asked for, without its port, or null if it sent none} */
  @Nullable String domainName();

  /** {@return the client's IP address} */
  String sourceIp();

  /** {@return the client's {@code User-Agent}, or null} */
  @Nullable String userAgent();

  /** {@return when the request arrived, in milliseconds since the epoch} */
  long requestTimeEpoch();

  /** {@return the status the client gets, or 0 while it is not decided} */
  int status();

  /** {@return the bytes of response body sent to the client so far} */
  long responseLength();

  /** {@return the bytes of request body received so far} */
  long requestLength();

  /** {@return milliseconds from the request's arrival to the end of its response, or -1 before the end} */
  long responseLatency();

  /** {@return milliseconds from sending to the integration until its response head, or -1 if none came} */
  long integrationLatency();

  /** {@return the integration's status, or 0 if it did not answer} */
  int integrationStatus();

  /** {@return why the gateway answered itself, or null while it has not} */
  @Nullable GatewayFailure failure();

  /** {@return why the integration call failed, or null if it did not} */
  @Nullable String integrationErrorMessage();

  /**
   * A {@code $context} variable's text, as API Gateway writes it into access logs and mappings.
   *
   * @param variable the variable
   * @return its text, or null when it has no value (yet)
   */
  @Nullable String value(ContextVariable variable);
}
