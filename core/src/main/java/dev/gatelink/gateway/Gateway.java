package dev.gatelink.gateway;

import dev.gatelink.route.RouteMatch;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetProvider;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Map.Entry;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An API Gateway HTTP API served in-process: a {@code Handler<HttpServerRequest>} that picks the stage and
 * route of each request and forwards it to the route's integration, streaming both bodies, with API
 * Gateway's answers when it cannot.
 *
 * <p>Use it as the request handler of any Vert.x {@code HttpServer} (create the server with
 * {@link #serverOptions()} so that the request-size limits are the gateway's, not Netty's), or mount it on a
 * Vert.x Web {@code Router} with {@link GatewayRouter#mount}. Build it with
 * {@link #builder(Vertx, ApiDefinition)}; {@link Builder#start()} completes once every target is ready.
 *
 * <p>The configuration can be replaced while the gateway serves, with {@link #update(ApiDefinition)}: the
 * gateway keeps its compiled configuration in one volatile field that each request reads once, so requests in
 * flight finish on the old routes and targets, new requests use the new ones, and none is lost.
 *
 * <p>The request path never leaves the event loop: a request is matched without locks, and forwarded on
 * pooled, kept-alive HTTP/1.1 connections (one pool per endpoint and event loop). Clients may speak HTTP/1.1 or
 * HTTP/2 (also cleartext h2c); integrations are called over HTTP/1.1, as API Gateway calls them.
 */
public final class Gateway implements Handler<HttpServerRequest> {
  /** API Gateway's payload limit, used as the default request body limit: 10 MiB. */
  public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 10L * 1024 * 1024;
  /** API Gateway's limit on the request line and header values together: 10,240 bytes. */
  public static final int MAX_REQUEST_LINE_AND_HEADER_BYTES = 10_240;
  /** Default size of each endpoint's connection pool. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT = 128;
  /** How long an answered request's unread body is read and dropped before its connection is closed. */
  static final long LINGER_MILLIS = 2_000;
  /** How long the gateway waits for a backend connection to open, unless its client options say otherwise. */
  public static final int CONNECT_TIMEOUT_MILLIS = 30_000;
  /**
   * How long a kept-alive backend connection may stay idle before the gateway closes it, by default: longer
   * than any integration timeout.
   */
  public static final Duration DEFAULT_BACKEND_IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** Idle connections are looked for every this many deadline ticks (100 ms). */
  private static final int IDLE_SWEEP_TICKS = 10;
  /** The {@code Via} element added toward backends by default: the one API Gateway adds. */
  public static final String DEFAULT_VIA = "HTTP/1.1 AmazonAPIGateway";

  final Vertx vertx;
  private final FastThreadLocal<EventLoopState> loops;
  private final List<EventLoopState> allLoops = new CopyOnWriteArrayList<>();
  final long maxRequestBodyBytes;
  private final int maxConnectionsPerEndpoint;
  private final long backendIdleTimeoutNanos;
  final String via;
  final Log log = new Log(Gateway.class.getName());
  private final TargetRegistry registry;
  private volatile CompiledApi current;

  private Gateway(Builder builder, BackendConnector.Settings connectorSettings, TargetRegistry registry,
      CompiledApi api) {
    this.vertx = builder.vertx;
    this.loops = new FastThreadLocal<>() {
      @Override
      protected EventLoopState initialValue() {
        ContextInternal context = ((VertxInternal) vertx).getOrCreateContext();
        BackendConnector connector = new BackendConnector((VertxInternal) vertx, context.nettyEventLoop(),
            connectorSettings);
        Deadlines deadlines = new Deadlines();
        Map<EndpointConnections.Key, EndpointConnections> pools = new HashMap<>();
        long[] ticks = new long[1];
        long ticker = vertx.setPeriodic(Deadlines.TICK_MILLIS, id -> {
          deadlines.tick();
          if (++ticks[0] % IDLE_SWEEP_TICKS == 0) {
            long idleBefore = deadlines.now - backendIdleTimeoutNanos;
            for (EndpointConnections pool : pools.values()) {
              pool.closeIdle(idleBefore);
            }
          }
        });
        EventLoopState state = new EventLoopState(context, connector, deadlines, ticker, pools);
        allLoops.add(state);
        return state;
      }
    };
    this.maxRequestBodyBytes = builder.maxRequestBodyBytes;
    this.maxConnectionsPerEndpoint = builder.maxConnectionsPerEndpoint;
    this.backendIdleTimeoutNanos = builder.backendIdleTimeout.toNanos();
    this.via = builder.via;
    this.registry = registry;
    this.current = api;
  }

  /**
   * A builder for a gateway serving an API.
   *
   * @param vertx the Vert.x instance to run on
   * @param api the API to serve
   * @return the builder
   */
  public static Builder builder(Vertx vertx, ApiDefinition api) {
    return new Builder(vertx, api);
  }

  /**
   * Server options that fit the gateway: request-line and header limits large enough that the gateway, not
   * Netty, answers requests over API Gateway's 10,240 bytes; HTTP/2 over cleartext (h2c) allowed; no
   * compression and no WebSocket extensions (the gateway forwards bodies as they are and does not proxy
   * upgrades); strict thread mode for HTTP/1 connections (responses are written only from their event loop,
   * as the gateway writes them: handlers of your own that share a server made with these options must do
   * the same).
   *
   * @return new options, to be completed with the host and port
   */
  public static HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setMaxInitialLineLength(65_536)
        .setMaxHeaderSize(65_536)
        .setHttp2ClearTextEnabled(true)
        .setDecompressionSupported(false)
        .setCompressionSupported(false)
        // The gateway does not serve WebSockets (HTTP APIs do not proxy upgrades): no WebSocket extension
        // handler in every connection's pipeline, which each response would pass through.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // Every response is written from its connection's event loop (the gateway never leaves it), so
        // Vert.x can skip its cross-thread write queue: about 3% less CPU per proxied request here.
        .setStrictThreadMode(true);
  }

  /**
   * The connection pool of the calling event loop for one endpoint, made on first use.
   *
   * @param key the endpoint, TLS name or authority, and TLS flag
   */
  EndpointConnections connections(EndpointConnections.Key key) {
    EventLoopState loop = loops.get();
    EndpointConnections pool = loop.pools.get(key);
    if (pool == null) {
      pool = new EndpointConnections(loop.connector, key, maxConnectionsPerEndpoint);
      loop.pools.put(key, pool);
    }
    return pool;
  }

  /** The integration timeouts of the calling event loop, checked by one periodic tick instead of a timer each. */
  Deadlines deadlines() {
    return loops.get().deadlines;
  }

  /** What the gateway keeps per event loop. */
  private record EventLoopState(ContextInternal context, BackendConnector connector, Deadlines deadlines,
      long ticker, Map<EndpointConnections.Key, EndpointConnections> pools) {}

  /** {@return the API being served} */
  public ApiDefinition api() {
    return current.definition;
  }

  /**
   * Handles one request: picks its stage and route and forwards it, or answers it.
   *
   * @param request the request, not yet read
   */
  @Override
  public void handle(HttpServerRequest request) {
    handle(request, request.path(), true);
  }

  /**
   * Handles a request whose gateway path is {@code path}: the request's path, or what follows the prefix the
   * gateway is mounted under.
   */
  void handle(HttpServerRequest request, String path, boolean unmounted) {
    CompiledApi api = current;
    String requestId = RequestIds.next();
    if (requestLineAndHeaderBytes(request) > MAX_REQUEST_LINE_AND_HEADER_BYTES) {
      answer(request, GatewayError.HEADERS_TOO_LARGE, requestId, !request.isEnded());
      return;
    }
    CompiledApi.StagePlan stage = null;
    String routePath = path;
    for (CompiledApi.StagePlan named : api.namedStages) {
      int length = named.name.length();
      if (path.length() > length && path.charAt(0) == '/' && path.regionMatches(1, named.name, 0, length)
          && (path.length() == length + 1 || path.charAt(length + 1) == '/')) {
        stage = named;
        routePath = path.length() == length + 1 ? "/" : path.substring(length + 1);
        break;
      }
    }
    if (stage == null) {
      stage = api.defaultStage;
      if (stage == null) {
        answer(request, GatewayError.NOT_FOUND, requestId, false);
        return;
      }
    }
    RouteMatch<RoutePlan> match = stage.routes.match(request.method().name(), routePath);
    if (!match.matched()) {
      answer(request, GatewayError.NOT_FOUND, requestId, false);
      return;
    }
    String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (contentLength != null && declaredTooLarge(contentLength)) {
      answer(request, GatewayError.PAYLOAD_TOO_LARGE, requestId, true);
      return;
    }
    RoutePlan plan = match.route().value();
    String backendUri;
    String uri = request.uri();
    if (plan.privateIntegration && unmounted && !uri.isEmpty() && uri.charAt(0) == '/') {
      backendUri = uri;
    } else {
      backendUri = plan.backendUri(path, routePath, request.query(), match);
    }
    if (request.version() != HttpVersion.HTTP_2) {
      String expect = request.getHeader(HttpHeaders.EXPECT);
      if (expect != null && expect.equalsIgnoreCase("100-continue")) {
        request.response().writeContinue();
      }
    }
    new Exchange(this, request, plan, requestId, backendUri).start(contentLength);
  }

  private boolean declaredTooLarge(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > maxRequestBodyBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static long requestLineAndHeaderBytes(HttpServerRequest request) {
    long total = request.method().name().length() + 1L + request.uri().length() + 9;
    for (Entry<String, String> header : request.headers()) {
      total += header.getValue().length();
    }
    return total;
  }

  /** Sends one of the gateway's own answers, closing an HTTP/1 connection whose request body is unread. */
  void answer(HttpServerRequest request, GatewayError error, String requestId, boolean close) {
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    MultiMap headers = response.headers();
    headers.clear();
    response.setStatusCode(error.status);
    headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
    headers.set(HttpHeaders.CONTENT_LENGTH, error.contentLength);
    headers.set(Headers.REQUEST_ID, requestId);
    boolean http1 = request.version() != HttpVersion.HTTP_2;
    if (close && http1) {
      headers.set(HttpHeaders.CONNECTION, "close");
    }
    response.end(error.buffer()).onComplete(done -> {
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

  /**
   * Replaces the API being served, atomically. The new API is compiled and its targets started first; if
   * that fails, the gateway keeps serving the old one and the future fails with the reason. Once the new
   * API is published, the old targets are closed; requests in flight on them finish normally.
   *
   * @param api the new API
   * @return a future completed when new requests are served by the new API
   */
  public Future<Void> update(ApiDefinition api) {
    CompiledApi next;
    try {
      next = CompiledApi.compile(api, registry);
    } catch (InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    return startAll(next.targets).compose(v -> {
      CompiledApi previous = current;
      current = next;
      return closeAll(previous.targets);
    }, failure -> closeAll(next.targets).transform(ignored -> Future.failedFuture(failure)));
  }

  /**
   * Closes the gateway's targets and its backend connections: idle ones at once, those in use when their
   * request ends. Stop the server first (its {@code shutdown} waits for requests in flight) to drain.
   *
   * @return a future completed when the targets are closed and every idle connection is closing
   */
  public Future<Void> close() {
    return closeAll(current.targets).eventually(() -> {
      List<Future<Void>> closed = new ArrayList<>();
      for (EventLoopState loop : allLoops) {
        Promise<Void> loopClosed = Promise.promise();
        loop.context().runOnContext(v -> {
          vertx.cancelTimer(loop.ticker());
          for (EndpointConnections pool : loop.pools().values()) {
            pool.closeAll();
          }
          loopClosed.complete();
        });
        closed.add(loopClosed.future());
      }
      return Future.join(closed).mapEmpty();
    });
  }

  private static Future<Void> startAll(List<Target> targets) {
    List<Future<Void>> started = new ArrayList<>();
    for (Target target : targets) {
      started.add(target.start());
    }
    return Future.all(started).mapEmpty();
  }

  /** Closes every target, each whatever the others do; completed when all are closed. */
  static Future<Void> closeAll(List<Target> targets) {
    List<Future<Void>> closed = new ArrayList<>();
    for (Target target : targets) {
      closed.add(target.close());
    }
    return Future.join(closed).mapEmpty();
  }

  /**
   * Builds a {@link Gateway}. Defaults: the providers found with {@code ServiceLoader} and the built-in URL
   * provider; {@value Gateway#DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT} kept-alive connections per endpoint and
   * event loop, closed after 60 s idle; a connect timeout of 30 s; a request body limit of 10 MiB;
   * {@code Via: HTTP/1.1 AmazonAPIGateway} toward backends.
   */
  public static final class Builder {
    private final Vertx vertx;
    private final ApiDefinition api;
    private final List<TargetProvider> providers = new ArrayList<>();
    private final Map<String, Endpoint> overrides = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private HttpClientOptions clientOptions = new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    private int maxConnectionsPerEndpoint = DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT;
    private long maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
    private String via = DEFAULT_VIA;
    private Duration backendIdleTimeout = DEFAULT_BACKEND_IDLE_TIMEOUT;

    private Builder(Vertx vertx, ApiDefinition api) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      this.api = Objects.requireNonNull(api, "api");
    }

    /**
     * Adds a target provider, asked before those found with {@code ServiceLoader} and the URL provider.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder targetProvider(TargetProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Sends requests meant for a target to another address, as curl's {@code --resolve} does; the Host header
     * and the TLS server name stay those of the configuration.
     *
     * @param target a host name, {@code host:port}, or a whole integration uri such as a listener ARN
     * @param host the host to connect to instead
     * @param port the port to connect to instead
     * @return this builder
     */
    public Builder resolve(String target, String host, int port) {
      overrides.put(Objects.requireNonNull(target, "target"), Endpoint.of(host, port));
      return this;
    }

    /**
     * Sets a value for target providers, such as {@code aws.endpoint} or {@code aws.region}.
     *
     * @param name the setting's name
     * @param value its value
     * @return this builder
     */
    public Builder property(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets the TLS and connect options used toward backends; they are copied. The gateway uses their trust
     * options (or trust-all, which also turns host verification off), key and certificate options, enabled
     * TLS protocols and cipher suites, and connect timeout (default {@value Gateway#CONNECT_TIMEOUT_MILLIS}
     * ms). It always speaks HTTP/1.1 with keep-alive, sends the TLS name as SNI and verifies the certificate
     * against it.
     *
     * @param options the options
     * @return this builder
     */
    public Builder clientOptions(HttpClientOptions options) {
      this.clientOptions = new HttpClientOptions(options);
      return this;
    }

    /**
     * Sets how many connections each endpoint's pool keeps at most, per event loop.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxConnectionsPerEndpoint(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConnectionsPerEndpoint " + max + " is out of range: expected at least 1");
      }
      this.maxConnectionsPerEndpoint = max;
      return this;
    }

    /**
     * Sets how long a kept-alive backend connection may stay idle before the gateway closes it. Set it below
     * the backends' own keep-alive timeout (5 s for Node.js, for example) so that the gateway, not the
     * backend, closes idle connections: a request sent on a connection the backend is closing at that moment
     * fails with 503.
     *
     * @param timeout at least 1 ms; checked every 100 ms
     * @return this builder
     */
    public Builder backendIdleTimeout(Duration timeout) {
      if (timeout.toMillis() < 1) {
        throw new IllegalArgumentException("backendIdleTimeout " + timeout + " is out of range: expected at least 1 ms");
      }
      this.backendIdleTimeout = timeout;
      return this;
    }

    /**
     * Sets the request body limit; larger bodies are answered with 413 without being read into memory.
     *
     * @param max bytes, at least 0
     * @return this builder
     */
    public Builder maxRequestBodyBytes(long max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxRequestBodyBytes " + max + " is out of range: expected at least 0");
      }
      this.maxRequestBodyBytes = max;
      return this;
    }

    /**
     * Sets the {@code Via} element added toward backends.
     *
     * @param via such as {@code HTTP/1.1 AmazonAPIGateway}
     * @return this builder
     */
    public Builder via(String via) {
      this.via = Objects.requireNonNull(via, "via");
      return this;
    }

    /**
     * Compiles the API, creates and starts its targets, and builds the gateway.
     *
     * @return a future of the gateway, completed once every target is ready; failed with an
     *     {@link InvalidConfigException} if an integration uri is claimed by no provider
     */
    public Future<Gateway> start() {
      TargetRegistry registry = new TargetRegistry(vertx, providers, overrides, properties);
      CompiledApi compiled;
      try {
        compiled = CompiledApi.compile(api, registry);
      } catch (InvalidConfigException e) {
        return Future.failedFuture(e);
      }
      HttpClientOptions options = clientOptions;
      // Reading trust and key stores may touch files: done on a worker, never on the caller's event loop.
      return vertx.executeBlocking(() -> connectorSettings(options))
          .compose(settings -> startAll(compiled.targets).map(v -> new Gateway(this, settings, registry, compiled)))
          .recover(failure -> closeAll(compiled.targets).transform(ignored -> Future.failedFuture(failure)));
    }

    private BackendConnector.Settings connectorSettings(HttpClientOptions options) throws Exception {
      SslContextBuilder ssl = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
      if (options.isTrustAll()) {
        ssl.trustManager(InsecureTrustManagerFactory.INSTANCE);
      } else if (options.getTrustOptions() != null) {
        ssl.trustManager(options.getTrustOptions().getTrustManagerFactory(vertx));
      }
      if (options.getKeyCertOptions() != null) {
        ssl.keyManager(options.getKeyCertOptions().getKeyManagerFactory(vertx));
      }
      if (!options.getEnabledSecureTransportProtocols().isEmpty()) {
        ssl.protocols(options.getEnabledSecureTransportProtocols().toArray(new String[0]));
      }
      if (!options.getEnabledCipherSuites().isEmpty()) {
        ssl.ciphers(options.getEnabledCipherSuites());
      }
      return new BackendConnector.Settings(ssl.build(), !options.isTrustAll(), options.getConnectTimeout());
    }
  }
}
