package dev.gatelink.gateway.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Vert.x's HTTP/1.x request decoder, which also refuses a request whose body framing is ambiguous, and tells the
 * {@link FrontDoorHandler} when bytes arrive.
 *
 * <p>Netty's decoder reads a request with both {@code Content-Length} and {@code Transfer-Encoding: chunked} as
 * chunked and drops the {@code Content-Length} (RFC 9112 section 6.3 allows that, or refusing it), and reads a
 * request whose {@code Transfer-Encoding} is not {@code chunked} (such as {@code gzip}) as having no body, so
 * that its body is read as the next request: a proxy in front of the gateway that frames the same bytes the
 * other way would see different requests (request smuggling). So the framing is checked when the headers are
 * complete and before Netty frames the body ({@code isContentAlwaysEmpty} is called there); a refused request
 * becomes a decoder failure, and Netty's decoder then drops every later byte of the connection
 * ({@code BAD_MESSAGE}), so nothing after it is read as a request; the front door answers 400 and closes.
 */
final class FrontDoorDecoder extends VertxHttpRequestDecoder {
  private final FrontDoorHandler handler;

  FrontDoorDecoder(HttpServerOptions options, FrontDoorHandler handler) {
    super(options);
    this.handler = handler;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
      handler.bytesArrived();
      super.channelRead(ctx, msg);
      handler.bytesDecoded(internalBuffer().isReadable());
    } else {
      super.channelRead(ctx, msg);
    }
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage msg) {
    if (msg instanceof HttpRequest request) {
      String problem = framingProblem(request.protocolVersion(), request.headers());
      if (problem != null) {
        throw new FramingRefused(problem);
      }
    }
    return super.isContentAlwaysEmpty(msg);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    // Vert.x removes the decoder when the connection upgrades to HTTP/2 (h2c): the front door's HTTP/1.x work
    // is over.
    handler.decoderRemoved();
  }

  /**
   * What is wrong with a request's framing, or null: a {@code Transfer-Encoding} other than exactly
   * {@code chunked} (once; empty list elements aside), one with a {@code Content-Length}, or one in an HTTP/1.0
   * request.
   */
  static @Nullable String framingProblem(HttpVersion version, HttpHeaders headers) {
    List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (codings.isEmpty()) {
      return null;
    }
    String text = String.join(", ", codings);
    if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      return "both Content-Length and Transfer-Encoding '" + text + "'";
    }
    if (version.majorVersion() == 1 && version.minorVersion() == 0) {
      return "Transfer-Encoding '" + text + "' in an HTTP/1.0 request";
    }
    int chunked = 0;
    for (String coding : text.split(",", -1)) {
      String trimmed = coding.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!trimmed.equalsIgnoreCase("chunked")) {
        return "Transfer-Encoding '" + text + "' is not chunked";
      }
      chunked++;
    }
    return chunked == 1 ? null : "Transfer-Encoding '" + text + "' is not chunked";
  }

  /** A request the front door refuses for its framing; the reason is the message. */
  static final class FramingRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FramingRefused(String reason) {
      super(reason, null, false, false);
    }
  }
}
