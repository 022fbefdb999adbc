package dev.gatelink.gateway.internal;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The answers the gateway gives itself, each with API Gateway's status and JSON body. One place maps every
 * failure to what the client sees; see docs/architecture.md for the cases where API Gateway's own answer is
 * not documented and this is Gatelink's choice.
 */
enum GatewayError {
  /** No stage, or no route (and no {@code $default} route) for the request. */
  NOT_FOUND(404, "Not Found"),
  /** The request body is over the gateway's limit (10 MiB by default). */
  PAYLOAD_TOO_LARGE(413, "Request Entity Too Large"),
  /** The request line and header values together are over 10,240 bytes. */
  HEADERS_TOO_LARGE(431, "Request Header Fields Too Large"),
  /** A configuration problem met at request time, such as a backend certificate that fails verification. */
  INTERNAL_SERVER_ERROR(500, "Internal Server Error"),
  /** The integration could not be reached, reset the connection, had no endpoint, or timed out. */
  SERVICE_UNAVAILABLE(503, "Service Unavailable");

  final int status;
  final String body;
  private final byte[] bytes;
  final String contentLength;

  GatewayError(int status, String message) {
    this.status = status;
    this.body = "{\"message\":\"" + message + "\"}";
    this.bytes = body.getBytes(StandardCharsets.UTF_8);
    this.contentLength = Integer.toString(bytes.length);
  }

  /** {@return a fresh buffer holding the JSON body} */
  Buffer buffer() {
    return Buffer.buffer(bytes);
  }
}
