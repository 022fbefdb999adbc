package dev.gatelink.nlb.passthrough;

import dev.gatelink.nlb.passthrough.ConnectionLog.Refusal;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.AsyncResult;
import io.vertx.core.internal.VertxInternal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One client connection of a {@link TlsPassthroughListener}: its ClientHello read, its route, its endpoint
 * connection, the relay between the two, and its single report. Every method runs on the client channel's event
 * loop, which the endpoint connection shares, so the state needs no lock.
 *
 * <p>Accounting: the connection is finished (counts released, outcome reported, log delivered) once the client
 * channel is closed and the endpoint attempt, if any, is over: the selection failed, the connect failed, or the
 * endpoint channel is closed.
 */
final class PassthroughConnection {
  private final TlsPassthroughListener listener;
  private final Channel client;
  private final long startNanos = System.nanoTime();
  private @Nullable HelloInspector inspector;
  private @Nullable String serverName;
  private SniRouteTable.@Nullable Entry route;
  private @Nullable Endpoint endpoint;
  /** The endpoint channel while connecting and once connected. */
  private @Nullable Channel backend;
  private boolean connected;
  /** Bytes read from the client while the endpoint connection is being made. */
  private @Nullable CompositeByteBuf pending;
  private boolean routed;
  private boolean holdsTargetSlot;
  private boolean clientInputShut;
  private boolean backendInputShut;
  private long bytesFromClient;
  private long bytesToClient;
  private @Nullable Outcome outcome;
  private @Nullable Refusal refusal;
  /** The client channel and the endpoint attempt, while open. */
  private int live = 1;
  private boolean finished;

  PassthroughConnection(TlsPassthroughListener listener, Channel client) {
    this.listener = listener;
    this.client = client;
    client.closeFuture().addListener(closed -> clientClosed());
  }

  /** Closes a connection accepted over the listener's limit (or while it closes). */
  void refuseAtAccept() {
    refusal = Refusal.TOO_MANY_CONNECTIONS;
    client.close();
  }

