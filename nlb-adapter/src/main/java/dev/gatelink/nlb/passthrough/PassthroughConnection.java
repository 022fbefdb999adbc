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
import io.netty.channel.ChannelOutboundBuffer;
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
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One client connection of a {@link TlsPassthroughListener}: its ClientHello read, its route, its endpoint
 * connection, the relay between the two, and its single report. Every method runs on the client channel's event
 * loop, which the endpoint connection shares, so the state needs no lock.
 *
 * <p>The relay copies through buffers until the endpoint connection is made and the ClientHello (and PROXY
 * header) written to it; then, where both channels are epoll channels and zero copy is on, each direction is
 * handed to Netty's splice ({@link EpollSplice}): bytes go from one socket to a pipe to the other socket without
 * entering the JVM, each read waits for the previous pipe-full to be written (Netty pauses reading meanwhile), and
 * what was already queued is written first. A spliced direction is counted by a {@link ReadCounter}; its end of
 * stream needs care, see {@link Flow}. A channel a splice writes into is closed only with (or after) the channel
 * it reads from: Netty leaves the splice of a reading channel pointed at the pipe descriptors of a closed one,
 * whose numbers the kernel may give to another connection's pipe.
 *
 * <p>Accounting: the connection is finished (counts released, outcome reported, log delivered) once the client
 * channel is closed and the endpoint attempt, if any, is over: the selection failed, the connect failed, or the
 * endpoint channel is closed.
 */
final class PassthroughConnection {
  private final TlsPassthroughListener listener;
  private final Channel client;
  private final long startNanos = System.nanoTime();
  private final Flow fromClient = new Flow(true);
  private final Flow fromBackend = new Flow(false);
  private @Nullable HelloInspector inspector;
  private @Nullable IdleStateHandler idle;
  private @Nullable String serverName;
  private List<String> offeredAlpn = List.of();
  private SniRouteTable.@Nullable Entry route;
  private @Nullable Endpoint endpoint;
  /** The endpoint channel while connecting and once connected. */
  private @Nullable Channel backend;
  private boolean connected;
  /** Bytes read from the client while the endpoint connection is being made. */
  private @Nullable CompositeByteBuf pending;
  private boolean routed;
  private boolean holdsTargetSlot;
  /** The bytes read from the client and held while the endpoint connection is made, before reading pauses. */
  private static final int PENDING_LIMIT = 64 * 1024;
  private boolean zeroCopy;
  /** Whether both channels can splice: epoll channels on one event loop, their read counters installed. */
  private boolean canSplice;
  /** Whether this connection closes (or closed) the client channel, or the endpoint channel: else Netty did. */
  private boolean closingClient;
  private boolean closingBackend;
  private @Nullable Outcome outcome;
  private @Nullable Refusal refusal;
  /** The client channel and the endpoint attempt, while open. */
  private int live = 1;
  private boolean finished;

  /**
   * One direction of the relay, named by the channel it reads from. Copied, its input ends with Netty's
   * {@link ChannelInputShutdownEvent} after the last byte was read. Spliced, Netty shuts the input as soon as the
   * peer's FIN is seen ({@code EPOLLRDHUP}) while bytes may still wait in the socket, and then keeps the socket
   * readable: the direction is {@link #ending} until a read loop splices nothing while nothing spliced earlier is
   * still to be written (so the pipe was empty, and nothing came because the stream is at its end); only then it
   * has {@link #ended}, stops reading and passes the end on.
   */
  private final class Flow {
    private final boolean fromClient;
    /** Bytes read into buffers and relayed. */
    long copied;
    /** Bytes copied in the current read loop. */
    int loopCopied;
    /** Counts the spliced bytes; null until installed, and where the channel cannot splice. */
    @Nullable ReadCounter spliceReads;
    /** Whether the source's splice was started: it may run until the source is closed. */
    boolean spliced;
    boolean ending;
    boolean ended;

    Flow(boolean fromClient) {
      this.fromClient = fromClient;
    }

    @Nullable Channel source() {
      return fromClient ? client : backend;
    }

    /** {@return the channel written to, once there is one to write to} */
    @Nullable Channel target() {
      return fromClient ? (connected ? backend : null) : client;
    }

    long bytes() {
      ReadCounter counter = spliceReads;
      return copied + (counter == null ? 0 : counter.total);
    }
  }

  PassthroughConnection(TlsPassthroughListener listener, Channel client) {
    this.listener = listener;
    this.client = client;
    client.closeFuture().addListener(closed -> clientClosed());
  }

  /** Closes a connection accepted over the listener's limit (or while it closes). */
  void refuseAtAccept() {
    refusal = Refusal.TOO_MANY_CONNECTIONS;
    closeClient();
  }

