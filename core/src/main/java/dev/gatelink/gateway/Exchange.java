package dev.gatelink.gateway;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * One request forwarded to its integration, from the moment a route is chosen until the client has the whole
 * response or an answer from the gateway.
 *
 * <p>Everything runs on the request's event loop, so the state needs no synchronization. The request body is
 * streamed to the backend and the response body back to the client, each with back-pressure: a full write
 * queue pauses the side that reads. The integration timeout runs from the start until the backend's response
 * headers arrive; an idle timeout of the same length covers the bodies. Whatever happens, the target hears
 * exactly one outcome, and the client gets exactly one answer: the backend's response, or one of
 * {@link GatewayError}'s, or (when the backend fails after its response started) a reset stream.
 */
final class Exchange {
  private final Gateway gateway;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final RoutePlan plan;
  private final String requestId;
  private final String backendUri;
  private @Nullable Endpoint endpoint;
  private @Nullable HttpClientRequest backendRequest;
  /** When this exchange last moved data (or started), in the loop's tick time; its deadline counts from here. */
  long lastActivity;
  /** A response chunk held back until the next event (see {@link #responded}). */
  private @Nullable Buffer pending;
  /** The connections of the picked endpoint; null until one is picked. */
  private @Nullable EndpointConnections pool;
  private @Nullable Handler<AsyncResult<HttpClientConnection>> waiting;
  private @Nullable HttpClientConnection connection;
  private boolean requestEnded;
  private boolean bodyLengthKnown;
  private final Deadlines deadlines;
  private final long timeoutNanos;
  private long bodyBytes;
  private boolean responseStarted;
  private boolean done;
  private boolean reported;

  Exchange(Gateway gateway, HttpServerRequest request, RoutePlan plan, String requestId, String backendUri) {
    this.gateway = gateway;
    this.request = request;
    this.response = request.response();
    this.plan = plan;
    this.requestId = requestId;
    this.backendUri = backendUri;
    this.deadlines = gateway.deadlines();
    this.timeoutNanos = plan.timeoutMillis * 1_000_000L;
  }

  void start() {
    request.pause();
    response.closeHandler(v -> clientGone());
    request.exceptionHandler(e -> clientGone());
    deadlines.start(this, timeoutNanos);
    Endpoint picked = plan.target.selectNow();
    if (picked != null) {
      connect(picked);
    } else {
      plan.target.select().onComplete(this::selected);
    }
  }

  private void selected(AsyncResult<Endpoint> result) {
    if (result.succeeded()) {
      connect(result.result());
    } else if (!done) {
      gateway.log.debug("{} {}: no endpoint: {}", requestId, plan, result.cause().getMessage());
      failBeforeResponse(GatewayError.SERVICE_UNAVAILABLE);
    }
  }

  private void connect(Endpoint picked) {
    if (done) {
      return;
    }
    endpoint = picked;
    String tlsName = plan.target.tlsServerName();
    EndpointConnections.Key key = new EndpointConnections.Key(picked,
        tlsName != null ? tlsName : plan.uriHost != null ? plan.uriHost : picked.host(),
        plan.uriHost != null ? plan.uriPort : picked.port(), tlsName != null);
    EndpointConnections connections = gateway.connections(key);
    pool = connections;
    Handler<AsyncResult<HttpClientConnection>> handler = this::acquired;
    waiting = handler;
    connections.acquire(handler);
  }

  private void acquired(AsyncResult<HttpClientConnection> result) {
    waiting = null;
    if (result.failed()) {
      backendFailed(result.cause());
      return;
    }
    HttpClientConnection acquired = result.result();
    EndpointConnections connections = pool;
    if (done && connections != null) {
      connections.release(acquired);
      return;
    }
    connection = acquired;
    RequestOptions options = new RequestOptions()
        .setMethod(plan.method != null ? plan.method : request.method())
        .setURI(backendUri)
        .setHeaders(Headers.forBackend(request, plan.hostHeader, gateway.via));
    acquired.request(options).onComplete(this::connected);
  }

