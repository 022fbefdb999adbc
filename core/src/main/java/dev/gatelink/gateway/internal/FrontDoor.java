package dev.gatelink.gateway.internal;

import dev.gatelink.gateway.FrontDoorOptions;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.impl.NetServerImpl;
import io.vertx.core.net.impl.NetServerInternal;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's front door: the limits of {@link FrontDoorOptions} on the connections of an HTTP server.
 *
 * <p>What Vert.x's server options express, {@link #apply} sets for servers made without the front door: the
 * idle timeout (Vert.x's {@code IdleStateHandler}), HTTP/2's {@code SETTINGS_MAX_CONCURRENT_STREAMS} and Netty's {@code RST_STREAM}
 * flood limits. The rest needs a handler in each connection's pipeline from the moment it is accepted, which
 * Vert.x 5.0.7 offers no public hook for: {@code HttpServer.connectionHandler} is called only once a cleartext
 * connection's first request head has been decoded (its HTTP/2 detection reads the first bytes first), too late
 * to time that head. So {@link #createServer} makes the server as {@code Vertx.createHttpServer} does (Vert.x's
 * own {@link HttpServerImpl}), over a {@link VertxWrapper} whose TCP server is Vert.x's {@link NetServerImpl}
 * with one more handler put first by its {@code initChannel}, which Vert.x calls for each accepted connection
 * (after the TLS handshake on a TLS server), before it adds its HTTP handlers. That handler,
 * {@link FrontDoorInitializer}, puts the rest in place once it knows the connection's protocol. Internal types of
 * Vert.x are used, all by their compiled signatures (no reflection); Vert.x is pinned by the build, and
 * {@code GatewayFrontDoorTest} fails if a new version moves them.
 */
public final class FrontDoor {
  /** Vert.x's name of the HTTP/1.x request decoder in a connection's pipeline. */
  static final String DECODER = "httpDecoder";
  /** Vert.x's name of the HTTP/1.x response encoder in a connection's pipeline. */
  static final String ENCODER = "httpEncoder";
  /** The name of {@link FrontDoorInitializer} in a connection's pipeline. */
  static final String INITIALIZER = "gatelinkFrontDoorInitializer";
  /** The name of {@link FrontDoorHandler} in a connection's pipeline. */
  static final String HANDLER = "gatelinkFrontDoor";
  /** The name of the idle timer ({@code IdleStateHandler}) of an HTTP/2 connection in its pipeline. */
  static final String IDLE = "gatelinkIdle";
  /**
   * How long a connection the front door answered (408, 400) stays half-closed, its input read and dropped,
   * before it is closed: 2 s, as the engine's lingering close, so that the client reads the answer before the
   * reset that closing on unread bytes causes.
   */
  static final long LINGER_MILLIS = 2_000;

  private final Vertx vertx;
  private final FrontDoorOptions options;
  final long headerTimeoutNanos;
  final long bodyTimeoutNanos;
  final long idleTimeoutNanos;
  /** The shorter of the head and body timeouts. */
  final long shortestRequestTimeoutNanos;
  final int http2MaxConcurrentStreams;
  final Log log = new Log("dev.gatelink.gateway.FrontDoor");

  /**
   * A front door with these limits.
   *
   * @param vertx the Vert.x instance servers are made on
   * @param options the limits
   */
  public FrontDoor(Vertx vertx, FrontDoorOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.headerTimeoutNanos = options.headerTimeout().toNanos();
    this.bodyTimeoutNanos = options.bodyTimeout().toNanos();
    this.idleTimeoutNanos = options.idleTimeout().toNanos();
    this.shortestRequestTimeoutNanos = Math.min(headerTimeoutNanos, bodyTimeoutNanos);
    this.http2MaxConcurrentStreams = options.http2MaxConcurrentStreams();
  }

  /** {@return Netty's idle timer for an HTTP/2 connection} */
  IdleStateHandler http2IdleTimer() {
    return new IdleStateHandler(0, 0, idleTimeoutNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Sets on server options the limits Vert.x itself enforces: the idle timeout, the HTTP/2 initial settings'
   * {@code SETTINGS_MAX_CONCURRENT_STREAMS} (the other initial settings are kept) and the {@code RST_STREAM}
   * flood limit.
   *
   * @param server the server options, changed
   * @param options the limits
   * @return {@code server}
   */
  public static HttpServerOptions apply(HttpServerOptions server, FrontDoorOptions options) {
    Http2Settings settings = server.getInitialSettings() == null ? new Http2Settings()
        : new Http2Settings(server.getInitialSettings());
    return server
        .setIdleTimeout((int) options.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setInitialSettings(settings.setMaxConcurrentStreams(options.http2MaxConcurrentStreams()))
        .setHttp2RstFloodMaxRstFramePerWindow(options.http2MaxResets())
        .setHttp2RstFloodWindowDuration((int) options.http2ResetWindow().toSeconds())
        .setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS);
  }

  /**
   * Makes an HTTP server with the front door on every connection: a copy of {@code options} with
   * {@link #apply}'s limits, and the front door's handlers in each connection's pipeline. The front door keeps
   * the idle timeout itself rather than through Vert.x's {@code IdleStateHandler}, which makes a promise and a
   * listener for every write: on HTTP/1.x {@link FrontDoorHandler} times it with the clock it already keeps
   * for heads and bodies; a connection that sends nothing is timed by {@link FrontDoorInitializer}; an HTTP/2
   * connection gets Netty's {@code IdleStateHandler}, whose event Vert.x's HTTP/2 handler answers by closing.
   *
   * @param options the server options; copied
   * @return the server, without handlers, not listening
   */
  public HttpServer createServer(HttpServerOptions options) {
    HttpServerOptions server = apply(new HttpServerOptions(options), this.options).setIdleTimeout(0);
    return new HttpServerImpl(new FrontDoorVertx((VertxInternal) vertx, this, server), server);
  }

  /**
   * The application's Vert.x, except that the TCP servers it makes put a {@link FrontDoorInitializer} first in
   * each accepted connection's pipeline. Only {@link HttpServerImpl} sees it: contexts, event loops and the
   * shared-server registry are the application's.
   */
  private static final class FrontDoorVertx extends VertxWrapper {
    private final FrontDoor frontDoor;
    private final HttpServerOptions server;

    FrontDoorVertx(VertxInternal delegate, FrontDoor frontDoor, HttpServerOptions server) {
      super(delegate);
      this.frontDoor = frontDoor;
      this.server = server;
    }

    @Override
    public NetServerInternal createNetServer(NetServerOptions netOptions) {
      // What VertxImpl.createNetServer does, with one more handler.
      return new NetServerImpl(delegate, netOptions.copy()) {
        @Override
        protected void initChannel(ChannelPipeline pipeline, boolean ssl) {
          // First, so that it is before every handler Vert.x adds for HTTP (they go before the last ones added
          // here), and after the TLS handler, since Vert.x calls this once the handshake is done.
          pipeline.addLast(INITIALIZER, new FrontDoorInitializer(frontDoor, server));
          super.initChannel(pipeline, ssl);
        }
      };
    }
  }
}