  /** Starts reading the ClientHello. */
  void begin() {
    TlsPassthroughOptions options = listener.options();
    HelloInspector hello = new HelloInspector(this, options.helloTimeout().toMillis());
    this.inspector = hello;
    client.pipeline()
        .addLast("idle", new IdleStateHandler(0, 0, options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast("hello", hello)
        .addLast("client", new ClientSide());
  }

  /** The ClientHello was read (or what came was none): route, or refuse. */
  void helloRead(ChannelHandlerContext ctx, boolean helloFound, @Nullable String name) {
    if (!helloFound) {
      refuse(Refusal.NOT_TLS);
      return;
    }
    serverName = name;
    SniRouteTable.Entry entry = listener.routes().find(name);
    if (entry == null) {
      refuse(Refusal.NO_ROUTE);
      return;
    }
    route = entry;
    if (entry.open.incrementAndGet() > listener.options().maxConnectionsPerTarget()) {
      entry.open.decrementAndGet();
      refuse(Refusal.TOO_MANY_TARGET_CONNECTIONS);
      return;
    }
    holdsTargetSlot = true;
    routed = true;
    client.config().setAutoRead(false);
    // Netty passes the bytes the inspector held (the hello, unconsumed) to ClientSide once this call returns.
    ctx.pipeline().remove(ctx.handler());
    inspector = null;
    live++;
    Endpoint now;
    try {
      now = entry.target.selectNow();
    } catch (RuntimeException e) {
      selected(null);
      return;
    }
    if (now != null) {
      connect(now);
      return;
    }
    io.vertx.core.Future<Endpoint> selecting;
    try {
      selecting = entry.target.select();
    } catch (RuntimeException e) {
      selected(null);
      return;
    }
    selecting.onComplete((AsyncResult<Endpoint> result) -> {
      Endpoint picked = result.succeeded() ? result.result() : null;
      if (client.eventLoop().inEventLoop()) {
        selected(picked);
      } else {
        client.eventLoop().execute(() -> selected(picked));
      }
    });
  }

  private void selected(@Nullable Endpoint picked) {
    if (picked == null) {
      live--;
      if (refusal == null) {
        refusal = Refusal.NO_ENDPOINT;
      }
      client.close();
      maybeFinish();
      return;
    }
    connect(picked);
  }

  private void connect(Endpoint picked) {
    endpoint = picked;
    if (!client.isActive() || listener.closing()) {
      if (outcome == null) {
        outcome = Outcome.CANCELLED;
      }
      live--;
      client.close();
      maybeFinish();
      return;
    }
    VertxInternal vertx = listener.vertx();
    SocketAddress address = vertx.transport().convert(picked.socketAddress());
    ChannelFuture connecting = listener.backends().clone(client.eventLoop())
        .handler(new BackendSide())
        .connect(address);
    Channel channel = connecting.channel();
    backend = channel;
    listener.channels().add(channel);
    connecting.addListener((ChannelFuture done) -> {
      if (!done.isSuccess()) {
        backend = null;
        if (outcome == null) {
          outcome = Outcome.CONNECT_FAILURE;
        }
        live--;
        client.close();
        maybeFinish();
        return;
      }
      channel.closeFuture().addListener(closed -> backendClosed());
      connected(channel);
    });
  }

  private void connected(Channel channel) {
    connected = true;
    if (!client.isActive()) {
      channel.close();
      return;
    }
    if (listener.options().proxyProtocol()) {
      channel.pipeline().addFirst(HAProxyMessageEncoder.INSTANCE);
      channel.write(proxyHeader());
      channel.pipeline().remove(HAProxyMessageEncoder.INSTANCE);
    }
    CompositeByteBuf held = pending;
    pending = null;
    if (held != null) {
      channel.write(held);
    }
    channel.flush();
    if (clientInputShut) {
      shutdownOutputAfterWrites(channel);
    }
    client.config().setAutoRead(channel.isWritable());
  }

  private HAProxyMessage proxyHeader() {
    InetSocketAddress source = (InetSocketAddress) client.remoteAddress();
    InetSocketAddress destination = (InetSocketAddress) client.localAddress();
    InetAddress from = source.getAddress();
    InetAddress to = destination.getAddress();
    boolean v4 = from instanceof Inet4Address && to instanceof Inet4Address;
    return new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
        v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
        v4 ? from.getHostAddress() : v6(from), v4 ? to.getHostAddress() : v6(to),
        source.getPort(), destination.getPort());
  }

  /** An address as IPv6 text: an IPv4 address mapped ({@code ::ffff:a.b.c.d}), as Netty's encoder takes it. */
  private static String v6(InetAddress address) {
    return address instanceof Inet4Address ? "::ffff:" + address.getHostAddress() : address.getHostAddress();
  }

  private void refuse(Refusal why) {
    if (refusal == null && !routed) {
      refusal = why;
    }
    HelloInspector hello = inspector;
    if (hello != null) {
      hello.refuse();
    }
    client.close();
  }

  private void clientClosed() {
    live--;
    CompositeByteBuf held = pending;
    pending = null;
    if (held != null) {
      held.release();
    }
    Channel channel = backend;
    if (channel != null) {
      if (!connected && outcome == null) {
        outcome = Outcome.CANCELLED;
      }
      closeAfterWrites(channel);
    } else if (endpoint == null && refusal == null) {
      refusal = Refusal.CLIENT_GONE;
    }
    maybeFinish();
  }

  private void backendClosed() {
    live--;
    backend = null;
    if (client.isActive()) {
      closeAfterWrites(client);
    }
    maybeFinish();
  }

  private void maybeFinish() {
    if (live > 0 || finished) {
      return;
    }
    finished = true;
    SniRouteTable.Entry taken = route;
    if (holdsTargetSlot && taken != null) {
      taken.open.decrementAndGet();
    }
    Endpoint picked = endpoint;
    Outcome reported = null;
    if (picked != null && taken != null) {
      reported = outcome != null ? outcome : listener.closing() ? Outcome.CANCELLED : Outcome.SUCCESS;
      report(taken.target, picked, reported);
    }
    listener.closed(new ConnectionLog(client.remoteAddress(), serverName, taken == null ? null : taken.name, picked,
        bytesFromClient, bytesToClient, Duration.ofNanos(System.nanoTime() - startNanos), reported,
        reported == null ? (refusal != null ? refusal : Refusal.CLIENT_GONE) : null));
  }

  private static void report(Target target, Endpoint endpoint, Outcome outcome) {
    try {
      target.report(endpoint, outcome);
    } catch (RuntimeException e) {
      Thread thread = Thread.currentThread();
      thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
    }
  }

  private void bothShut() {
    if (clientInputShut && backendInputShut) {
      closeAfterWrites(client);
      Channel channel = backend;
      if (channel != null) {
        closeAfterWrites(channel);
      }
    }
  }

  private static void closeAfterWrites(Channel channel) {
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private static void shutdownOutputAfterWrites(Channel channel) {
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
      if (channel instanceof DuplexChannel duplex) {
        duplex.shutdownOutput();
      } else {
        channel.close();
      }
    });
  }

