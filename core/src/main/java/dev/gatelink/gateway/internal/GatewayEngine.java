package dev.gatelink.gateway.internal;

import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.filter.GatewayFailure;
import dev.gatelink.filter.ResponseType;
import dev.gatelink.route.RouteMatch;
import dev.gatelink.target.Target;
import dev.gatelink.target.TrustMaterial;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.FastThreadLocal;
import javax.net.ssl.TrustManagerFactory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine behind {@code dev.gatelink.gateway.Gateway}: the published configuration, the per-event-loop
 * resources, and the front of the request path (stage, route, the checks made before a request is read).
 * Internal: not part of Gatelink's API.
 *
 * <p>It owns no request state: each request that a filter may see, or that goes to an integration, becomes an
 * {@link Exchange} with its loop's {@link EventLoopResources} and the shared {@link GatewayAnswers}.
 */
public final class GatewayEngine {
  private final Vertx vertx;
  private final EngineSettings settings;
  private final FastThreadLocal<EventLoopResources> loops;
  private final List<EventLoopResources> allLoops = new CopyOnWriteArrayList<>();
  private final Log log = new Log("dev.gatelink.gateway.Gateway");
  private final GatewayAnswers answers;
  private final TargetRegistry registry;
  private volatile CompiledApi current;
  private final BackendConnector.Settings connectorSettings;
  /** The access log writer, made when a stage first has an access log; shared by reloads, closed with the engine. */
  private final AccessLogs accessLogs;

  private GatewayEngine(Vertx vertx, EngineSettings settings, BackendConnector.Settings connectorSettings,
      TargetRegistry registry, CompiledApi api, AccessLogs accessLogs) {
    this.connectorSettings = connectorSettings;
    this.accessLogs = accessLogs;
    this.vertx = vertx;
    this.settings = settings;
    this.answers = new GatewayAnswers(vertx);
    long idleNanos = settings.backendIdleTimeout().toNanos();
    this.loops = new FastThreadLocal<>() {
      @Override
      protected EventLoopResources initialValue() {
        ContextInternal context = ((VertxInternal) vertx).getOrCreateContext();
        BackendConnector connector = new BackendConnector((VertxInternal) vertx, context.nettyEventLoop(),
            connectorSettings);
        EventLoopResources resources = new EventLoopResources(vertx, context, connector,
            settings.maxConnectionsPerEndpoint(), idleNanos);
        allLoops.add(resources);
        return resources;
      }
    };
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
    TargetRegistry registry = new TargetRegistry(vertx, settings.providers(), settings.overrides());
    AccessLogs accessLogs = new AccessLogs();
    CompiledApi compiled;
    try {
      compiled = CompiledApi.compile(api, registry, settings, accessLogs);
    } catch (InvalidConfigException e) {
      accessLogs.close();
      return Future.failedFuture(e);
    }
    HttpClientOptions options = settings.clientOptions();
    // Reading trust and key stores may touch files: done on a worker, never on the caller's event loop.
    return vertx.executeBlocking(() -> connectorSettings(vertx, options, compiled.targets))
        .compose(connector -> startAll(compiled.targets)
            .map(v -> new GatewayEngine(vertx, settings, connector, registry, compiled, accessLogs)))
        .recover(failure -> closeAll(compiled.targets).transform(ignored -> {
          accessLogs.close();
          return Future.failedFuture(failure);
        }));
  }

  private static BackendConnector.Settings connectorSettings(Vertx vertx, HttpClientOptions options,
      List<Target> targets) throws Exception {
    Map<TrustMaterial, SslContext> trusted = new ConcurrentHashMap<>();
    addTrust(vertx, options, targets, trusted);
    TrustManagerFactory trust = options.isTrustAll() ? InsecureTrustManagerFactory.INSTANCE
        : options.getTrustOptions() != null ? options.getTrustOptions().getTrustManagerFactory(vertx) : null;
    return new BackendConnector.Settings(clientContext(vertx, options, trust), !options.isTrustAll(),
        options.getConnectTimeout(), trusted);
  }

  /**
   * Makes the TLS context of each target's own trust material not made yet (the gateway's protocols, ciphers and
   * client key, the target's trust). Reads files: call it off the event loops.
   *
   * @throws InvalidConfigException naming the target and the material if it cannot be read
   */
  private static void addTrust(Vertx vertx, HttpClientOptions options, List<Target> targets,
      Map<TrustMaterial, SslContext> trusted) throws Exception {
    for (Target target : targets) {
      TrustMaterial trust = target.tls().trust();
      if (trust == null || trusted.containsKey(trust)) {
        continue;
      }
      TrustManagerFactory managers;
      try {
        managers = trust.toTrustOptions().getTrustManagerFactory(vertx);
      } catch (Exception e) {
        throw new InvalidConfigException(target + ": cannot read the trusted certificates " + trust + ": "
            + e.getMessage());
      }
      trusted.put(trust, clientContext(vertx, options, managers));
    }
  }

