package dev.gatelink.gateway.internal;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.buffer.BufferInternal;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * One request forwarded to its integration, from the moment a route is chosen until the client has the whole
 * response or an answer from the gateway.
 *
 * <p>Everything runs on the request's event loop, so the state needs no synchronization. The request goes to
 * the backend through a {@link BackendConnection} (Netty's HTTP/1.1 codec on the same loop), whose events come
 * back here. The request body is streamed to the backend and the response body back to the client, each with
 * back-pressure: a socket that cannot take more pauses the side that reads. The integration timeout runs from
 * the start until the backend's response headers arrive; an idle timeout of the same length covers the
 * bodies. Whatever happens, the target hears
 * exactly one outcome, and the client gets exactly one answer: the backend's response, or one of
 * {@link GatewayError}'s, or (when the backend fails after its response started) a reset stream.
 */
final class Exchange {
  /** Integrations are called over HTTP/1.1, as API Gateway calls them. */
  private static final io.netty.handler.codec.http.HttpVersion BACKEND_VERSION =
      io.netty.handler.codec.http.HttpVersion.HTTP_1_1;
  private final GatewayEngine gateway;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final RoutePlan plan;
  private final String requestId;
  private final String backendUri;
  private @Nullable Endpoint endpoint;
  /** When this exchange last moved data (or started), in the loop's tick time; its deadline counts from here. */
  long lastActivity;
  /** A response chunk held back until the end of the current read (see {@link #backendContent}). */
  private @Nullable Buffer pending;
  /** The connections of the picked endpoint; null until one is picked. */
  private @Nullable EndpointConnections pool;
  /** Whether this exchange waits in its pool for a connection. */
  private boolean waiting;
  private @Nullable BackendConnection connection;
  /** The request's head, written with the first chunk of its body or at its end; null once written. */
  private @Nullable DefaultHttpRequest head;
  /** The request was sent whole with its head (it has no body). */
  private boolean bodiless;
  /** The request has a body of unknown length: it is sent chunked. */
  private boolean bodyLengthUnknown;
  private boolean requestEnded;
  private boolean requestPaused;
  private final Deadlines deadlines;
  private final long timeoutNanos;
  private long bodyBytes;
  private boolean responseStarted;
  private boolean keepAlive;
  private Outcome outcome = Outcome.SUCCESS;
  private boolean done;
  private boolean reported;

  Exchange(GatewayEngine gateway, HttpServerRequest request, RoutePlan plan, String requestId, String backendUri) {
    this.gateway = gateway;
    this.request = request;
    this.response = request.response();
    this.plan = plan;
    this.requestId = requestId;
    this.backendUri = backendUri;
    this.deadlines = gateway.deadlines();
    this.timeoutNanos = plan.timeoutMillis * 1_000_000L;
  }

  /**
   * Starts forwarding. An HTTP/1 request without a body (no {@code Content-Length} or a zero one, and no
   * {@code Transfer-Encoding}) is not paused: nothing of it is left to stream, and it is sent whole with its
   * head. Any other request is paused until its backend connection is ready.
   *
   * @param contentLength the request's {@code Content-Length}, or null
   */
  void start(@Nullable String contentLength) {
    if (request.version() != HttpVersion.HTTP_2) {
      bodiless = contentLength != null ? contentLength.equals("0")
          : !request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }
    if (!bodiless) {
      request.pause();
    }
    response.closeHandler(v -> clientGone());
    request.exceptionHandler(e -> clientGone());
    deadlines.start(this, timeoutNanos);
    Endpoint picked = plan.target.selectNow();
    if (picked != null) {
      connect(picked);
      return;
    }
    // A target may complete its future on any thread (an AWS SDK thread, another event loop): the rest of the
    // exchange runs on the request's event loop, whose pools and connections it uses.
    Context context = gateway.vertx.getOrCreateContext();
    Thread loop = Thread.currentThread();
    plan.target.select().onComplete(result -> {
      if (Thread.currentThread() == loop) {
        selected(result);
      } else {
        context.runOnContext(v -> selected(result));
      }
    });
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
    endpoint = picked;
    if (done) {
      // The request ended (client gone, timed out) while the target was picking: the pick is still reported,
      // as every pick is, so that a target counting requests in flight counts this one out.
      report(Outcome.CANCELLED);
      return;
    }
    String tlsName = plan.target.tlsServerName();
    EndpointConnections.Key key = new EndpointConnections.Key(picked,
        tlsName != null ? tlsName : plan.uriHost != null ? plan.uriHost : picked.host(),
        plan.uriHost != null ? plan.uriPort : picked.port(), tlsName != null);
    EndpointConnections connections = gateway.connections(key);
    pool = connections;
    waiting = true;
    connections.acquire(this);
  }

  /**
   * Called by the pool with this exchange's connection: sends the request's head (with the whole request when
   * it has no body) and starts streaming its body.
   */
  void acquired(BackendConnection acquired) {
    waiting = false;
    EndpointConnections connections = pool;
    if (done && connections != null) {
      connections.release(acquired, deadlines.now);
      return;
    }
    connection = acquired;
    acquired.assign(this);
    HeadersMultiMap headers = Headers.forBackend(request, plan.hostHeader, acquired.authority(), gateway.via);
    HttpMethod method = plan.method != null ? plan.method : request.method();
    Channel channel = acquired.channel();
    if (bodiless) {
      // An HTTP/1 request without a body: never paused, no handler to set.
      sendWhole(channel, method.toNetty(), headers);
      return;
    }
    String contentLength = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (request.version() == HttpVersion.HTTP_2 && (contentLength == null && request.isEnded()
        || "0".equals(contentLength))) {
      // An HTTP/2 request whose stream ended with its headers: sent whole, and resumed so that its end is read.
      bodiless = true;
      sendWhole(channel, method.toNetty(), headers);
    } else {
      // Without a Content-Length, the body is sent chunked: the header is added when the first chunk comes (a
      // request that turns out to have no body, such as an HTTP/2 GET, is sent without one).
      bodyLengthUnknown = contentLength == null;
      head = new DefaultHttpRequest(BACKEND_VERSION, method.toNetty(), backendUri, headers);
    }
    request.handler(this::requestData);
    request.endHandler(v -> requestEnded());
    request.resume();
  }

  /** Writes the request's head with an empty body, in one write and one flush. */
  private void sendWhole(Channel channel, io.netty.handler.codec.http.HttpMethod method,
      io.netty.handler.codec.http.HttpHeaders headers) {
    channel.writeAndFlush(new DefaultFullHttpRequest(BACKEND_VERSION, method, backendUri, Unpooled.EMPTY_BUFFER,
        headers, EmptyHttpHeaders.INSTANCE), channel.voidPromise());
  }

  private void requestData(Buffer data) {
    BackendConnection backend = connection;
    if (done || backend == null || bodiless) {
      return;
    }
    lastActivity = deadlines.now;
    bodyBytes += data.length();
    if (bodyBytes > gateway.maxRequestBodyBytes) {
      bodyTooLarge();
      return;
    }
    Channel channel = backend.channel();
    DefaultHttpRequest unsent = head;
    if (unsent != null) {
      head = null;
      if (bodyLengthUnknown) {
        unsent.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      channel.write(unsent, channel.voidPromise());
    }
    channel.writeAndFlush(new DefaultHttpContent(((BufferInternal) data).getByteBuf()), channel.voidPromise());
    if (!channel.isWritable()) {
      requestPaused = true;
      request.pause();
    }
  }

  private void requestEnded() {
    BackendConnection backend = connection;
    if (done || backend == null) {
      return;
    }
    requestEnded = true;
    if (bodiless) {
      return;
    }
    Channel channel = backend.channel();
    DefaultHttpRequest unsent = head;
    if (unsent != null) {
      head = null;
      sendWhole(channel, unsent.method(), unsent.headers());
      return;
    }
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
  }

  /** Called by the connection when the socket can take more of the request body. */
  void backendWritable() {
    if (requestPaused && !done) {
      requestPaused = false;
      request.resume();
    }
  }

  /** Called by the connection with the head of the backend's (final) response. */
  void backendHead(HttpResponse backend) {
    if (done) {
      return;
    }
    responseStarted = true;
    lastActivity = deadlines.now;
    HttpResponseStatus status = backend.status();
    int code = status.code();
    response.setStatusCode(code);
    if (status != HttpResponseStatus.valueOf(code)) {
      response.setStatusMessage(status.reasonPhrase());
    }
    MultiMap headers = response.headers();
    boolean lengthKnown = Headers.copyToClient(backend.headers(), headers);
    headers.set(Headers.REQUEST_ID, requestId);
    if (request.version() != HttpVersion.HTTP_2 && !lengthKnown
        && request.method() != HttpMethod.HEAD && code != 204 && code != 304) {
      response.setChunked(true);
    }
    outcome = code >= 500 ? Outcome.SERVER_ERROR : Outcome.SUCCESS;
    keepAlive = HttpUtil.isKeepAlive(backend);
  }

  /**
   * Called by the connection with each piece of the response body. A piece is held back until the next piece
   * or the end of the current read ({@link #backendReadComplete}), so that a response whose last piece and
   * end arrive together goes to the client in one write and one flush (head, body and end) instead of a flush
   * for the body and another for the end.
   */
  void backendContent(HttpContent content, boolean last) {
    ByteBuf bytes = content.content();
    if (done) {
      content.release();
      return;
    }
    lastActivity = deadlines.now;
    Buffer data = null;
    if (bytes.isReadable()) {
      data = BufferInternal.safeBuffer(bytes);
    } else {
      content.release();
    }
    Buffer previous = pending;
    if (!last) {
      if (data != null) {
        pending = data;
        if (previous != null) {
          writeToClient(previous);
        }
      }
      return;
    }
    pending = null;
    done = true;
    releaseConnection();
    report(outcome);
    if (previous != null && data != null) {
      response.write(previous);
      response.end(data);
    } else if (previous != null) {
      response.end(previous);
    } else if (data != null) {
      response.end(data);
    } else {
      response.end();
    }
  }

  /** Called by the connection at the end of a read: writes the response piece held back, if any. */
  void backendReadComplete() {
    Buffer held = pending;
    if (held != null && !done) {
      pending = null;
      writeToClient(held);
    }
  }

  private void writeToClient(Buffer data) {
    response.write(data);
    BackendConnection backend = connection;
    if (response.writeQueueFull() && backend != null) {
      backend.pauseReading();
      response.drainHandler(v -> {
        if (connection == backend && !done) {
          backend.resumeReading();
        }
      });
    }
  }

  /**
   * Once the response is complete: gives the backend connection back to its pool, or closes it if the backend
   * asked to or the request was not completely sent (the backend answered before the client finished its
   * body).
   */
  private void releaseConnection() {
    BackendConnection used = connection;
    EndpointConnections connections = pool;
    if (used == null || connections == null) {
      return;
    }
    connection = null;
    if (keepAlive && (requestEnded || bodiless) && head == null) {
      connections.release(used, deadlines.now);
    } else {
      used.close();
    }
  }

  /** Called by the pool or the connection when connecting, the TLS handshake, a write or a read failed. */
  void backendFailed(Throwable cause) {
    waiting = false;
    if (done) {
      return;
    }
    Outcome failure = classify(cause);
    gateway.log.debug("{} {}: backend {} failed ({}): {}", requestId, plan, endpoint, failure, cause.toString());
    if (responseStarted) {
      done = true;
      report(failure);
      resetBackend();
      response.reset();
      return;
    }
    failBeforeResponse(cause instanceof SSLException ? GatewayError.INTERNAL_SERVER_ERROR : GatewayError.SERVICE_UNAVAILABLE,
        failure);
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
    boolean bodyUnread = !bodiless && !request.isEnded();
    dropRequestBody();
    gateway.answer(request, error, requestId, bodyUnread);
  }

  private void resetBackend() {
    EndpointConnections connections = pool;
    if (waiting && connections != null) {
      connections.cancel(this);
    }
    waiting = false;
    BackendConnection used = connection;
    connection = null;
    if (used != null) {
      used.close();
    }
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
    if (cause instanceof ClosedChannelException) {
      return Outcome.RESET;
    }
    String name = cause.getClass().getSimpleName();
    if (name.contains("Timeout")) {
      return Outcome.TIMEOUT;
    }
    return Outcome.RESET;
  }
}