  private void connected(AsyncResult<HttpClientRequest> result) {
    if (result.failed()) {
      backendFailed(result.cause());
      return;
    }
    HttpClientRequest backend = result.result();
    if (done) {
      backend.reset();
      return;
    }
    backendRequest = backend;
    backend.exceptionHandler(this::backendFailed);
    backend.response().onComplete(this::responded);
    request.handler(this::requestData);
    bodyLengthKnown = backend.headers().contains(HttpHeaders.CONTENT_LENGTH);
    request.endHandler(v -> {
      if (!done) {
        backend.end();
        requestEnded = true;
      }
    });
    request.resume();
  }

  /**
   * Once the response is complete: gives the backend connection back to its pool, or closes it if the backend
   * asked to or the request was not completely sent (the backend answered before the client finished its
   * body). A connection whose exchange failed is reset instead and never given back.
   */
  private void releaseConnection(boolean reusable) {
    HttpClientConnection used = connection;
    EndpointConnections connections = pool;
    if (used == null || connections == null) {
      return;
    }
    connection = null;
    if (reusable && requestEnded) {
      connections.release(used);
    } else {
      connections.discard(used);
    }
  }

  private void requestData(Buffer data) {
    HttpClientRequest backend = backendRequest;
    if (done || backend == null) {
      return;
    }
    lastActivity = deadlines.now;
    bodyBytes += data.length();
    if (bodyBytes > gateway.maxRequestBodyBytes) {
      bodyTooLarge();
      return;
    }
    if (!bodyLengthKnown && !backend.isChunked()) {
      backend.setChunked(true);
    }
    backend.write(data);
    if (backend.writeQueueFull()) {
      request.pause();
      backend.drainHandler(v -> request.resume());
    }
  }

  private void responded(AsyncResult<HttpClientResponse> result) {
    if (result.failed()) {
      backendFailed(result.cause());
      return;
    }
    HttpClientResponse backend = result.result();
    if (done) {
      return;
    }
    responseStarted = true;
    lastActivity = deadlines.now;
    int status = backend.statusCode();
    response.setStatusCode(status);
    if (backend.statusMessage() != null) {
      response.setStatusMessage(backend.statusMessage());
    }
    MultiMap headers = response.headers();
    Headers.copyToClient(backend.headers(), headers);
    headers.set(Headers.REQUEST_ID, requestId);
    if (request.version() != HttpVersion.HTTP_2 && !headers.contains(HttpHeaders.CONTENT_LENGTH)
        && request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200) {
      response.setChunked(true);
    }
    Outcome outcome = status >= 500 ? Outcome.SERVER_ERROR : Outcome.SUCCESS;
    backend.exceptionHandler(this::backendFailed);
    // A chunk is held back until the next event, so that a response whose last chunk and end arrive together
    // goes out in one write and one flush (head, body and end) instead of a flush for the body and another
    // for the end; if no end comes in the same turn of the event loop, this task writes the held chunk.
    Handler<Void> writeHeldChunk = v -> {
      Buffer held = pending;
      if (held != null && !done) {
        pending = null;
        writeToClient(held, backend);
      }
    };
    backend.handler(data -> {
      lastActivity = deadlines.now;
      Buffer previous = pending;
      pending = data;
      if (previous == null) {
        gateway.vertx.runOnContext(writeHeldChunk);
      } else {
        writeToClient(previous, backend);
      }
    });
    boolean reusable = keepsAlive(backend);
    backend.endHandler(v -> {
      if (!done) {
        done = true;
        releaseConnection(reusable);
        report(outcome);
        Buffer last = pending;
        pending = null;
        if (last == null) {
          response.end();
        } else {
          response.end(last);
        }
      }
    });
  }

  private void writeToClient(Buffer data, HttpClientResponse backend) {
    response.write(data);
    if (response.writeQueueFull()) {
      backend.pause();
      response.drainHandler(v -> backend.resume());
    }
  }

  private void backendFailed(Throwable cause) {
    if (done) {
      return;
    }
    Outcome outcome = classify(cause);
    gateway.log.debug("{} {}: backend {} failed ({}): {}", requestId, plan, endpoint, outcome, cause.toString());
    if (responseStarted) {
      done = true;
      report(outcome);
      response.reset();
      return;
    }
    failBeforeResponse(cause instanceof SSLException ? GatewayError.INTERNAL_SERVER_ERROR : GatewayError.SERVICE_UNAVAILABLE,
        outcome);
  }