  /** The client channel's last handler: holds or relays what the client sends. */
  private final class ClientSide extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf data) || !routed || finished) {
        ReferenceCountUtil.release(msg);
        return;
      }
      bytesFromClient += data.readableBytes();
      Channel channel = backend;
      if (connected && channel != null && channel.isActive()) {
        channel.write(data, channel.voidPromise());
      } else if (!connected) {
        CompositeByteBuf held = pending;
        if (held == null) {
          held = ctx.alloc().compositeBuffer();
          pending = held;
        }
        held.addComponent(true, data);
      } else {
        data.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      Channel channel = backend;
      if (connected && channel != null) {
        channel.flush();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      Channel channel = backend;
      if (connected && channel != null) {
        channel.config().setAutoRead(client.isWritable());
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        if (!routed) {
          refuse(Refusal.CLIENT_GONE);
          return;
        }
        clientInputShut = true;
        Channel channel = backend;
        if (connected && channel != null) {
          shutdownOutputAfterWrites(channel);
        }
        bothShut();
      } else if (event instanceof IdleStateEvent) {
        if (!routed) {
          refuse(Refusal.HELLO_TIMEOUT);
          return;
        }
        if (outcome == null) {
          outcome = Outcome.TIMEOUT;
        }
        client.close();
      } else if (event instanceof SniCompletionEvent completion && completion.cause() != null) {
        // Netty read no hello in time, or one over the length limit; it closes the connection itself.
        refuse(completion.cause() instanceof SslHandshakeTimeoutException ? Refusal.HELLO_TIMEOUT : Refusal.NOT_TLS);
      }
      ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!routed) {
        refuse(cause instanceof DecoderException ? Refusal.NOT_TLS : Refusal.CLIENT_GONE);
        return;
      }
      // The client's connection failed (reset): nothing to say of the endpoint.
      if (outcome == null) {
        outcome = Outcome.CANCELLED;
      }
      client.close();
    }
  }

  /** The endpoint channel's handler: relays what the endpoint sends. */
  private final class BackendSide extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf data)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (!client.isActive()) {
        data.release();
        return;
      }
      bytesToClient += data.readableBytes();
      client.write(data, client.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      client.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (client.isActive()) {
        client.config().setAutoRead(ctx.channel().isWritable());
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        backendInputShut = true;
        shutdownOutputAfterWrites(client);
        bothShut();
      }
      ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (outcome == null) {
        outcome = Outcome.RESET;
      }
      ctx.close();
    }
  }
}
