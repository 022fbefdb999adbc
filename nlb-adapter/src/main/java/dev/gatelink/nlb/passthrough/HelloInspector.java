package dev.gatelink.nlb.passthrough;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a connection's TLS ClientHello with Netty's {@link AbstractSniHandler} (which neither consumes nor
 * decrypts it, and closes the connection when no complete hello comes within the timeout or when the hello is
 * longer than the limit), and hands the server name to its {@link PassthroughConnection}. Netty hands on
 * "no hello" (bytes that are not a TLS handshake record, an SSLv2-style hello, another handshake message, a
 * malformed hello) the same way as "a hello without a server name"; the inspector tells them apart, so that the
 * first is refused rather than sent to the default route.
 *
 * <p>Once routed, the connection removes the inspector, and Netty passes the bytes it held (the hello, and
 * anything after it) to the next handler. Once refused, it discards what it holds and what comes after.
 */
final class HelloInspector extends AbstractSniHandler<@Nullable Void> {
  /** The longest ClientHello read: 64 KiB, Netty's default, far above real hellos (a few KiB). */
  static final int MAX_HELLO_LENGTH = 64 * 1024;

  private final PassthroughConnection connection;
  private boolean helloFound;
  private boolean refused;

  HelloInspector(PassthroughConnection connection, long timeoutMillis) {
    super(MAX_HELLO_LENGTH, timeoutMillis);
    this.connection = connection;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (!refused) {
      super.decode(ctx, in, out);
    }
    if (refused) {
      in.skipBytes(in.readableBytes());
    }
  }

  @Override
  protected Future<@Nullable Void> lookup(ChannelHandlerContext ctx, @Nullable ByteBuf clientHello)
      throws Exception {
    helloFound = clientHello != null;
    return super.lookup(ctx, clientHello);
  }

  @Override
  protected Future<@Nullable Void> lookup(ChannelHandlerContext ctx, @Nullable String hostname) {
    return ctx.executor().newSucceededFuture(null);
  }

  @Override
  protected void onLookupComplete(ChannelHandlerContext ctx, @Nullable String hostname,
      Future<@Nullable Void> future) {
    if (!refused) {
      connection.helloRead(ctx, helloFound, hostname);
    }
  }

  /** Discards whatever the connection sent and will send: it is refused. */
  void refuse() {
    refused = true;
  }
}