  boolean finished() {
    return done;
  }

  /**
   * Called by {@link Deadlines} when the timeout has passed since the last activity: before the response
   * started, the integration timed out (503); after, the backend stalled in the middle of its body.
   */
  void deadlinePassed(long now) {
    if (responseStarted) {
      if (lastActivity + timeoutNanos - now > 0) {
        deadlines.add(this, timeoutNanos);
        return;
      }
      gateway.log.debug("{} {}: no data for {} ms in the middle of the response", requestId, plan, plan.timeoutMillis);
      done = true;
      report(Outcome.TIMEOUT);
      resetBackend();
      response.reset();
      return;
    }
    if (lastActivity + timeoutNanos - now > 0) {
      deadlines.add(this, timeoutNanos);
      return;
    }
    gateway.log.debug("{} {}: no response within {} ms", requestId, plan, plan.timeoutMillis);
    failBeforeResponse(GatewayError.SERVICE_UNAVAILABLE, Outcome.TIMEOUT);
  }

  private void bodyTooLarge() {
    gateway.log.debug("{} {}: request body over {} bytes", requestId, plan, gateway.maxRequestBodyBytes);
    // Not paused: what the client still sends before the connection closes is read and dropped (see
    // dropRequestBody).
    if (responseStarted) {
      done = true;
      report(Outcome.CANCELLED);
      resetBackend();
      response.reset();
      return;
    }
    failBeforeResponse(GatewayError.PAYLOAD_TOO_LARGE, Outcome.CANCELLED);
  }

  /**
   * Reads the rest of the request body and drops it. A request left paused keeps its unread chunks queued, and
   * Vert.x 5.0.7 does not release a paused request's queued chunks when the connection closes (Netty's leak
   * detector found them in this project's tests): so a request the gateway gives up on is resumed, never left
   * paused.
   */
  private void dropRequestBody() {
    if (!request.isEnded()) {
      request.handler(ignored -> { });
      request.resume();
    }
  }

  private void clientGone() {
    if (done) {
      return;
    }
    dropRequestBody();
    done = true;
    report(Outcome.CANCELLED);
    resetBackend();
  }

  private void failBeforeResponse(GatewayError error) {
    failBeforeResponse(error, null);
  }

  private void failBeforeResponse(GatewayError error, @Nullable Outcome outcome) {
    done = true;
    if (outcome != null) {
      report(outcome);
    }
    resetBackend();
    boolean bodyUnread = !request.isEnded();
    dropRequestBody();
    gateway.answer(request, error, requestId, bodyUnread);
  }

  private void resetBackend() {
    EndpointConnections connections = pool;
    HttpClientConnection used = connection;
    connection = null;
    if (connections != null) {
      connections.cancel(waiting);
    }
    waiting = null;
    HttpClientRequest backend = backendRequest;
    if (backend != null) {
      backend.reset();
    } else if (used != null && connections != null) {
      connections.discard(used);
    }
  }

  /** Whether the backend lets its connection be used again (HTTP/1.1 without {@code Connection: close}). */
  private static boolean keepsAlive(HttpClientResponse backend) {
    String connectionHeader = backend.getHeader(HttpHeaders.CONNECTION);
    if (backend.version() == HttpVersion.HTTP_1_0) {
      return connectionHeader != null && connectionHeader.equalsIgnoreCase("keep-alive");
    }
    return connectionHeader == null || !connectionHeader.equalsIgnoreCase("close");
  }

  private void report(Outcome outcome) {
    Endpoint picked = endpoint;
    if (!reported && picked != null) {
      reported = true;
      plan.target.report(picked, outcome);
    }
  }

  private static Outcome classify(Throwable cause) {
    if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
        || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException
        || cause instanceof SSLException) {
      return Outcome.CONNECT_FAILURE;
    }
    if (cause instanceof io.vertx.core.http.HttpClosedException) {
      return Outcome.RESET;
    }
    String name = cause.getClass().getSimpleName();
    if (name.contains("Timeout")) {
      return Outcome.TIMEOUT;
    }
    return Outcome.RESET;
  }
}