  /** Starts reading the ClientHello. */
  void begin() {
    TlsPassthroughOptions options = listener.options();
    if (options.zeroCopy() && EpollSplice.canSplice(client)) {
      fromClient.spliceReads = ReadCounter.install(client);
    }
    HelloInspector hello = new HelloInspector(this, options.helloTimeout().toMillis());
    this.inspector = hello;
    IdleStateHandler timer = new IdleStateHandler(options.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    this.idle = timer;
    client.pipeline()
        .addLast("idle", timer)
        .addLast("hello", hello)
        .addLast("client", new ClientSide());
  }

  /** What came was no ClientHello, a malformed one, or a record longer than TLS allows: refuse. */
  void helloRefused() {
    refuse(Refusal.NOT_TLS);
  }

  /**
   * The ClientHello was read: route, or refuse.
   *
   * @param hello the hello, valid during this call only
   * @param alpnFrom where the ALPN protocol list's entries start in {@code hello}
   * @param alpnTo where they end; {@code alpnFrom} when it offers none
   */
  void helloRead(ChannelHandlerContext ctx, @Nullable String name, ByteBuf hello, int alpnFrom, int alpnTo) {
    serverName = name;
    offeredAlpn = HelloInspector.protocols(hello, alpnFrom, alpnTo);
    SniRouteTable.Entry entry = listener.routes().find(name, hello, alpnFrom, alpnTo);
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
    // The client keeps being read while the endpoint connection is made (a client rarely sends more before the
    // server's answer), into pending, up to PENDING_LIMIT: no epoll registration change per connection.
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
      closeClient();
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
      closeClient();
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
        closeClient();
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
      closingBackend = true;
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
    if (fromClient.ended) {
      shutdownOutputAfterWrites(channel);
    }
    ReadCounter clientReads = fromClient.spliceReads;
    canSplice = clientReads != null && clientReads.used && fromBackend.spliceReads != null
        && channel.eventLoop() == client.eventLoop();
    if (canSplice && listener.options().zeroCopyReadThreshold() == 0) {
      // What was written above goes first: a splice queues its writes behind it.
      zeroCopy = true;
      splice(fromClient);
      splice(fromBackend);
      client.config().setAutoRead(true);
    } else if (!channel.isWritable() || !client.config().isAutoRead()) {
      client.config().setAutoRead(channel.isWritable());
    }
  }

  /**
   * After a copied read loop: a loop that brought at least the threshold is bulk traffic, whose direction goes on
   * spliced. The switch runs after the loop, once a shut input it ended with has been seen (a direction that ended
   * is not spliced), and only while its target takes writes (else at a later loop): a splice queues its writes
   * behind those already queued, so the order holds.
   */
  private void maybeSplice(Flow flow) {
    int loop = flow.loopCopied;
    flow.loopCopied = 0;
    if (!canSplice || flow.spliced || loop < listener.options().zeroCopyReadThreshold()) {
      return;
    }
    client.eventLoop().execute(() -> {
      Channel from = flow.source();
      Channel to = flow.target();
      if (finished || flow.spliced || flow.ended || from == null || to == null || !from.isActive()
          || !to.isActive() || !to.isWritable()) {
        return;
      }
      zeroCopy = true;
      splice(flow);
      from.config().setAutoRead(true);
    });
  }

  private void splice(Flow flow) {
    Channel from = flow.source();
    Channel to = flow.target();
    ReadCounter counter = flow.spliceReads;
    if (flow.ended || from == null || to == null || counter == null) {
      return;
    }
    // From now on the source's splice may run until the source is closed: Netty keeps it queued after a failed
    // write, and even after a failed read (which removes it) reads go through the counter. So both stay set.
    flow.spliced = true;
    counter.counting = true;
    EpollSplice.spliceTo(from, to).addListener(stopped -> {
      if (!(stopped.cause() instanceof ClosedChannelException)) {
        // Not a close: a read failed (the kernel reports a reset once: the copy read after it sees an end of
        // stream), or a pipe could not be made, or a write failed (then Netty closed the target, which set the
        // outcome already). This runs inside the source's read loop, which goes on reading after it: end the
        // connection once the loop is over.
        if (outcome == null) {
          outcome = flow.fromClient ? Outcome.CANCELLED : Outcome.RESET;
        }
        from.eventLoop().execute(this::spliceFailed);
      }
    });
  }

  private void spliceFailed() {
    if (finished) {
      return;
    }
    if (outcome == null) {
      outcome = Outcome.CANCELLED;
    }
    closeClient();
    Channel channel = backend;
    if (channel != null) {
      closingBackend = true;
      channel.close();
    }
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
    closeClient();
  }

  private void closeClient() {
    closingClient = true;
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
      if (outcome == null && (!connected || !closingClient)) {
        // It left while the endpoint connection was being made, or its connection failed under Netty.
        outcome = Outcome.CANCELLED;
      }
      if (fromBackend.spliced && !fromBackend.ended) {
        // The endpoint channel splices into the client's pipe, now closed: it must not read again.
        closingBackend = true;
        channel.close();
      } else {
        closeAfterWrites(channel);
      }
    } else if (endpoint == null && refusal == null) {
      refusal = Refusal.CLIENT_GONE;
    }
    maybeFinish();
  }

