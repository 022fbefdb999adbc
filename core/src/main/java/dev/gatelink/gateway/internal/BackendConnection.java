package dev.gatelink.gateway.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import org.jspecify.annotations.Nullable;

/**
 * One kept-alive HTTP/1.1 connection to a backend: the last handler of a Netty channel whose pipeline is
 * {@code [SslHandler] HttpClientCodec BackendConnection}, on the event loop of the exchanges that use it.
 *
 * <p>At most one request ({@link BackendEvents}) uses it at a time (no pipelining); the connection passes that exchange the
 * response's head and body as the codec decodes them, tells it when the socket can take more of the request
 * body, and when the connection fails or closes. Informational responses (1xx) are skipped, as a proxy must.
 * Bytes that arrive while no exchange uses the connection close it.
 */
final class BackendConnection extends ChannelInboundHandlerAdapter {
  private final EndpointConnections pool;
  private final String authority;
  private @Nullable Channel channel;
  private @Nullable BackendEvents user;
  /** The response being read is informational (1xx): its head and end are dropped. */
  private boolean skippingInformational;
  /** The exchange turned reading off because the client could not take more of the response. */
  private boolean readingPaused;
  /** When the connection went back to its pool's idle stack, in its loop's tick time. */
  long idleSince;
  /** Counted in its pool's open connections: from a successful connect until the channel closes. */
  boolean counted;

  BackendConnection(EndpointConnections pool, String authority) {
    this.pool = pool;
    this.authority = authority;
  }

  /** {@return the backend's authority: the Host header for a request that has none} */
  String authority() {
    return authority;
  }

  Channel channel() {
    Channel ch = channel;
    if (ch == null) {
      throw new IllegalStateException("not connected");
    }
    return ch;
  }

  boolean isOpen() {
    Channel ch = channel;
    return ch != null && ch.isActive();
  }

  /** Hands the connection to an exchange; its events go there until {@link #unassign}. */
  void assign(BackendEvents exchange) {
    user = exchange;
  }

  /** Stops sending events to the current exchange, and reads again if that exchange had paused reading. */
  void unassign() {
    user = null;
    if (readingPaused) {
      resumeReading();
    }
  }

  /** Stops reading responses until {@link #resumeReading}: the client is slower than the backend. */
  void pauseReading() {
    if (!readingPaused) {
      readingPaused = true;
      channel().config().setAutoRead(false);
    }
  }

  void resumeReading() {
    if (readingPaused) {
      readingPaused = false;
      Channel ch = channel();
      ch.config().setAutoRead(true);
      ch.read();
    }
  }

  /** Closes the connection; its pool forgets it once the channel is closed. */
  void close() {
    user = null;
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    DecoderResult result = ((HttpObject) msg).decoderResult();
    if (result.isFailure()) {
      ReferenceCountUtil.release(msg);
      failed(ctx, new DecoderException("the backend's response is not valid HTTP/1.1", result.cause()));
      return;
    }
    if (msg instanceof HttpResponse head) {
      int status = head.status().code();
      if (status < 200) {
        if (status == 101) {
          failed(ctx, new DecoderException("the backend switched protocols (101), which a proxied request cannot"));
          ReferenceCountUtil.release(msg);
          return;
        }
        skippingInformational = true;
      } else {
        BackendEvents exchange = user;
        if (exchange == null) {
          ReferenceCountUtil.release(msg);
          ctx.close();
          return;
        }
        exchange.backendHead(head);
      }
    }
    if (msg instanceof HttpContent content) {
      boolean last = content instanceof LastHttpContent;
      if (skippingInformational) {
        content.release();
        skippingInformational = !last;
        return;
      }
      BackendEvents exchange = user;
      if (exchange == null) {
        content.release();
        ctx.close();
        return;
      }
      exchange.backendContent(content, last);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    BackendEvents exchange = user;
    if (exchange != null) {
      exchange.backendReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    BackendEvents exchange = user;
    if (exchange != null && ctx.channel().isWritable()) {
      exchange.backendWritable();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failed(ctx, cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pool.closed(this);
    BackendEvents exchange = user;
    user = null;
    if (exchange != null) {
      exchange.backendFailed(new ClosedChannelException());
    }
  }

  private void failed(ChannelHandlerContext ctx, Throwable cause) {
    BackendEvents exchange = user;
    user = null;
    ctx.close();
    if (exchange != null) {
      exchange.backendFailed(cause);
    }
  }
}
