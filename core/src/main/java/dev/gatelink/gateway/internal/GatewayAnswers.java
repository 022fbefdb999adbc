package dev.gatelink.gateway.internal;

import dev.gatelink.filter.ResponseType;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * Writes the answers the gateway gives itself: API Gateway's status and JSON body for a {@link ResponseType},
 * the {@code apigw-requestid} header, and, when the request's body was not read, the end of an HTTP/1
 * connection (after a lingering read of the rest of the body) or the reset of an HTTP/2 stream.
 */
final class GatewayAnswers {
  /** How long an answered request's unread body is read and dropped before its connection is closed. */
  static final long LINGER_MILLIS = 2_000;

  private final Vertx vertx;

  GatewayAnswers(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Sets the status and headers of an answer on a response whose head is not written yet.
   *
   * @return false if the response has started or ended, and nothing can be answered
   */
  static boolean prepare(HttpServerRequest request, ResponseType type, String requestId, boolean close) {
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.ended() || response.closed()) {
      return false;
    }
    MultiMap headers = response.headers();
    headers.clear();
    response.setStatusCode(type.status());
    headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
    headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(type.bodyLength()));
    headers.set(Headers.REQUEST_ID, requestId);
    if (close && request.version() != HttpVersion.HTTP_2) {
      headers.set(HttpHeaders.CONNECTION, "close");
    }
    return true;
  }

  /** Answers at once, for a request that no filter sees. */
  void answer(HttpServerRequest request, ResponseType type, String requestId, boolean close) {
    if (prepare(request, type, requestId, close)) {
      end(request, Buffer.buffer(type.body()), close);
    }
  }

  /** Ends a prepared answer with its body, then closes or resets what must be. */
  void end(HttpServerRequest request, Buffer body, boolean close) {
    HttpServerResponse response = request.response();
    boolean http1 = request.version() != HttpVersion.HTTP_2;
    response.end(body).onComplete(done -> {
      if (close && http1) {
        closeAfterBody(request);
      } else if (close) {
        response.reset();
      }
    });
  }

  /**
   * Closes an HTTP/1 connection whose answer is sent but whose request body is still coming: the rest of the
   * body is read and dropped until it ends, or for at most {@value #LINGER_MILLIS} ms, and only then is the
   * connection closed. Closing at once, with unread bytes in the socket, makes the kernel reset the
   * connection, and the client may lose the answer before it reads it (the lingering close of nginx and
   * Apache).
   */
  private void closeAfterBody(HttpServerRequest request) {
    if (request.isEnded()) {
      request.connection().close();
      return;
    }
    long timer = vertx.setTimer(LINGER_MILLIS, id -> request.connection().close());
    request.handler(ignored -> { });
    request.endHandler(v -> {
      vertx.cancelTimer(timer);
      request.connection().close();
    });
    request.resume();
  }
}
