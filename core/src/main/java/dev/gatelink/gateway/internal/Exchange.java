package dev.gatelink.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatelink.config.Integration;
import dev.gatelink.config.MappingSources;
import dev.gatelink.filter.BackendRequest;
import dev.gatelink.filter.ContextVariable;
import dev.gatelink.filter.FilterExchange;
import dev.gatelink.filter.FilterResult;
import dev.gatelink.filter.GatewayFailure;
import dev.gatelink.filter.GatewayFilter;
import dev.gatelink.filter.ResponseType;
import dev.gatelink.route.RouteMatch;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.TlsPolicy;
import dev.gatelink.target.DirectResponse;
import dev.gatelink.target.Selection;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetRequest;
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
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * One request, from the moment its stage is known until the client has the whole response or an answer from
 * the gateway, and its completion step has run.
 *
 * <p>The way through: the backend request (method, path, query, headers) is built once; the route's filter
 * chain runs its request steps (any may answer at once, or wait on a future); the target picks an endpoint;
 * the loop's pool hands a {@link BackendConnection}, whose events come back through {@link BackendEvents};
 * the response head goes through the chain's response steps; the bodies stream both ways with back-pressure.
 * Every way an exchange can end (the response sent, one of the gateway's answers, a timeout, a reset, the
 * client gone) goes through {@link #complete}, which reports the pick's outcome to the target and runs the
 * completion steps, exactly once.
 *
 * <p>Everything runs on the request's event loop, so the state needs no synchronization. It depends on its
 * loop's resources, the answer writer and the compiled plans; nothing calls it but the engine that made it,
 * and its pool and connection through {@link BackendEvents}.
 */
final class Exchange implements FilterExchange, MappingSources, BackendEvents, Deadlines.Timed {
  /** Integrations are called over HTTP/1.1, as API Gateway calls them. */
  private static final io.netty.handler.codec.http.HttpVersion BACKEND_VERSION =
      io.netty.handler.codec.http.HttpVersion.HTTP_1_1;
  /** {@code $context.requestTime}: the Common Log Format's time. */
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  /** Parses body starts for JSON paths in parameter mappings. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EngineSettings settings;
  private final Log log;
  private final EventLoopResources loop;
  private final GatewayAnswers answers;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final CompiledApi.StagePlan stage;
  /** The route's plan, or null when no route takes the request. */
  private final @Nullable RoutePlan plan;
  private final @Nullable RouteMatch<RoutePlan> match;
  private final FilterChain chain;
  private final String requestId;
  private final String path;
  private final String routePath;
  private final long timeoutNanos;

  // The backend request, built once before a connection is taken.
  private @Nullable HttpMethod backendMethod;
  private String backendUri = "";
  private @Nullable HeadersMultiMap backendHeaders;
  private @Nullable BackendRequestView backendView;

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
  /** The end of the request was forwarded (or the request had no body). */
  private boolean requestEnded;
  /** The client's request body ended while a filter read its start. */
  private boolean clientBodyEnded;
  private boolean requestPaused;
  private boolean continueSent;
  private long bodyBytes;
  /** The start of the request body read for a filter, forwarded before the rest; null when none was read. */
  private @Nullable Buffer heldRequestBody;
  /** The start of the request body as a filter read it, kept for parameter mappings; null when none was read. */
  private @Nullable Buffer requestBodyPrefix;
  private @Nullable JsonNode requestJson;
  private boolean requestJsonParsed;
  private @Nullable JsonNode responseJson;
  private boolean responseJsonParsed;
  private @Nullable Promise<Buffer> heldRequestBodyRead;
  private int heldRequestBodyWanted;
  private boolean responseStarted;
  /** A response head held until the start of its body is read for a filter; null otherwise. */
  private @Nullable HttpResponse heldResponseHead;
  private @Nullable Buffer heldResponseBody;
  private @Nullable Buffer responseBodyStart;
  private boolean keepAlive;
  private Outcome outcome = Outcome.SUCCESS;
  private boolean done;
  private boolean completed;
  private boolean reported;

  // $context: what happened, recorded as it happens; stamped only when the route has filters to read it.
  private final boolean observed;
  private long requestTimeEpoch;
  private long startNanos;
  private long integrationStartNanos;
  private long integrationHeadNanos;
  private long endNanos;
  private int status;
  private int integrationStatus;
  private long responseBytes;
  private boolean integrationResponded;
  private @Nullable GatewayFailure failure;
  private @Nullable String integrationError;

  Exchange(EngineSettings settings, Log log, EventLoopResources loop, GatewayAnswers answers,
      HttpServerRequest request, CompiledApi.StagePlan stage, @Nullable RouteMatch<RoutePlan> match,
      String requestId, String path, String routePath) {
    this.settings = settings;
    this.log = log;
    this.loop = loop;
    this.answers = answers;
    this.request = request;
    this.response = request.response();
    this.stage = stage;
    this.match = match;
    this.plan = match == null ? null : match.route().value();
    this.chain = plan == null ? stage.missChain : plan.chain;
    this.requestId = requestId;
    this.path = path;
    this.routePath = routePath;
    // Without a route, the integration's default timeout bounds a filter that waits.
    this.timeoutNanos = (plan == null ? Integration.DEFAULT_TIMEOUT.toMillis() : plan.timeoutMillis) * 1_000_000L;
    this.observed = !chain.empty;
    if (observed) {
      requestTimeEpoch = System.currentTimeMillis();
      startNanos = System.nanoTime();
    }
  }

  /**
   * Starts a request whose route matched: builds the backend request, runs the request steps, then calls the
   * integration. An HTTP/1 request without a body (no {@code Content-Length} or a zero one, and no
   * {@code Transfer-Encoding}) is not paused: nothing of it is left to stream, and it is sent whole with its
   * head. Any other request is paused until its backend connection is ready.
   *
   * @param contentLength the request's {@code Content-Length}, or null
   * @param backendUri the backend's request target (path and query)
   */
  void start(@Nullable String contentLength, String backendUri) {
    RoutePlan route = plan;
    if (route == null) {
      throw new IllegalStateException("no route");
    }
    if (request.version() != HttpVersion.HTTP_2) {
      bodiless = contentLength != null ? contentLength.equals("0")
          : !request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }
    if (!bodiless) {
      request.pause();
    }
    watchClientAndClock();
    this.backendUri = backendUri;
    this.backendMethod = route.method != null ? route.method : request.method();
    this.backendHeaders = Headers.forBackend(request, route.hostHeader, settings.via());
    if (chain.empty) {
      send();
    } else {
      runRequestSteps(0);
    }
  }

  /**
   * Handles a request that reached a stage but no route, for a stage whose chain is not empty: the request
   * steps run (the CORS filter may answer a preflight), then the gateway answers 404.
   */
  void startWithoutRoute() {
    request.pause();
    watchClientAndClock();
    runRequestSteps(0);
  }

  /** Hears the client leave, and starts the exchange's deadline. */
  private void watchClientAndClock() {
    response.closeHandler(v -> clientGone());
    request.exceptionHandler(e -> clientGone());
    lastActivity = loop.deadlines.start(this, timeoutNanos);
  }

  /**
   * Answers a request the gateway refuses before any request step (its head is too large, its declared body
   * too long): the response steps and the completion step still run.
   */
  void refuse(GatewayFailure refusal, boolean close) {
    answer(refusal, null, close);
  }

  // ---------------------------------------------------------------- the request steps

  private void runRequestSteps(int from) {
    GatewayFilter[] filters = chain.filters;
    for (int i = from; i < filters.length; i++) {
      FilterResult result;
      try {
        result = filters[i].onRequest(this);
      } catch (RuntimeException e) {
        filterFailed(filters[i], "request", e);
        return;
      }
      if (result.kind() != FilterResult.Kind.PROCEED) {
        decided(result, i + 1);
        return;
      }
    }
    if (plan == null) {
      answer(new GatewayFailure.NotFound(), null, false);
    } else {
      send();
    }
  }

  /** Applies a filter's decision other than going straight on; {@code next} is the step after that filter. */
  private void decided(FilterResult result, int next) {
    if (done) {
      return;
    }
    switch (result.kind()) {
      case PROCEED:
        runRequestSteps(next);
        return;
      case FAIL:
        GatewayFailure refused = result.failure();
        answer(refused != null ? refused : new GatewayFailure.InternalError("a filter failed without a reason", null),
            null, false);
        return;
      case RESPOND:
        respond(result);
        return;
      default:
        Future<FilterResult> pendingDecision = result.pending();
        if (pendingDecision == null) {
          answer(new GatewayFailure.InternalError("a filter awaited no future", null), null, false);
          return;
        }
        Thread thread = Thread.currentThread();
        pendingDecision.onComplete(decision -> {
          if (Thread.currentThread() == thread) {
            awaited(decision, next);
          } else {
            loop.context.runOnContext(v -> awaited(decision, next));
          }
        });
    }
  }

  private void awaited(AsyncResult<FilterResult> decision, int next) {
    if (done) {
      return;
    }
    if (decision.failed()) {
      filterFailed(chain.filters[next - 1], "request", decision.cause());
      return;
    }
    decided(decision.result(), next);
  }

  private void filterFailed(GatewayFilter filter, String step, Throwable cause) {
    log.warn("{} {}: filter {} failed in its {} step: {}", requestId, where(), filter.getClass().getName(), step,
        cause.toString());
    answer(new GatewayFailure.InternalError("filter " + filter.getClass().getName() + " failed: " + cause, cause),
        null, false);
  }

  /** A filter's own response: the integration is not called. */
  private void respond(FilterResult result) {
    done = true;
    boolean close = dropRequestBody();
    if (!response.headWritten() && !response.ended() && !response.closed()) {
      MultiMap headers = response.headers();
      headers.clear();
      MultiMap given = result.headers();
      if (given != null) {
        headers.addAll(given);
      }
      Buffer body = result.body();
      Buffer sent = body == null ? Buffer.buffer() : body;
      response.setStatusCode(result.status());
      headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(sent.length()));
      headers.set(Headers.REQUEST_ID, requestId);
      if (close && request.version() != HttpVersion.HTTP_2) {
        headers.set(HttpHeaders.CONNECTION, "close");
      }
      status = result.status();
      runResponseSteps();
      responseBytes = sent.length();
      answers.end(request, sent, close);
    }
    complete(Outcome.CANCELLED);
  }

  // ---------------------------------------------------------------- the integration call

  private void send() {
    RoutePlan route = plan;
    if (done || route == null) {
      return;
    }
    writeContinue();
    if (observed) {
      integrationStartNanos = System.nanoTime();
    }
    Target target = route.target;
    // The request's view is made only for a target that routes by it: other targets pick without it.
    TargetRequest routed = target.routesByRequest() ? (TargetRequest) backendRequest() : null;
    Selection picked = routed != null ? target.selectNow(routed) : target.selectNow();
    if (picked != null) {
      selected(picked);
      return;
    }
    // A target may complete its future on any thread (an AWS SDK thread, another event loop): the rest of the
    // exchange runs on the request's event loop, whose pools and connections it uses.
    Thread thread = Thread.currentThread();
    Future<Selection> selecting = routed != null ? target.select(routed) : target.select().map(Selection.class::cast);
    selecting.onComplete(result -> {
      if (Thread.currentThread() == thread) {
        selected(result);
      } else {
        loop.context.runOnContext(v -> selected(result));
      }
    });
  }

  /** Answers {@code Expect: 100-continue} once, when the request goes on to read its body. */
  private void writeContinue() {
    if (!continueSent && !bodiless && request.version() != HttpVersion.HTTP_2) {
      continueSent = true;
      String expect = request.getHeader(HttpHeaders.EXPECT);
      if (expect != null && expect.equalsIgnoreCase("100-continue")) {
        response.writeContinue();
      }
    }
  }

  /** Sends the request to the endpoint picked, or answers with the target's own response. */
  private void selected(Selection selection) {
    if (selection instanceof Endpoint endpoint) {
      connect(endpoint);
    } else if (!done) {
      DirectResponse direct = (DirectResponse) selection;
      MultiMap headers = HttpHeaders.headers();
      if (direct.contentType() != null) {
        headers.set(HttpHeaders.CONTENT_TYPE, direct.contentType());
      }
      if (direct.location() != null) {
        headers.set(HttpHeaders.LOCATION, direct.location());
      }
      respond(FilterResult.respond(direct.status(), headers,
          direct.body() == null ? null : Buffer.buffer(direct.body())));
    }
  }

  private void selected(AsyncResult<Selection> result) {
    if (result.succeeded()) {
      selected(result.result());
    } else if (!done) {
      log.debug("{} {}: no endpoint: {}", requestId, plan, result.cause().getMessage());
      integrationError = "no endpoint: " + result.cause().getMessage();
      answer(new GatewayFailure.IntegrationFailure(Outcome.CONNECT_FAILURE, "no endpoint: "
          + result.cause().getMessage(), result.cause()), null, bodyUnread());
    }
  }

  private void connect(Endpoint picked) {
    RoutePlan route = plan;
    endpoint = picked;
    if (done || route == null) {
      // The request ended (client gone, timed out) while the target was picking: the pick is still reported,
      // as every pick is, so that a target counting requests in flight counts this one out.
      report(Outcome.CANCELLED);
      return;
    }
    TlsPolicy tls = route.target.tls();
    String tlsName = tls.mode() == TlsPolicy.Mode.FIXED_NAME ? tls.serverName()
        : tls.mode() == TlsPolicy.Mode.REQUEST_HOST ? requestHostName() : null;
    EndpointConnections.Key key = new EndpointConnections.Key(picked,
        tlsName != null ? tlsName : route.uriHost != null ? route.uriHost : picked.host(),
        route.uriHost != null ? route.uriPort : picked.port(), tlsName != null, loop.connector.trusted(tls.trust()));
    EndpointConnections connections = loop.connections(key);
    pool = connections;
    HeadersMultiMap headers = backendHeaders();
    if (!headers.contains(HttpHeaders.HOST)) {
      headers.set(HttpHeaders.HOST, connections.authority());
    }
    waiting = true;
    connections.acquire(this, loop.deadlines.now);
  }

  /** The name in the request's Host header, without its port: the TLS name of a target that verifies it. */
  private String requestHostName() {
    String host = request.authority() != null ? request.authority().host() : null;
    return host != null && !host.isEmpty() ? host : endpoint.host();
  }

  /**
   * Called by the pool with this exchange's connection: sends the request's head (with the whole request when
   * it has no body), what a filter read of the body, and starts streaming the rest.
   */
  @Override
  public void acquired(BackendConnection acquired) {
    waiting = false;
    EndpointConnections connections = pool;
    if (done && connections != null) {
      connections.release(acquired, loop.deadlines.now);
      return;
    }
    connection = acquired;
    acquired.assign(this);
    HeadersMultiMap headers = backendHeaders();
    HttpMethod method = backendMethod != null ? backendMethod : request.method();
    Channel channel = acquired.channel();
    if (bodiless) {
      // An HTTP/1 request without a body: never paused, no handler to set.
      sendWhole(channel, method.toNetty(), headers);
      return;
    }
    Buffer held = heldRequestBody;
    heldRequestBody = null;
    boolean heldSome = held != null && held.length() > 0;
    String contentLength = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (!heldSome && request.version() == HttpVersion.HTTP_2
        && (contentLength == null && (request.isEnded() || clientBodyEnded) || "0".equals(contentLength))) {
      // An HTTP/2 request whose stream ended with its headers: sent whole, and resumed so that its end is read.
      bodiless = true;
      sendWhole(channel, method.toNetty(), headers);
      if (!clientBodyEnded) {
        request.resume();
      }
      return;
    }
    // Without a Content-Length, the body is sent chunked: the header is added when the first chunk comes (a
    // request that turns out to have no body, such as an HTTP/2 GET, is sent without one).
    bodyLengthUnknown = contentLength == null;
    head = new DefaultHttpRequest(BACKEND_VERSION, method.toNetty(), backendUri, headers);
    if (heldSome) {
      forward(held);
    }
    if (clientBodyEnded) {
      requestEnded();
      return;
    }
    request.handler(this::requestData);
    request.endHandler(v -> requestEnded());
    request.resume();
  }

  /** Writes the request's head with an empty body, in one write and one flush. */
  private void sendWhole(Channel channel, io.netty.handler.codec.http.HttpMethod method,
      io.netty.handler.codec.http.HttpHeaders headers) {
    requestEnded = true;
    channel.writeAndFlush(new DefaultFullHttpRequest(BACKEND_VERSION, method, backendUri, Unpooled.EMPTY_BUFFER,
        headers, EmptyHttpHeaders.INSTANCE), channel.voidPromise());
  }

  private void requestData(Buffer data) {
    if (done || connection == null || bodiless) {
      return;
    }
    lastActivity = loop.deadlines.now;
    bodyBytes += data.length();
    if (bodyBytes > settings.maxRequestBodyBytes()) {
      bodyTooLarge();
      return;
    }
    forward(data);
  }

  private void forward(Buffer data) {
    BackendConnection backend = connection;
    if (backend == null) {
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
  @Override
  public void backendWritable() {
    if (requestPaused && !done) {
      requestPaused = false;
      request.resume();
    }
  }

  // ---------------------------------------------------------------- the response

  /** Called by the connection with the head of the backend's (final) response. */
  @Override
  public void backendHead(HttpResponse backend) {
    if (done) {
      return;
    }
    responseStarted = true;
    lastActivity = loop.deadlines.now;
    int code = backend.status().code();
    integrationStatus = code;
    if (observed) {
      integrationHeadNanos = System.nanoTime();
    }
    outcome = code >= 500 ? Outcome.SERVER_ERROR : Outcome.SUCCESS;
    keepAlive = HttpUtil.isKeepAlive(backend);
    if (chain.needsResponseBody(code)) {
      heldResponseHead = backend;
      heldResponseBody = Buffer.buffer();
      return;
    }
    writeHead(backend);
  }

  /** Copies the backend's head to the client's response, and runs the response steps on it. */
  private void writeHead(HttpResponse backend) {
    HttpResponseStatus backendStatus = backend.status();
    int code = backendStatus.code();
    response.setStatusCode(code);
    if (backendStatus != HttpResponseStatus.valueOf(code)) {
      response.setStatusMessage(backendStatus.reasonPhrase());
    }
    MultiMap headers = response.headers();
    boolean lengthKnown = Headers.copyToClient(backend.headers(), headers);
    headers.set(Headers.REQUEST_ID, requestId);
    status = code;
    if (!chain.empty) {
      integrationResponded = true;
      runResponseSteps();
    }
    if (request.version() != HttpVersion.HTTP_2 && !lengthKnown
        && request.method() != HttpMethod.HEAD && status != 204 && status != 304) {
      response.setChunked(true);
    }
  }

  /** The response steps, last filter first; a filter that throws is logged and the others still run. */
  private void runResponseSteps() {
    GatewayFilter[] filters = chain.filters;
    for (int i = filters.length - 1; i >= 0; i--) {
      try {
        filters[i].onResponse(this);
      } catch (RuntimeException e) {
        log.warn("{} {}: filter {} failed in its response step: {}", requestId, where(),
            filters[i].getClass().getName(), e.toString());
      }
    }
  }

  /**
   * Called by the connection with each piece of the response body. A piece is held back until the next piece
   * or the end of the current read ({@link #backendReadComplete}), so that a response whose last piece and
   * end arrive together goes to the client in one write and one flush (head, body and end) instead of a flush
   * for the body and another for the end.
   */
  @Override
  public void backendContent(HttpContent content, boolean last) {
    ByteBuf bytes = content.content();
    if (done) {
      content.release();
      return;
    }
    lastActivity = loop.deadlines.now;
    Buffer heldBody = heldResponseBody;
    if (heldBody != null) {
      if (bytes.isReadable()) {
        heldBody.appendBuffer(BufferInternal.safeBuffer(bytes));
      } else {
        content.release();
      }
      if (!last && heldBody.length() < GatewayFilter.RESPONSE_BODY_PREFIX_BYTES) {
        return;
      }
      HttpResponse heldHead = heldResponseHead;
      heldResponseHead = null;
      heldResponseBody = null;
      responseBodyStart = heldBody.length() <= GatewayFilter.RESPONSE_BODY_PREFIX_BYTES ? heldBody
          : heldBody.slice(0, GatewayFilter.RESPONSE_BODY_PREFIX_BYTES);
      if (heldHead != null) {
        writeHead(heldHead);
      }
      if (last) {
        finishResponse(null, heldBody.length() > 0 ? heldBody : null);
      } else {
        writeToClient(heldBody);
      }
      return;
    }
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
    finishResponse(previous, data);
  }

  /** The backend's response ended: the connection goes back, the client's response ends, the exchange completes. */
  private void finishResponse(@Nullable Buffer previous, @Nullable Buffer data) {
    done = true;
    releaseConnection();
    // The target hears the outcome before the client has the response, as it does for every other end.
    report(outcome);
    if (previous != null && data != null) {
      responseBytes += previous.length() + data.length();
      response.write(previous);
      response.end(data);
    } else if (previous != null) {
      responseBytes += previous.length();
      response.end(previous);
    } else if (data != null) {
      responseBytes += data.length();
      response.end(data);
    } else {
      response.end();
    }
    complete(outcome);
  }

  /** Called by the connection at the end of a read: writes the response piece held back, if any. */
  @Override
  public void backendReadComplete() {
    Buffer held = pending;
    if (held != null && !done) {
      pending = null;
      writeToClient(held);
    }
  }

  private void writeToClient(Buffer data) {
    responseBytes += data.length();
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
    if (keepAlive && requestEnded && head == null) {
      connections.release(used, loop.deadlines.now);
    } else {
      used.close();
    }
  }

  // ---------------------------------------------------------------- failures and the end

  /** Called by the pool or the connection when connecting, the TLS handshake, a write or a read failed. */
  @Override
  public void backendFailed(Throwable cause) {
    waiting = false;
    if (done) {
      return;
    }
    Outcome failed = classify(cause);
    log.debug("{} {}: backend {} failed ({}): {}", requestId, plan, endpoint, failed, cause.toString());
    integrationError = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    if (responseStarted) {
      resetAfterResponseStarted(failed);
      return;
    }
    answer(cause instanceof SSLException
        ? new GatewayFailure.InternalError("TLS with the integration failed: " + integrationError, cause)
        : new GatewayFailure.IntegrationFailure(failed, integrationError, cause), failed, bodyUnread());
  }

  @Override
  public boolean finished() {
    return done;
  }

  @Override
  public long lastActivity() {
    return lastActivity;
  }

  /**
   * Called by {@link Deadlines} when the timeout has passed since the last activity: before the response
   * started, the integration timed out (503); after, the backend stalled in the middle of its body.
   */
  @Override
  public void deadlinePassed(long now) {
    if (lastActivity + timeoutNanos - now > 0) {
      loop.deadlines.add(this, timeoutNanos);
      return;
    }
    long millis = timeoutNanos / 1_000_000L;
    integrationError = "no data for " + millis + " ms";
    if (responseStarted) {
      log.debug("{} {}: no data for {} ms in the middle of the response", requestId, plan, millis);
      resetAfterResponseStarted(Outcome.TIMEOUT);
      return;
    }
    log.debug("{} {}: no response within {} ms", requestId, plan, millis);
    answer(new GatewayFailure.IntegrationTimeout(Duration.ofMillis(millis)), Outcome.TIMEOUT, bodyUnread());
  }

  private void bodyTooLarge() {
    log.debug("{} {}: request body over {} bytes", requestId, plan, settings.maxRequestBodyBytes());
    // Not paused: what the client still sends before the connection closes is read and dropped (see
    // dropRequestBody).
    if (responseStarted) {
      resetAfterResponseStarted(Outcome.CANCELLED);
      return;
    }
    answer(new GatewayFailure.RequestTooLarge(settings.maxRequestBodyBytes()), Outcome.CANCELLED, true);
  }

  private void resetAfterResponseStarted(Outcome failed) {
    done = true;
    report(failed);
    resetBackend();
    response.reset();
    complete(failed);
  }

  /** Whether the request still has body the gateway has not read (its connection must close after an answer). */
  private boolean bodyUnread() {
    return !bodiless && !request.isEnded() && !clientBodyEnded;
  }

  /**
   * Reads the rest of the request body and drops it. A request left paused keeps its unread chunks queued, and
   * Vert.x 5.0.7 does not release a paused request's queued chunks when the connection closes (Netty's leak
   * detector found them in this project's tests): so a request the gateway gives up on is resumed, never left
   * paused.
   *
   * @return whether some of the body was unread
   */
  private boolean dropRequestBody() {
    boolean unread = bodyUnread();
    if (!request.isEnded()) {
      request.handler(ignored -> { });
      request.endHandler(null);
      request.resume();
    }
    return unread;
  }

  private void clientGone() {
    if (done) {
      return;
    }
    dropRequestBody();
    done = true;
    resetBackend();
    complete(Outcome.CANCELLED);
  }

  /**
   * Gives one of the gateway's own answers: the status and JSON body of the failure's response type, through
   * the response steps, then completes.
   *
   * @param reason why
   * @param outcome what the target hears, if an endpoint was picked (else CANCELLED)
   * @param close whether the request's body is unread, so that its connection must close
   */
  private void answer(GatewayFailure reason, @Nullable Outcome outcome, boolean close) {
    done = true;
    failure = reason;
    Outcome result = outcome != null ? outcome : Outcome.CANCELLED;
    report(result);
    resetBackend();
    boolean unread = dropRequestBody();
    ResponseType type = reason.responseType();
    boolean closing = close || unread && !(reason instanceof GatewayFailure.NotFound);
    if (GatewayAnswers.prepare(request, type, requestId, closing)) {
      status = type.status();
      runResponseSteps();
      responseBytes = type.bodyLength();
      answers.end(request, Buffer.buffer(type.body()), closing);
    }
    complete(result);
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
    heldResponseHead = null;
    heldResponseBody = null;
  }

  /**
   * The one completion point: reports the pick's outcome to the target and runs the completion steps, once,
   * whatever way the exchange ended.
   */
  private void complete(Outcome result) {
    if (completed) {
      return;
    }
    completed = true;
    done = true;
    report(result);
    if (chain.empty) {
      return;
    }
    endNanos = System.nanoTime();
    for (GatewayFilter filter : chain.filters) {
      try {
        filter.onComplete(this);
      } catch (RuntimeException e) {
        log.warn("{} {}: filter {} failed in its completion step: {}", requestId, where(),
            filter.getClass().getName(), e.toString());
      }
    }
  }

  private void report(Outcome result) {
    Endpoint picked = endpoint;
    RoutePlan route = plan;
    if (!reported && picked != null && route != null) {
      reported = true;
      route.target.report(picked, result);
    }
  }

  private String where() {
    return plan != null ? plan.toString() : stage.name + " (no route)";
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

  private HeadersMultiMap backendHeaders() {
    HeadersMultiMap headers = backendHeaders;
    if (headers == null) {
      throw new IllegalStateException("no backend request: no route");
    }
    return headers;
  }

  // ---------------------------------------------------------------- what filters see

  @Override
  public HttpServerRequest clientRequest() {
    return request;
  }

  @Override
  public BackendRequest backendRequest() {
    BackendRequestView view = backendView;
    if (view == null) {
      backendHeaders();
      view = new BackendRequestView();
      backendView = view;
    }
    return view;
  }

  @Override
  public @Nullable String pathParameter(String name) {
    RouteMatch<RoutePlan> matched = match;
    return matched == null ? null : matched.pathParameter(name);
  }

  @Override
  public String routePath() {
    return routePath;
  }

  @Override
  public Map<String, String> stageVariables() {
    return stage.variables;
  }

  @Override
  public Future<Buffer> requestBodyStart(int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes " + maxBytes + " is out of range: expected at least 0");
    }
    Buffer held = heldRequestBody;
    if (held != null && heldRequestBodyRead == null) {
      return Future.succeededFuture(prefix(held, maxBytes));
    }
    if (bodiless || request.isEnded() || plan == null) {
      return Future.succeededFuture(Buffer.buffer());
    }
    if (heldRequestBodyRead != null) {
      throw new IllegalStateException("the request body's start is already being read");
    }
    Promise<Buffer> read = Promise.promise();
    heldRequestBodyRead = read;
    heldRequestBodyWanted = maxBytes;
    heldRequestBody = Buffer.buffer();
    writeContinue();
    request.handler(this::heldRequestData);
    request.endHandler(v -> {
      clientBodyEnded = true;
      heldRequestBodyDone();
    });
    request.resume();
    return read.future().map(bytes -> prefix(bytes, maxBytes));
  }

  private void heldRequestData(Buffer data) {
    Buffer held = heldRequestBody;
    if (done || held == null) {
      return;
    }
    lastActivity = loop.deadlines.now;
    bodyBytes += data.length();
    if (bodyBytes > settings.maxRequestBodyBytes()) {
      bodyTooLarge();
      return;
    }
    held.appendBuffer(data);
    if (held.length() >= heldRequestBodyWanted) {
      request.pause();
      heldRequestBodyDone();
    }
  }

  private void heldRequestBodyDone() {
    Promise<Buffer> read = heldRequestBodyRead;
    Buffer held = heldRequestBody;
    if (read != null && held != null) {
      heldRequestBodyRead = null;
      requestBodyPrefix = held;
      read.complete(held);
    }
  }

  private static Buffer prefix(Buffer bytes, int maxBytes) {
    return bytes.length() <= maxBytes ? bytes : bytes.slice(0, maxBytes);
  }

  @Override
  public boolean integrationResponded() {
    return integrationResponded;
  }

  @Override
  public int responseStatus() {
    return status;
  }

  @Override
  public void responseStatus(int code) {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("status " + code + " is out of range: expected 100 to 599");
    }
    status = code;
    response.setStatusCode(code);
    response.setStatusMessage(HttpResponseStatus.valueOf(code).reasonPhrase());
  }

  @Override
  public MultiMap responseHeaders() {
    return response.headers();
  }

  @Override
  public @Nullable Buffer responseBodyStart() {
    return responseBodyStart;
  }

  // ---------------------------------------------------------------- $context

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public @Nullable String apiId() {
    return settings.apiId();
  }

  @Override
  public @Nullable String accountId() {
    return settings.accountId();
  }

  @Override
  public String stage() {
    return stage.name;
  }

  @Override
  public @Nullable String routeKey() {
    return plan == null ? null : plan.routeKey;
  }

  @Override
  public String httpMethod() {
    return request.method().name();
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String protocol() {
    switch (request.version()) {
      case HTTP_1_0:
        return "HTTP/1.0";
      case HTTP_2:
        return "HTTP/2.0";
      default:
        return "HTTP/1.1";
    }
  }

  @Override
  public @Nullable String domainName() {
    HostAndPort authority = request.authority();
    return authority == null ? null : authority.host();
  }

  @Override
  public String sourceIp() {
    SocketAddress remote = request.remoteAddress();
    String address = remote == null ? null : remote.hostAddress();
    return address == null ? "-" : address;
  }

  @Override
  public @Nullable String userAgent() {
    return request.getHeader(HttpHeaders.USER_AGENT);
  }

  @Override
  public long requestTimeEpoch() {
    return requestTimeEpoch;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public long responseLength() {
    return responseBytes;
  }

  @Override
  public long requestLength() {
    return bodyBytes;
  }

  @Override
  public long responseLatency() {
    return completed && observed ? (endNanos - startNanos) / 1_000_000 : -1;
  }

  @Override
  public long integrationLatency() {
    return integrationStatus != 0 && observed ? (integrationHeadNanos - integrationStartNanos) / 1_000_000 : -1;
  }

  @Override
  public int integrationStatus() {
    return integrationStatus;
  }

  @Override
  public @Nullable GatewayFailure failure() {
    return failure;
  }

  @Override
  public @Nullable String integrationErrorMessage() {
    return integrationError;
  }

  @Override
  public @Nullable String value(ContextVariable variable) {
    switch (variable) {
      case REQUEST_ID:
      case EXTENDED_REQUEST_ID:
        return requestId;
      case API_ID:
        return apiId();
      case ACCOUNT_ID:
        return accountId();
      case STAGE:
        return stage.name;
      case ROUTE_KEY:
        return routeKey();
      case HTTP_METHOD:
        return httpMethod();
      case PATH:
        return path;
      case PROTOCOL:
        return protocol();
      case DOMAIN_NAME:
        return domainName();
      case DOMAIN_PREFIX:
        String domain = domainName();
        if (domain == null) {
          return null;
        }
        int dot = domain.indexOf('.');
        return dot < 0 ? domain : domain.substring(0, dot);
      case SOURCE_IP:
        return sourceIp();
      case USER_AGENT:
        return userAgent();
      case REQUEST_TIME:
        return REQUEST_TIME.format(Instant.ofEpochMilli(requestTimeEpoch));
      case REQUEST_TIME_EPOCH:
        return Long.toString(requestTimeEpoch);
      case STATUS:
        return status == 0 ? null : Integer.toString(status);
      case RESPONSE_LENGTH:
        return Long.toString(responseBytes);
      case RESPONSE_LATENCY:
        long latency = responseLatency();
        return latency < 0 ? null : Long.toString(latency);
      case DATA_PROCESSED:
        return Long.toString(bodyBytes + responseBytes);
      case INTEGRATION_LATENCY:
        long integration = integrationLatency();
        return integration < 0 ? null : Long.toString(integration);
      case INTEGRATION_STATUS:
        return integrationStatus == 0 ? null : Integer.toString(integrationStatus);
      case INTEGRATION_ERROR_MESSAGE:
        return integrationError;
      case ERROR_MESSAGE:
        return failure == null ? null : failure.responseType().message();
      case ERROR_MESSAGE_STRING:
        return failure == null ? null : '"' + failure.responseType().message() + '"';
      case ERROR_RESPONSE_TYPE:
        return failure == null ? null : failure.responseType().name();
      default:
        return null;
    }
  }

  // ---------------------------------------------------------------- parameter mapping sources

  @Override
  public @Nullable String requestHeader(String name) {
    return joined(request.headers(), name);
  }

  @Override
  public @Nullable String requestQuery(String name) {
    return joined(request.params(), name);
  }

  @Override
  public String requestPath() {
    return routePath;
  }

  @Override
  public @Nullable JsonNode requestJson() {
    if (!requestJsonParsed) {
      requestJsonParsed = true;
      requestJson = parseJson(requestBodyPrefix);
    }
    return requestJson;
  }

  @Override
  public @Nullable String requestBodyText() {
    return text(requestBodyPrefix);
  }

  @Override
  public @Nullable String responseHeader(String name) {
    return joined(response.headers(), name);
  }

  @Override
  public @Nullable JsonNode responseJson() {
    if (!responseJsonParsed) {
      responseJsonParsed = true;
      responseJson = parseJson(responseBodyStart);
    }
    return responseJson;
  }

  @Override
  public @Nullable String responseBodyText() {
    return text(responseBodyStart);
  }

  private static @Nullable String text(@Nullable Buffer body) {
    return body == null ? null : body.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public @Nullable String context(ContextVariable variable) {
    return value(variable);
  }

  @Override
  public @Nullable String stageVariable(String name) {
    return stage.variables.get(name);
  }

  private static @Nullable String joined(MultiMap headers, String name) {
    String first = headers.get(name);
    if (first == null) {
      return null;
    }
    java.util.List<String> all = headers.getAll(name);
    return all.size() == 1 ? first : String.join(",", all);
  }

  /** A body start as JSON, or null when it is empty or not JSON (a body cut at 100 KB usually is not). */
  private static @Nullable JsonNode parseJson(@Nullable Buffer bytes) {
    if (bytes == null || bytes.length() == 0) {
      return null;
    }
    try {
      return JSON.readTree(bytes.getBytes());
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /** The backend request as filters change it: the path and query split from the request target on demand. */
  private final class BackendRequestView implements BackendRequest, TargetRequest {
    @Override
    public HttpMethod method() {
      HttpMethod method = backendMethod;
      return method != null ? method : request.method();
    }

    @Override
    public String methodName() {
      return method().name();
    }

    @Override
    public @Nullable String host() {
      return backendHeaders().get(HttpHeaders.HOST);
    }

    @Override
    public <T> boolean anyHeaderValue(CharSequence name, T target,
        java.util.function.BiPredicate<? super T, ? super CharSequence> test) {
      HeadersMultiMap headers = backendHeaders();
      if (!headers.contains(name)) {
        return false;
      }
      java.util.Iterator<java.util.Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
      while (entries.hasNext()) {
        java.util.Map.Entry<CharSequence, CharSequence> entry = entries.next();
        if (io.netty.util.AsciiString.contentEqualsIgnoreCase(entry.getKey(), name)
            && test.test(target, entry.getValue())) {
          return true;
        }
      }
      return false;
    }

    @Override
    public @Nullable String sourceAddress() {
      SocketAddress remote = request.remoteAddress();
      return remote == null ? null : remote.hostAddress();
    }

    @Override
    public String path() {
      int query = backendUri.indexOf('?');
      return query < 0 ? backendUri : backendUri.substring(0, query);
    }

    @Override
    public void path(String rawPath) {
      if (rawPath.isEmpty() || rawPath.charAt(0) != '/' || !isUriText(rawPath, true)) {
        throw new IllegalArgumentException("path '" + rawPath
            + "' is not a raw path: expected / followed by percent-encoded text without ?, #, spaces or control characters");
      }
      String query = query();
      backendUri = query == null ? rawPath : rawPath + '?' + query;
    }

    @Override
    public @Nullable String query() {
      int query = backendUri.indexOf('?');
      return query < 0 ? null : backendUri.substring(query + 1);
    }

    @Override
    public void query(@Nullable String rawQuery) {
      if (rawQuery != null && !isUriText(rawQuery, false)) {
        throw new IllegalArgumentException("query '" + rawQuery
            + "' is not a raw query: expected percent-encoded text without #, spaces or control characters");
      }
      String current = path();
      backendUri = rawQuery == null || rawQuery.isEmpty() ? current : current + '?' + rawQuery;
    }

    @Override
    public MultiMap headers() {
      return backendHeaders();
    }
  }

  private static boolean isUriText(String text, boolean path) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 127 || c == '#' || path && c == '?') {
        return false;
      }
    }
    return true;
  }
}