  private void backendClosed() {
    live--;
    backend = null;
    if (outcome == null && !closingBackend) {
      // Netty closed it: a write to the endpoint failed (or the listener is closing).
      outcome = listener.closing() ? Outcome.CANCELLED : Outcome.RESET;
    }
    if (client.isActive()) {
      if (fromClient.spliced && !fromClient.ended) {
        // The client channel splices into the endpoint's pipe, now closed: it must not read again.
        closeClient();
      } else {
        closeAfterWrites(client);
      }
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
    listener.closed(new ConnectionLog(client.remoteAddress(), serverName, offeredAlpn,
        taken == null ? null : taken.name, taken == null ? null : taken.alpn, picked, fromClient.bytes(),
        fromBackend.bytes(), zeroCopy, Duration.ofNanos(System.nanoTime() - startNanos), reported,
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

  /** A direction's input was shut: once its bytes are all passed on, shut the other side's output. */
  private void inputShut(Flow flow) {
    if (flow.spliced) {
      flow.ending = true;
      // The read loop that shut it ends with channelReadComplete, which looks at what it spliced.
      return;
    }
    ended(flow);
  }

  private void ended(Flow flow) {
    flow.ended = true;
    Channel to = flow.target();
    if (to != null) {
      shutdownOutputAfterWrites(to);
    }
    if (fromClient.ended && fromBackend.ended) {
      closeAfterWrites(client);
      Channel channel = backend;
      if (channel != null) {
        closeAfterWrites(channel);
      }
    }
  }

  /** After a read loop of a spliced direction: the idle timer, and the end of its stream. */
  private void splicedReadComplete(Flow flow) {
    ReadCounter counter = flow.spliceReads;
    Channel from = flow.source();
    IdleStateHandler timer = idle;
    if (counter == null || from == null) {
      return;
    }
    if (counter.loop > 0 && timer != null) {
      timer.resetReadTimeout();
    }
    if (flow.ended) {
      // Netty turns reading back on when a splice's last write completes; the stream is over.
      from.config().setAutoRead(false);
      return;
    }
    if (!flow.ending || counter.loop > 0) {
      return;
    }
    Channel to = flow.target();
    ChannelOutboundBuffer queued = to == null ? null : to.unsafe().outboundBuffer();
    if (to != null && queued != null && !queued.isEmpty()) {
      // This loop may have found the pipe full rather than the stream over: read again once it is written.
      from.config().setAutoRead(false);
      to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
        if (!flow.ended && from.isActive()) {
          from.config().setAutoRead(true);
        }
      });
      return;
    }
    from.config().setAutoRead(false);
    ended(flow);
  }

  private void closeAfterWrites(Channel channel) {
    if (channel == client) {
      closingClient = true;
    } else {
      closingBackend = true;
    }
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
      if (!fromClient.spliced) {
        fromClient.copied += data.readableBytes();
        fromClient.loopCopied += data.readableBytes();
      }
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
        if (held.readableBytes() >= PENDING_LIMIT) {
          // Until the endpoint connection is made, at most this much is held; then reading resumes.
          client.config().setAutoRead(false);
        }
      } else {
        data.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      Channel channel = backend;
      if (!connected || channel == null) {
        return;
      }
      if (fromClient.spliced) {
        splicedReadComplete(fromClient);
      } else {
        channel.flush();
        maybeSplice(fromClient);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      Channel channel = backend;
      if (connected && channel != null && !fromBackend.spliced) {
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
        inputShut(fromClient);
      } else if (event instanceof IdleStateEvent) {
        if (!routed) {
          refuse(Refusal.HELLO_TIMEOUT);
          return;
        }
        if (outcome == null) {
          outcome = Outcome.TIMEOUT;
        }
        closeClient();
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
      closeClient();
    }
  }

  /** The endpoint channel's handler: relays what the endpoint sends. */
  private final class BackendSide extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      // Added when the channel is registered, before it connects and reads.
      if (fromClient.spliceReads != null && EpollSplice.canSplice(ctx.channel())) {
        fromBackend.spliceReads = ReadCounter.install(ctx.channel());
      }
    }

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
      if (!fromBackend.spliced) {
        fromBackend.copied += data.readableBytes();
        fromBackend.loopCopied += data.readableBytes();
      }
      client.write(data, client.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (fromBackend.spliced) {
        splicedReadComplete(fromBackend);
        return;
      }
      IdleStateHandler timer = idle;
      if (timer != null) {
        timer.resetReadTimeout();
      }
      client.flush();
      maybeSplice(fromBackend);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (client.isActive() && !fromClient.spliced) {
        client.config().setAutoRead(ctx.channel().isWritable());
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        inputShut(fromBackend);
      }
      ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (outcome == null) {
        outcome = Outcome.RESET;
      }
      closingBackend = true;
      ctx.close();
    }
  }
}
