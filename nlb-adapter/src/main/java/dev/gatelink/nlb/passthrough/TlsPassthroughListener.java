package dev.gatelink.nlb.passthrough;

import dev.gatelink.nlb.passthrough.ConnectionLog.Refusal;
import dev.gatelink.target.Outcome;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A layer-4 listener that passes TLS through: for each TCP connection it reads the ClientHello without consuming
 * or decrypting it (Netty's {@link io.netty.handler.ssl.AbstractSniHandler}), picks a route by the server name
 * (SNI) and the ALPN protocols offered (see {@link SniRoute} for the order), connects to an endpoint of the route's
 * target ({@code selectNow()}, else {@code select()}), sends the ClientHello on, and relays bytes both ways until
 * both sides are done. TLS ends at the endpoint: the client sees the endpoint's certificate.
 *
 * <p>Connections run on the Vert.x instance's event loops and transport (epoll or io_uring where Vert.x uses
 * them); a connection and its endpoint connection share one event loop. On epoll, once the ClientHello is passed
 * on, the kernel moves the bytes ({@code splice}, unless {@link TlsPassthroughOptions#zeroCopy()} is off);
 * elsewhere they are copied through pooled buffers. Reads follow writability both ways (a slow reader slows its
 * writer), and each direction is shut on its own (a client that shuts its output still gets the endpoint's
 * answer). A connection is idle when no byte was read from either side for the idle timeout. Each connection that
 * got an endpoint reports exactly one {@link
 * dev.gatelink.target.Outcome} to its target: {@code SUCCESS} when relayed to the end, {@code CONNECT_FAILURE}
 * when no connection could be made, {@code RESET} when the endpoint's connection failed, {@code TIMEOUT} when it
 * stayed idle, {@code CANCELLED} when the client left first or the listener was closed. Refused connections (no
 * ClientHello, no route, over a limit) are closed without a byte and report nothing. Every connection ends with
 * one {@link ConnectionLog} to the consumer given to {@link #start(Vertx, TlsPassthroughOptions, Consumer)}, and
 * is counted in {@link #counters()}.
 *
 * <p>The listener neither starts nor closes the targets of its routes: the caller does.
 */
public final class TlsPassthroughListener {
  /** The package of Netty's io_uring channels. */
  private static final String IO_URING_PACKAGE = "io.netty.channel.uring.";
  private final VertxInternal vertx;
  private final TlsPassthroughOptions options;
  private final SniRouteTable routes;
  private final Consumer<ConnectionLog> log;
  private final Bootstrap backends;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder[] refusals = adders(Refusal.values().length);
  private final LongAdder[] outcomes = adders(Outcome.values().length);
  private final LongAdder bytesFromClient = new LongAdder();
  private final LongAdder bytesToClient = new LongAdder();
  private volatile boolean closing;
  private @Nullable Channel server;

  private TlsPassthroughListener(VertxInternal vertx, TlsPassthroughOptions options, Consumer<ConnectionLog> log) {
    this.vertx = vertx;
    this.options = options;
    this.routes = new SniRouteTable(options.routes(), options.defaultTarget());
    this.log = log;
    this.backends = new Bootstrap()
        .channelFactory(vertx.transport().channelFactory(false))
        .resolver(vertx.nameResolver().nettyAddressResolverGroup())
        // No TCP_NODELAY option: Netty's socket channels (NIO, epoll, io_uring) set it when made, and setting it
        // again would be one more system call per connection.
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            options.connectTimeout().toMillis()))
        .option(ChannelOption.ALLOCATOR, VertxByteBufAllocator.POOLED_ALLOCATOR);
  }

  /**
   * Starts a listener that reports nothing per connection.
   *
   * @param vertx the Vert.x instance whose event loops and transport it runs on
   * @param options the address, routes, timeouts and limits
   * @return a future of the listener once it listens, failed if it cannot bind
   */
  public static Future<TlsPassthroughListener> start(Vertx vertx, TlsPassthroughOptions options) {
    return start(vertx, options, connection -> {});
  }

  /**
   * Starts a listener.
   *
   * @param vertx the Vert.x instance whose event loops and transport it runs on
   * @param options the address, routes, timeouts and limits
   * @param log given each connection's {@link ConnectionLog} once it is closed, on the connection's event loop;
   *     must not block
   * @return a future of the listener once it listens, failed if it cannot bind
   */
  public static Future<TlsPassthroughListener> start(Vertx vertx, TlsPassthroughOptions options,
      Consumer<ConnectionLog> log) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(log, "log");
    VertxInternal internal = (VertxInternal) Objects.requireNonNull(vertx, "vertx");
    TlsPassthroughListener listener = new TlsPassthroughListener(internal, options, log);
    return listener.bind();
  }

  private Future<TlsPassthroughListener> bind() {
    ContextInternal context = vertx.getOrCreateContext();
    Promise<TlsPassthroughListener> bound = context.promise();
    ServerBootstrap bootstrap = new ServerBootstrap()
        // Accepted on an event loop, not Vert.x's acceptor thread: with one event loop a connection is accepted and
        // registered on one thread, without a wake-up between two (as HAProxy and nginx accept in their workers).
        .group(vertx.nettyEventLoopGroup(), vertx.nettyEventLoopGroup())
        .channelFactory(vertx.transport().serverChannelFactory(false))
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.ALLOCATOR, VertxByteBufAllocator.POOLED_ALLOCATOR)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            accept(channel);
          }
        });
    bootstrap.bind(options.host(), options.port()).addListener(done -> {
      if (done.isSuccess()) {
        Channel listening = ((io.netty.channel.ChannelFuture) done).channel();
        if (listening.getClass().getName().startsWith(IO_URING_PACKAGE)) {
          // Refused rather than run: on io_uring the relay leaks a socket descriptor for about every other connection
          // under load (found by passthrough-bench.sh; NIO and epoll do not), which would exhaust the process's
          // descriptors. docs/architecture.md, "TLS passthrough listener".
          listening.close();
          bound.fail(new IllegalStateException("TLS passthrough listener cannot run on Vert.x's io_uring transport "
              + "yet (its connections leak socket descriptors under load): expected the epoll or NIO transport"));
          return;
        }
        server = listening;
        bound.complete(this);
      } else {
        bound.fail(new IllegalStateException("TLS passthrough listener cannot listen on " + options.host() + ":"
            + options.port() + ": " + done.cause().getMessage(), done.cause()));
      }
    });
    return bound.future();
  }

  private static LongAdder[] adders(int count) {
    LongAdder[] adders = new LongAdder[count];
    for (int i = 0; i < count; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  private void accept(Channel channel) {
    accepted.increment();
    channels.add(channel);
    PassthroughConnection connection = new PassthroughConnection(this, channel);
    if (open.incrementAndGet() > options.maxConnections() || closing) {
      connection.refuseAtAccept();
      return;
    }
    connection.begin();
  }

  /** {@return the port listened on: the one asked for, or the free one chosen for 0} */
  public int actualPort() {
    Channel channel = server;
    if (channel == null) {
      throw new IllegalStateException("TLS passthrough listener is not listening");
    }
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** {@return the options it was started with} */
  public TlsPassthroughOptions options() {
    return options;
  }

  /** {@return the connections open now, being routed or relayed} */
  public int openConnections() {
    return open.get();
  }

  /**
   * {@return the counters since the listener started: connections accepted, refused by reason, relayed by outcome,
   * and bytes each way} Lock-free: each connection adds to striped counters once, when it closes.
   */
  public PassthroughCounters counters() {
    Map<Refusal, Long> refused = new EnumMap<>(Refusal.class);
    for (Refusal reason : Refusal.values()) {
      refused.put(reason, refusals[reason.ordinal()].sum());
    }
    Map<Outcome, Long> ended = new EnumMap<>(Outcome.class);
    for (Outcome outcome : Outcome.values()) {
      ended.put(outcome, outcomes[outcome.ordinal()].sum());
    }
    return new PassthroughCounters(accepted.sum(), refused, ended, bytesFromClient.sum(), bytesToClient.sum());
  }

  /**
   * Stops listening and closes every open connection (their targets hear {@code CANCELLED}).
   *
   * @return a future completed once the listener and its connections are closed
   */
  public Future<Void> close() {
    closing = true;
    ContextInternal context = vertx.getOrCreateContext();
    Promise<Void> closed = context.promise();
    Channel channel = server;
    io.netty.util.concurrent.Future<?> unbound = channel == null
        ? GlobalEventExecutor.INSTANCE.newSucceededFuture(null) : channel.close();
    unbound.addListener(done -> channels.close().addListener(all -> closed.complete()));
    return closed.future();
  }

  VertxInternal vertx() {
    return vertx;
  }

  SniRouteTable routes() {
    return routes;
  }

  Bootstrap backends() {
    return backends;
  }

  ChannelGroup channels() {
    return channels;
  }

  boolean closing() {
    return closing;
  }

  /** Called once per accepted connection, when it is closed and accounted for. */
  void closed(ConnectionLog entry) {
    Outcome outcome = entry.outcome();
    Refusal refusal = entry.refusal();
    if (outcome != null) {
      outcomes[outcome.ordinal()].increment();
    } else if (refusal != null) {
      refusals[refusal.ordinal()].increment();
    }
    bytesFromClient.add(entry.bytesFromClient());
    bytesToClient.add(entry.bytesToClient());
    open.decrementAndGet();
    try {
      log.accept(entry);
    } catch (RuntimeException e) {
      // The caller's consumer failing must not leak the connection's accounting.
      Thread thread = Thread.currentThread();
      thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
    }
  }
}
