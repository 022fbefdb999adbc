package dev.gatelink.gateway.internal;

import dev.gatelink.filter.ResponseType;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The front door of one HTTP/1.x connection, after the response encoder: it sees each request as Netty decodes
 * it and each response as Vert.x writes it, runs the header, body and idle clocks, and answers for the front
 * door.
 *
 * <ul>
 *   <li>Header clock: from the first byte of a request (told by {@link FrontDoorDecoder}) until its head is
 *       decoded. Body clock: from each piece of a request body until the next, until the body ends. Idle clock:
 *       once a request is read, from the last byte written, while no response's head is awaited (the
 *       integration's timeout bounds that wait); when it passes the connection is closed.</li>
 *   <li>Time during which the connection is not read because the gateway paused it (Vert.x stops reading a
 *       paused request's connection once 8 messages wait) is not counted: the clock restarts when it is checked.
 *       One timer per connection at most, never more than the shorter of the head and body timeouts away, and
 *       moved only when it fires: no timer is set or cancelled per request.</li>
 *   <li>When a clock passes: 408 {@code {"message":"Request Timeout"}} if the client can take it as the answer
 *       to the late request (no earlier request waits for its response, and none of this request's response was
 *       written), else no answer; then the connection is closed.</li>
 *   <li>A request {@link FrontDoorDecoder} refused for its framing is never passed on, nor anything after it:
 *       400 {@code {"message":"Bad Request"}} once the earlier requests' responses are complete, then the
 *       connection is closed (RFC 9112 section 6.3).</li>
 * </ul>
 *
 * <p>The front door's answers carry {@code apigw-requestid} and {@code Connection: close}; the connection is then
 * half-closed (the client reads the answer and the end of the stream, its further bytes are dropped) and closed
 * after {@link FrontDoor#LINGER_MILLIS} or when the client closes (at once on TLS).
 */
final class FrontDoorHandler extends ChannelDuplexHandler {
  private static final int IDLE = 0;
  private static final int HEAD = 1;
  private static final int BODY = 2;
  private static final ClosedChannelException ANSWERED = new ClosedChannelException();

  private final FrontDoor frontDoor;
  private @Nullable ChannelHandlerContext ctx;
  /** {@link #IDLE} between requests, {@link #HEAD} while a head is coming, {@link #BODY} while a body is. */
  private int phase = HEAD;
  /**
   * When the head started, when the body last moved, or (between requests) when the request ended or a byte was
   * last written, in {@link System#nanoTime()}.
   */
  private long clock;
  /** Requests passed on whose response is not complete. */
  private int unanswered;
  /** Whether a final response head is written and its end is not. */
  private boolean responding;
  /** Whether a refused request waits for the responses to the requests before it. */
  private boolean refusing;
  /** Whether the front door answered or closed the connection: everything else on it is dropped. */
  private boolean answered;
  /** Whether the connection left HTTP/1.x (an h2c upgrade). */
  private boolean detached;
  private @Nullable ScheduledFuture<?> timer;

  /**
   * @param frontDoor the limits
   * @param firstByteNanos when the connection's first byte arrived: its first request's header clock starts there
   */
  FrontDoorHandler(FrontDoor frontDoor, long firstByteNanos) {
    this.frontDoor = frontDoor;
    this.clock = firstByteNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    arm();
  }

  /** Bytes of the connection are about to be decoded. */
  void bytesArrived() {
    if (answered || detached) {
      return;
    }
    if (phase == IDLE) {
      phase = HEAD;
      clock = System.nanoTime();
      arm();
    } else if (phase == BODY) {
      clock = System.nanoTime();
    }
  }

  /** Bytes were decoded; {@code leftover} when the decoder holds some it could not decode yet. */
  void bytesDecoded(boolean leftover) {
    if (leftover && phase == IDLE && !answered && !detached) {
      // The start of the next request's head.
      phase = HEAD;
      clock = System.nanoTime();
      arm();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (detached) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (answered || refusing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      DecoderResult result = request.decoderResult();
      if (result.isFailure() && result.cause() instanceof FrontDoorDecoder.FramingRefused refused) {
        ReferenceCountUtil.release(msg);
        refuse(refused.getMessage());
        return;
      }
      unanswered++;
      // A head Netty could not decode has no body to wait for: Vert.x answers it and closes.
      phase = result.isFailure() || msg instanceof LastHttpContent ? IDLE : BODY;
      clock = System.nanoTime();
      boolean upgrade = request.headers().contains(HttpHeaderNames.UPGRADE);
      ctx.fireChannelRead(msg);
      if (upgrade) {
        // Vert.x makes the HTTP/2 connection of an h2c upgrade as it reads the request: limit it before the
        // client's frames arrive.
        FrontDoorInitializer.limitStreams(ctx.pipeline(), frontDoor.http2MaxConcurrentStreams);
      }
      return;
    }
    if (msg instanceof LastHttpContent) {
      phase = IDLE;
      clock = System.nanoTime();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (detached) {
      ctx.write(msg, promise);
      return;
    }
    if (answered) {
      ReferenceCountUtil.release(msg);
      promise.tryFailure(ANSWERED);
      return;
    }
    boolean informational = msg instanceof HttpResponse response
        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    boolean ended = false;
    if (phase == IDLE) {
      // The request is read: the idle clock runs from the last byte written.
      clock = System.nanoTime();
    }
    if (!informational) {
      if (msg instanceof HttpResponse) {
        responding = true;
      }
      if (msg instanceof LastHttpContent) {
        responding = false;
        unanswered = Math.max(0, unanswered - 1);
        ended = true;
      }
    }
    ctx.write(msg, promise);
    if (ended && refusing && unanswered == 0) {
      answer(ResponseType.BAD_REQUEST);
    } else if (timer == null) {
      // The idle clock runs again (a response started or ended) after a wait for a response's head.
      arm();
    }
  }

  /** Refuses a request for its framing: answered at once, or after the responses to the requests before it. */
  private void refuse(String reason) {
    frontDoor.log.debug("{}: request refused: {}", channel(), reason);
    phase = IDLE;
    cancelTimer();
    if (!responding && unanswered == 0) {
      answer(ResponseType.BAD_REQUEST);
    } else {
      refusing = true;
    }
  }

  private void arm() {
    ChannelHandlerContext context = ctx;
    if (timer != null || context == null || answered || detached || phase == IDLE && !idleTimed()) {
      return;
    }
    // At most the shortest of the head and body timeouts away, so that a head or body clock that starts while
    // this timer waits (it is not moved then) is checked in time: the timer fires before that clock's end.
    long delay = Math.min(clock + timeout() - System.nanoTime(), frontDoor.shortestRequestTimeoutNanos);
    timer = context.executor().schedule(this::check, Math.max(delay, 0), TimeUnit.NANOSECONDS);
  }

  /** {@return the timeout of the current phase} */
  private long timeout() {
    return phase == HEAD ? frontDoor.headerTimeoutNanos : phase == BODY ? frontDoor.bodyTimeoutNanos
        : frontDoor.idleTimeoutNanos;
  }

  /**
   * Whether the idle clock runs: between requests, or while a response is written (a client that stops reading
   * it stalls the writes), but not while the gateway waits for a response's head, which the integration's
   * timeout bounds.
   */
  private boolean idleTimed() {
    return unanswered == 0 || responding;
  }

  private void check() {
    timer = null;
    ChannelHandlerContext context = ctx;
    if (context == null || answered || detached || phase == IDLE && !idleTimed()) {
      return;
    }
    long now = System.nanoTime();
    if (phase == IDLE) {
      if (now - clock < frontDoor.idleTimeoutNanos) {
        arm();
      } else {
        frontDoor.log.debug("{}: idle for {} ms, closing", channel(),
            TimeUnit.NANOSECONDS.toMillis(frontDoor.idleTimeoutNanos));
        answered = true;
        context.close();
      }
      return;
    }
    if (!context.channel().config().isAutoRead()) {
      // The gateway is not reading the connection: the client is not late.
      clock = now;
      arm();
      return;
    }
    boolean head = phase == HEAD;
    long timeout = timeout();
    if (now - clock < timeout) {
      arm();
      return;
    }
    boolean canAnswer = !responding && unanswered == (head ? 0 : 1);
    frontDoor.log.debug("{}: request {} not complete after {} ms, {}", channel(), head ? "head" : "body",
        TimeUnit.NANOSECONDS.toMillis(timeout), canAnswer ? "answering 408" : "closing");
    if (canAnswer) {
      answer(ResponseType.REQUEST_TIMEOUT);
    } else {
      answered = true;
      context.close();
    }
  }

  /** Answers with one of API Gateway's bodies and closes the connection. */
  private void answer(ResponseType type) {
    ChannelHandlerContext context = ctx;
    if (context == null) {
      return;
    }
    answered = true;
    refusing = false;
    phase = IDLE;
    cancelTimer();
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(type.status(), type.message()), Unpooled.wrappedBuffer(type.body()));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .set(HttpHeaderNames.CONTENT_LENGTH, type.bodyLength())
        .set(Headers.REQUEST_ID, RequestIds.next())
        .set(HttpHeaderNames.CONNECTION, "close");
    context.writeAndFlush(response).addListener(written -> linger(context));
  }

  /**
   * Ends the connection after an answer: half-closed first, so that the client reads the answer and then the end
   * of the stream while its own bytes are still read (and dropped), then closed.
   */
  private static void linger(ChannelHandlerContext context) {
    Channel channel = context.channel();
    if (channel instanceof DuplexChannel duplex && channel.isActive() && context.pipeline().get(SslHandler.class) == null) {
      duplex.shutdownOutput().addListener(done -> {
        if (!done.isSuccess()) {
          channel.close();
        }
      });
      context.executor().schedule(() -> {
        channel.close();
      }, FrontDoor.LINGER_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      channel.close();
    }
  }

  /** Vert.x removed the decoder: the connection left HTTP/1.x (h2c upgrade), or it is closing. */
  void decoderRemoved() {
    detached = true;
    cancelTimer();
    ChannelHandlerContext context = ctx;
    if (context != null && !context.isRemoved() && context.channel().isActive()) {
      ChannelPipeline pipeline = context.pipeline();
      pipeline.remove(this);
      if (pipeline.get(FrontDoor.IDLE) == null) {
        // HTTP/2 after an h2c upgrade (cleartext: nothing before it), timed as other HTTP/2 connections.
        pipeline.addFirst(FrontDoor.IDLE, frontDoor.http2IdleTimer());
      }
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private @Nullable Channel channel() {
    ChannelHandlerContext context = ctx;
    return context == null ? null : context.channel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimer();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimer();
  }
}
