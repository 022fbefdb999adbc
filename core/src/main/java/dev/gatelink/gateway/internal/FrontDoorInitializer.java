package dev.gatelink.gateway.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xOrH2CHandler;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The first handler of each connection the front door guards (after TLS): it waits for the connection's first
 * bytes, learns its protocol, puts the front door's handlers for that protocol in place and removes itself.
 *
 * <ul>
 *   <li>HTTP/1.x: Vert.x's request decoder is replaced by a {@link FrontDoorDecoder} (the same decoder, which
 *       also refuses ambiguous framing) and a {@link FrontDoorHandler} is put after the response encoder, where
 *       it sees requests and responses as objects, with the header clock started at the first byte.</li>
 *   <li>HTTP/2: the connection's streams are limited at once (Netty applies {@code SETTINGS_MAX_CONCURRENT_STREAMS}
 *       only once the client acknowledges the gateway's settings, which a hostile client never does); the
 *       {@code RST_STREAM} limits are Netty's, set through the server options.</li>
 * </ul>
 *
 * <p>On a cleartext server with h2c, Vert.x's {@link Http1xOrH2CHandler} tells HTTP/2's connection preface from
 * HTTP/1.x and builds the pipeline only then, with the bytes it was given: they would reach Vert.x's decoder
 * before it could be replaced. So this handler tells them apart first, holding the bytes (at most the
 * preface's 24), and for HTTP/1.x gives Vert.x's handler an empty line ({@code CRLF}) instead: it sets up
 * HTTP/1.x, and its decoder skips the line (RFC 9112 section 2.2 has servers ignore empty lines before a
 * request line), so it is replaced while it holds nothing, and the client's bytes go to the front door's
 * decoder. For HTTP/2 the preface alone goes first, so that the streams are limited before any frame is read.
 * A client that sends part of the preface and stops is closed after the header timeout; one that sends nothing
 * is closed after the idle timeout. An HTTP/2 connection gets an idle timer in this handler's place.
 */
final class FrontDoorInitializer extends ChannelInboundHandlerAdapter {
  private static final byte[] PREFACE = Http1xOrH2CHandler.HTTP_2_PREFACE.getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] EMPTY_LINE = {'\r', '\n'};

  private final FrontDoor frontDoor;
  private final HttpServerOptions server;
  private @Nullable ByteBuf held;
  private long firstByteNanos;
  private boolean detecting;
  private boolean done;
  private @Nullable ScheduledFuture<?> timer;
  private @Nullable ScheduledFuture<?> idleTimer;

  FrontDoorInitializer(FrontDoor frontDoor, HttpServerOptions server) {
    this.frontDoor = frontDoor;
    this.server = server;
  }

  /** The connection is accepted: it is closed if it sends nothing within the idle timeout. */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    idleTimer = ctx.executor().schedule(() -> {
      idleTimer = null;
      if (!done && !detecting) {
        frontDoor.log.debug("{}: nothing received in {} ms, closing", ctx.channel(),
            TimeUnit.NANOSECONDS.toMillis(frontDoor.idleTimeoutNanos));
        ctx.close();
      }
    }, frontDoor.idleTimeoutNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (done || !(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!detecting) {
      cancelIdleTimer();
      firstByteNanos = System.nanoTime();
      ChannelPipeline pipeline = ctx.pipeline();
      if (pipeline.get(Http1xOrH2CHandler.class) != null) {
        detecting = true;
      } else if (pipeline.get(FrontDoor.DECODER) instanceof VertxHttpRequestDecoder) {
        http1(ctx, bytes, false);
        return;
      } else {
        http2(ctx, bytes, 0);
        return;
      }
    }
    ByteBuf all = held == null ? bytes : compose(ctx, held, bytes);
    held = null;
    int known = Math.min(all.readableBytes(), PREFACE.length);
    for (int i = 0; i < known; i++) {
      if (all.getByte(all.readerIndex() + i) != PREFACE[i]) {
        http1(ctx, all, true);
        return;
      }
    }
    if (known == PREFACE.length) {
      http2(ctx, all, PREFACE.length);
      return;
    }
    held = all;
    if (timer == null) {
      timer = ctx.executor().schedule(() -> {
        timer = null;
        if (!done) {
          frontDoor.log.debug("{}: HTTP/2 preface not complete after {} ms, closing", ctx.channel(),
              TimeUnit.NANOSECONDS.toMillis(frontDoor.headerTimeoutNanos));
          ctx.close();
        }
      }, frontDoor.headerTimeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private static ByteBuf compose(ChannelHandlerContext ctx, ByteBuf first, ByteBuf second) {
    CompositeByteBuf both = ctx.alloc().compositeBuffer(2);
    both.addComponent(true, first);
    both.addComponent(true, second);
    return both;
  }

  /** HTTP/1.x: the front door's decoder and handler in place, then the client's bytes to the decoder. */
  private void http1(ChannelHandlerContext ctx, ByteBuf bytes, boolean viaDetector) {
    finish();
    ChannelPipeline pipeline = ctx.pipeline();
    if (viaDetector) {
      // Vert.x's detector sets up HTTP/1.x on this line, and its decoder skips it.
      ctx.fireChannelRead(Unpooled.wrappedBuffer(EMPTY_LINE));
    }
    ChannelHandler decoder = pipeline.get(FrontDoor.DECODER);
    if (!(decoder instanceof VertxHttpRequestDecoder) || decoder instanceof FrontDoorDecoder
        || pipeline.get(FrontDoor.ENCODER) == null) {
      // Not the pipeline of Vert.x 5.0.7: serving the connection unguarded would hide it, refusing it shows it.
      frontDoor.log.warn("{}: unexpected HTTP/1.x pipeline {}, closing the connection", ctx.channel(), pipeline.names());
      bytes.release();
      pipeline.remove(this);
      ctx.close();
      return;
    }
    FrontDoorHandler handler = new FrontDoorHandler(frontDoor, firstByteNanos);
    pipeline.replace(decoder, FrontDoor.DECODER, new FrontDoorDecoder(server, handler));
    pipeline.addAfter(FrontDoor.ENCODER, FrontDoor.HANDLER, handler);
    pipeline.remove(this);
    ctx.fireChannelRead(bytes);
  }

  /**
   * HTTP/2, or a protocol the front door does not guard: the first {@code prefaceLength} bytes go first, so that
   * Vert.x sets up HTTP/2, then its streams are limited, then the rest goes.
   */
  private void http2(ChannelHandlerContext ctx, ByteBuf bytes, int prefaceLength) {
    finish();
    ChannelPipeline pipeline = ctx.pipeline();
    // The idle timer takes this handler's place (first, after TLS); the bytes below still go to the handler
    // after this one, through the idle timer.
    pipeline.replace(this, FrontDoor.IDLE, frontDoor.http2IdleTimer());
    if (prefaceLength > 0) {
      ctx.fireChannelRead(bytes.readRetainedSlice(prefaceLength));
    }
    limitStreams(pipeline, frontDoor.http2MaxConcurrentStreams);
    if (bytes.isReadable()) {
      ctx.fireChannelRead(bytes);
    } else {
      bytes.release();
    }
  }

  /**
   * Applies the limit on concurrent streams to an HTTP/2 connection now, rather than once the client acknowledges
   * the gateway's settings.
   */
  static void limitStreams(ChannelPipeline pipeline, int max) {
    Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
    if (http2 != null && http2.connection().remote().maxActiveStreams() > max) {
      http2.connection().remote().maxActiveStreams(max);
    }
  }

  private void finish() {
    done = true;
    cancelIdleTimer();
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    finish();
    if (held != null) {
      held.release();
      held = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    handlerRemoved(ctx);
    ctx.fireChannelInactive();
  }
}