  /** A client TLS context with the gateway's key, protocols and ciphers, trusting {@code trust} (null: the JVM's). */
  private static SslContext clientContext(Vertx vertx, HttpClientOptions options,
      @org.jspecify.annotations.Nullable TrustManagerFactory trust) throws Exception {
    SslContextBuilder ssl = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
    if (trust != null) {
      ssl.trustManager(trust);
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
    return ssl.build();
  }

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
        answers.answer(request, ResponseType.RESOURCE_NOT_FOUND, requestId, false);
        return;
      }
    }
    long headerBytes = requestLineAndHeaderBytes(request);
    if (headerBytes > EngineSettings.MAX_REQUEST_LINE_AND_HEADER_BYTES) {
      refuse(request, stage, requestId, path, routePath, new GatewayFailure.HeadersTooLarge(headerBytes,
          EngineSettings.MAX_REQUEST_LINE_AND_HEADER_BYTES), !request.isEnded());
      return;
    }
    RouteMatch<RoutePlan> match = stage.routes.match(request.method().name(), routePath);
    if (!match.matched()) {
      if (stage.missChain.empty) {
        answers.answer(request, ResponseType.RESOURCE_NOT_FOUND, requestId, false);
      } else {
        new Exchange(settings, log, loops.get(), answers, request, stage, null, requestId, path, routePath)
            .startWithoutRoute();
      }
      return;
    }
    String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (contentLength != null && declaredTooLarge(contentLength)) {
      refuse(request, stage, requestId, path, routePath,
          new GatewayFailure.RequestTooLarge(settings.maxRequestBodyBytes()), true);
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
    new Exchange(settings, log, loops.get(), answers, request, stage, match, requestId, path, routePath)
        .start(contentLength, backendUri);
  }

  /** Refuses a request before it is read: through an exchange when the stage has filters to see it. */
  private void refuse(HttpServerRequest request, CompiledApi.StagePlan stage, String requestId, String path,
      String routePath, GatewayFailure failure, boolean close) {
    if (stage.missChain.empty) {
      answers.answer(request, failure.responseType(), requestId, close);
    } else {
      new Exchange(settings, log, loops.get(), answers, request, stage, null, requestId, path, routePath)
          .refuse(failure, close);
    }
  }

  private boolean declaredTooLarge(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > settings.maxRequestBodyBytes();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static long requestLineAndHeaderBytes(HttpServerRequest request) {
    long total = request.method().name().length() + 1L + request.uri().length() + 9;
    for (var headers = Headers.entries(request.headers()); headers.hasNext(); ) {
      total += headers.next().getValue().length();
    }
    return total;
  }

  /**
   * How many connection pools the gateway's event loops hold; pools unused for the backend idle timeout are
   * dropped.
   *
   * @return a future of the count, read on each loop
   */
  public Future<Integer> poolCount() {
    List<Future<Integer>> counts = new ArrayList<>();
    for (EventLoopResources loop : allLoops) {
      Promise<Integer> count = Promise.promise();
      loop.context.runOnContext(v -> count.complete(loop.poolCount()));
      counts.add(count.future());
    }
    return Future.all(counts).map(all -> {
      int total = 0;
      for (int i = 0; i < all.size(); i++) {
        total += all.<Integer>resultAt(i);
      }
      return total;
    });
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
      next = CompiledApi.compile(api, registry, settings, accessLogs);
    } catch (InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> {
      addTrust(vertx, settings.clientOptions(), next.targets, connectorSettings.trusted());
      return null;
    }).compose(v -> startAll(next.targets)).compose(v -> {
      CompiledApi previous = current;
      current = next;
      return closeAll(previous.targets);
    }, failure -> closeAll(next.targets).transform(ignored -> Future.failedFuture(failure)));
  }

  /**
   * Closes the gateway's targets and its backend connections: idle ones at once, those in use when their
   * request ends.
   *
   * @return a future completed when the targets are closed and every idle connection is closing
   */
  public Future<Void> close() {
    return closeAll(current.targets).eventually(() -> {
      List<Future<Void>> closed = new ArrayList<>();
      for (EventLoopResources loop : allLoops) {
        Promise<Void> loopClosed = Promise.promise();
        loop.context.runOnContext(v -> {
          loop.close(vertx);
          loopClosed.complete();
        });
        closed.add(loopClosed.future());
      }
      // Writes what is queued (the thread waits at most 10 s), off the caller's event loop.
      closed.add(vertx.executeBlocking(() -> {
        accessLogs.close();
        return null;
      }));
      return Future.join(closed).mapEmpty();
    });
  }

  /** The one access log writer of an engine, started on first use. */
  static final class AccessLogs implements java.util.function.Supplier<AccessLogWriter> {
    private @org.jspecify.annotations.Nullable AccessLogWriter writer;

    @Override
    public synchronized AccessLogWriter get() {
      AccessLogWriter made = writer;
      if (made == null) {
        made = AccessLogWriter.start("gatelink-access-log");
        writer = made;
      }
      return made;
    }

    synchronized void close() {
      AccessLogWriter made = writer;
      if (made != null) {
        made.close();
      }
    }
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
