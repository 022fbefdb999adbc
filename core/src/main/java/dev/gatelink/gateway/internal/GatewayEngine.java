package dev.gatelink.gateway.internal;

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
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.ApiDefinition;

/**
 * The engine behind {@code dev.gatelink.gateway.Gateway}: the published configuration, the per-event-loop
 * resources (backend connection pools, deadlines) and the request path. Internal: not part of Gatelink's API.
 */
public final class GatewayEngine {
  /** Idle connections are looked for every this many deadline ticks (100 ms). */
  private static final int IDLE_SWEEP_TICKS = 10;
  /** How long an answered request's unread body is read and dropped before its connection is closed. */
  static final long LINGER_MILLIS = 2_000;

  final Vertx vertx;
  final EngineSettings settings;
  private final FastThreadLocal<EventLoopState> loops;
  private final List<EventLoopState> allLoops = new CopyOnWriteArrayList<>();
  final long maxRequestBodyBytes;
  private final int maxConnectionsPerEndpoint;
  private final long backendIdleTimeoutNanos;
  final String via;
  final Log log = new Log("dev.gatelink.gateway.Gateway");
  private final TargetRegistry registry;
  private volatile CompiledApi current;

  private GatewayEngine(Vertx vertx, EngineSettings settings, BackendConnector.Settings connectorSettings,
      TargetRegistry registry, CompiledApi api) {
    this.vertx = vertx;
    this.settings = settings;
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
    this.maxRequestBodyBytes = settings.maxRequestBodyBytes();
    this.maxConnectionsPerEndpoint = settings.maxConnectionsPerEndpoint();
    this.backendIdleTimeoutNanos = settings.backendIdleTimeout().toNanos();
    this.via = settings.via();
    this.registry = registry;
    this.current = api;
  }

  /**
   * Compiles the API, creates and starts its targets, and builds the engine.
   *
   * @param vertx the Vert.x instance to run on
   * @param api the API to serve
   * @param settings the gateway's settings
   * @return a future of the engine, completed once every target is ready
   */
  public static Future<GatewayEngine> start(Vertx vertx, ApiDefinition api, EngineSettings settings) {
    TargetRegistry registry = new TargetRegistry(vertx, settings.providers(), settings.overrides(),
        settings.properties());
    CompiledApi compiled;
    try {
      compiled = CompiledApi.compile(api, registry);
    } catch (InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    HttpClientOptions options = settings.clientOptions();
    // Reading trust and key stores may touch files: done on a worker, never on the caller's event loop.
    return vertx.executeBlocking(() -> connectorSettings(vertx, options))
        .compose(connector -> startAll(compiled.targets)
            .map(v -> new GatewayEngine(vertx, settings, connector, registry, compiled)))
        .recover(failure -> closeAll(compiled.targets).transform(ignored -> Future.failedFuture(failure)));
  }

  private static BackendConnector.Settings connectorSettings(Vertx vertx, HttpClientOptions options) throws Exception {
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
   * Handles a request whose gateway path is {@code path}: the request's path, or what follows the prefix the
   * gateway is mounted under.
   *
   * @param request the request, not yet read
   * @param path the gateway path
   * @param unmounted true when the gateway serves the server's whole path space
   */
  public void handle(HttpServerRequest request, String path, boolean unmounted) {
    CompiledApi api = current;
    String requestId = RequestIds.next();
    if (requestLineAndHeaderBytes(request) > EngineSettings.MAX_REQUEST_LINE_AND_HEADER_BYTES) {
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
}
