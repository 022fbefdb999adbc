package dev.gatelink.filter;

import java.nio.charset.StandardCharsets;

/**
 * The kinds of answer the gateway gives itself, each with API Gateway's status and JSON body (spec section
 * 5.4): the one place where a {@link GatewayFailure} becomes what the client sees. The name is
 * {@code $context.error.responseType}; the message is {@code $context.error.message}.
 */
public enum ResponseType {
  /** No stage, or no route and no {@code $default} route: 404. */
  RESOURCE_NOT_FOUND(404, "Not Found"),
  /** A request the front door refuses for its framing (both Content-Length and Transfer-Encoding): 400. */
  BAD_REQUEST(400, "Bad Request"),
  /** A request whose headers or body did not arrive in time: 408. */
  REQUEST_TIMEOUT(408, "Request Timeout"),
  /** A request body over the gateway's limit: 413. */
  REQUEST_TOO_LARGE(413, "Request Entity Too Large"),
  /** A request line and header values over 10,240 bytes: 431. */
  REQUEST_HEADERS_TOO_LARGE(431, "Request Header Fields Too Large"),
  /** A throttled request: 429. */
  THROTTLED(429, "Too Many Requests"),
  /** A request a filter refused because the integration cannot take it now (a breaker, a bulkhead): 503. */
  SERVICE_UNAVAILABLE(503, "Service Unavailable"),
  /** The integration could not be reached, reset the connection, answered garbage or had no endpoint: 503. */
  INTEGRATION_FAILURE(503, "Service Unavailable"),
  /** The integration did not answer within its timeout: 503. */
  INTEGRATION_TIMEOUT(503, "Service Unavailable"),
  /** A configuration problem met while serving (a backend certificate that fails verification, a filter that threw): 500. */
  INTERNAL_SERVER_ERROR(500, "Internal Server Error");

  private final int status;
  private final String message;
  private final byte[] body;

  ResponseType(int status, String message) {
    this.status = status;
    this.message = message;
    this.body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  /** {@return the HTTP status the client gets} */
  public int status() {
    return status;
  }

  /** {@return API Gateway's message, such as {@code Not Found}} */
  public String message() {
    return message;
  }

  /** {@return the JSON body, such as {@code {"message":"Not Found"}}, as a new array} */
  public byte[] body() {
    return body.clone();
  }

  /** {@return the JSON body's length in bytes} */
  public int bodyLength() {
    return body.length;
  }
}
