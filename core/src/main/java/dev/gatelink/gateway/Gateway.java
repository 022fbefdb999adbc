package dev.gatelink.gateway;

import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.filter.GatewayFilter;
import dev.gatelink.gateway.internal.EngineSettings;
import dev.gatelink.gateway.internal.FrontDoor;
import dev.gatelink.gateway.internal.GatewayEngine;
import dev.gatelink.gateway.internal.UrlTargetProvider;
import dev.gatelink.route.RouteKey;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.TargetProvider;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An API Gateway HTTP API served in-process: a {@code Handler<HttpServerRequest>} that picks the stage and
 * route of each request and forwards it to the route's integration, streaming both bodies, with API
 * Gateway's answers when it cannot.
 *
 * <p>Serve it with {@link #createHttpServer(HttpServerOptions)}: a Vert.x {@code HttpServer} with the gateway as
 * its request handler and the gateway's front door on every connection (the limits of {@link FrontDoorOptions}:
 * header, body and idle timeouts, refusal of ambiguous request framing, HTTP/2 stream and reset limits). It can
 * also be the request handler of any Vert.x {@code HttpServer} (create the server with {@link #serverOptions()} so
 * that the request-size limits are the gateway's, not Netty's), or be mounted on a Vert.x Web {@code Router} with
 * {@link GatewayRouter#mount}; such a server has the front door's idle timeout and HTTP/2 limits (they are server
 * options) but not its header and body timeouts nor its framing checks. Build it with
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
  public static final int MAX_REQUEST_LINE_AND_HEADER_BYTES = EngineSettings.MAX_REQUEST_LINE_AND_HEADER_BYTES;
  /** Default size of each endpoint's connection pool. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT = 128;
  /** How long the gateway waits for a backend connection to open, unless its client options say otherwise. */
  public static final int CONNECT_TIMEOUT_MILLIS = 30_000;
  /**
   * How long a kept-alive backend connection may stay idle before the gateway closes it, by default: longer
   * than any integration timeout.
   */
  public static final Duration DEFAULT_BACKEND_IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** The {@code Via} element added toward backends by default: the one API Gateway adds. */
  public static final String DEFAULT_VIA = "HTTP/1.1 AmazonAPIGateway";

  private final GatewayEngine engine;
  private final FrontDoor frontDoor;

  private Gateway(GatewayEngine engine, FrontDoor frontDoor) {
    this.engine = engine;
    this.frontDoor = frontDoor;
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
   * the same); and the default front door's server options ({@link #serverOptions(FrontDoorOptions)}).
   *
   * @return new options, to be completed with the host and port
   */
  public static HttpServerOptions serverOptions() {
    return serverOptions(FrontDoorOptions.defaults());
  }

  /**
   * Server options that fit the gateway, as {@link #serverOptions()}, with the front door's limits that Vert.x
   * itself enforces: the idle timeout, HTTP/2's {@code SETTINGS_MAX_CONCURRENT_STREAMS} and the
   * {@code RST_STREAM} flood limit. The header and body timeouts and the framing checks need
   * {@link #createHttpServer(HttpServerOptions)}.
   *
   * @param frontDoor the front door's limits
   * @return new options, to be completed with the host and port
   */
  public static HttpServerOptions serverOptions(FrontDoorOptions frontDoor) {
    return FrontDoor.apply(new HttpServerOptions()
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
        .setStrictThreadMode(true), frontDoor);
  }

  /**
   * The built-in provider of {@code http://} and {@code https://} integration uris, the one every gateway asks
   * last, as an object: to wrap it in a provider of your own (a decorator that counts or records what its
   * targets do, as the target conformance suite does) and register that with {@link Builder#targetProvider},
   * which is asked first. A gateway needs no call to this to serve URLs.
   *
   * @return a new URL provider; stateless, it takes no target options
   */
  public static TargetProvider urlTargetProvider() {
    return new UrlTargetProvider();
  }

  /**
   * Makes a Vert.x HTTP server that serves this gateway behind its front door: the gateway is its request
   * handler (replace it with a {@code Router} that mounts the gateway if you need one), and each connection
   * gets the limits of the builder's {@link FrontDoorOptions}: the header and body timeouts (408 or a close),
   * the refusal of ambiguous request framing (400 and a close), the idle timeout and the HTTP/2 stream and reset
   * limits. Those limits replace the idle timeout, HTTP/2 {@code SETTINGS_MAX_CONCURRENT_STREAMS} and
   * {@code RST_STREAM} flood options of {@code options}; the rest is used as given.
   *
   * <p>Vert.x has no public hook into a connection before its first request is decoded, so the server is made
   * the way {@code Vertx.createHttpServer} makes it, with the front door's handler added to each connection's
   * pipeline as Vert.x accepts it; see {@code docs/architecture.md}, "The front door".
   *
   * @param options the server options, such as {@link #serverOptions()} with a host and port; copied
   * @return the server, not listening yet
   */
  public HttpServer createHttpServer(HttpServerOptions options) {
    return frontDoor.createServer(options).requestHandler(this);
  }

  /** {@return the API being served} */
  public ApiDefinition api() {
    return engine.api();
  }

  /**
   * Handles one request: picks its stage and route and forwards it, or answers it.
   *
   * @param request the request, not yet read
   */
  @Override
  public void handle(HttpServerRequest request) {
    engine.handle(request, request.path(), true);
  }

  /** Handles a request whose gateway path is {@code path}, for {@link GatewayRouter}. */
  void handle(HttpServerRequest request, String path, boolean unmounted) {
    engine.handle(request, path, unmounted);
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
    return engine.update(api);
  }

  /**
   * Closes the gateway's targets and its backend connections: idle ones at once, those in use when their
   * request ends. Stop the server first (its {@code shutdown} waits for requests in flight) to drain.
   *
   * @return a future completed when the targets are closed and every idle connection is closing
   */
  public Future<Void> close() {
    return engine.close();
  }

  /**
   * Builds a {@link Gateway}. Defaults: the providers found with {@code ServiceLoader} and the built-in URL
   * provider; {@value Gateway#DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT} kept-alive connections per endpoint and
   * event loop, closed after 60 s idle; a connect timeout of 30 s; a request body limit of 10 MiB;
   * {@code Via: HTTP/1.1 AmazonAPIGateway} toward backends; {@link FrontDoorOptions#defaults()} for clients.
   */
  public static final class Builder {
    private final Vertx vertx;
    private final ApiDefinition api;
    private final List<TargetProvider> providers = new ArrayList<>();
    private final Map<String, Endpoint> overrides = new LinkedHashMap<>();
    private HttpClientOptions clientOptions = new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    private int maxConnectionsPerEndpoint = DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT;
    private long maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
    private String via = DEFAULT_VIA;
    private Duration backendIdleTimeout = DEFAULT_BACKEND_IDLE_TIMEOUT;
    private @Nullable String apiId;
    private @Nullable String accountId;
    private final List<GatewayFilter> filters = new ArrayList<>();
    private final Map<String, List<GatewayFilter>> routeFilters = new LinkedHashMap<>();
    private FrontDoorOptions frontDoor = FrontDoorOptions.defaults();

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
     * Sets the API's id, read as {@code $context.apiId}.
     *
     * @param apiId such as {@code a1b2c3d4e5}, or null for none
     * @return this builder
     */
    public Builder apiId(@Nullable String apiId) {
      this.apiId = apiId;
      return this;
    }

    /**
     * Sets the AWS account id of the API's owner, read as {@code $context.accountId}.
     *
     * @param accountId twelve digits, or null for none
     * @return this builder
     */
    public Builder accountId(@Nullable String accountId) {
      if (accountId != null && !accountId.matches("[0-9]{12}")) {
        throw new IllegalArgumentException("accountId '" + accountId + "' is not an AWS account id: expected 12 digits");
      }
      this.accountId = accountId;
      return this;
    }

    /**
     * Adds a filter that runs on every route, after those added before it.
     *
     * @param filter the filter
     * @return this builder
     */
    public Builder filter(GatewayFilter filter) {
      filters.add(Objects.requireNonNull(filter, "filter"));
      return this;
    }

    /**
     * Adds a filter that runs on one route, in every stage, after the filters of every route.
     *
     * @param routeKey the route's key, such as {@code GET /orders/{id}} or {@code $default}
     * @param filter the filter
     * @return this builder
     */
    public Builder filter(String routeKey, GatewayFilter filter) {
      Objects.requireNonNull(filter, "filter");
      String key = RouteKey.parse(routeKey).text();
      routeFilters.computeIfAbsent(key, k -> new ArrayList<>()).add(filter);
      return this;
    }

    /**
     * Sets the limits the front door puts on clients, on the servers {@link Gateway#createHttpServer} makes.
     *
     * @param options the limits; {@link FrontDoorOptions#defaults()} by default
     * @return this builder
     */
    public Builder frontDoor(FrontDoorOptions options) {
      this.frontDoor = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Compiles the API, creates and starts its targets, and builds the gateway.
     *
     * @return a future of the gateway, completed once every target is ready; failed with an
     *     {@link InvalidConfigException} if an integration uri is claimed by no provider
     */
    public Future<Gateway> start() {
      Map<String, List<GatewayFilter>> perRoute = new LinkedHashMap<>();
      routeFilters.forEach((key, list) -> perRoute.put(key, List.copyOf(list)));
      EngineSettings settings = new EngineSettings(providers, overrides, clientOptions,
          maxConnectionsPerEndpoint, maxRequestBodyBytes, via, backendIdleTimeout, apiId, accountId, filters,
          perRoute);
      FrontDoor door = new FrontDoor(vertx, frontDoor);
      return GatewayEngine.start(vertx, api, settings).map(engine -> new Gateway(engine, door));
    }
  }
}
