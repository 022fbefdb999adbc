package dev.gatelink.nlb.passthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What Netty 4.2.9's {@link SslClientHelloHandler} does with hellos split across records, which is why
 * {@link HelloInspector} hands it only whole hellos and refuses a split handshake header itself. These tests pin
 * Netty's behaviour: when one fails after an upgrade, the inspector's workarounds may go.
 */
class NettyClientHelloTest {
  /** Netty's handler, recording each hello (or null: "no hello") it hands on. */
  private static final class Recorder extends SslClientHelloHandler<@Nullable Void> {
    final List<byte @Nullable []> hellos = new ArrayList<>();

    Recorder() {
      super(HelloInspector.MAX_HELLO_LENGTH);
    }

    @Override
    protected Future<@Nullable Void> lookup(ChannelHandlerContext ctx, @Nullable ByteBuf clientHello) {
      hellos.add(clientHello == null ? null : io.netty.buffer.ByteBufUtil.getBytes(clientHello));
      return ctx.executor().newSucceededFuture(null);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<@Nullable Void> future) {
      ctx.pipeline().remove(this);
    }
  }

  @Test
  void nettyTakesAHelloSplitAcrossRecordsForWholeWhileItsLastBytesAreMissing() throws Exception {
    byte[] record = Hellos.jdk("api.example.test");
    byte[] split = Hellos.split(record, 100);
    byte[] body = Arrays.copyOfRange(record, 9, record.length);
    // All but the last 3 bytes have come; the buffer holds other bytes after them (as a pooled buffer may).
    ByteBuf received = Unpooled.buffer(split.length + 16);
    received.writeBytes(split, 0, split.length - 3);
    received.setBytes(received.writerIndex(), new byte[] {'X', 'X', 'X'});
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = new EmbeddedChannel(recorder);

    channel.writeInbound(received);

    assertThat(recorder.hellos).hasSize(1);
    byte[] read = recorder.hellos.get(0);
    assertThat(Arrays.copyOf(read, body.length - 3)).isEqualTo(Arrays.copyOf(body, body.length - 3));
    assertThat(Arrays.copyOfRange(read, body.length - 3, body.length)).containsExactly('X', 'X', 'X');
    channel.finishAndReleaseAll();
  }

  @Test
  void nettyReadsTheHandshakeHeaderOfAHelloFromItsFirstRecordOnly() throws Exception {
    byte[] record = Hellos.jdk("api.example.test");
    // One byte of the header: the next record's header is read as the length, 0x160303, over the limit.
    Recorder tooLong = new Recorder();
    EmbeddedChannel first = new EmbeddedChannel(tooLong);
    assertThatThrownBy(() -> first.writeInbound(Unpooled.wrappedBuffer(Hellos.split(record, 1))))
        .isInstanceOf(TooLongFrameException.class).hasMessage("ClientHello length exceeds 65536: 1442563");
    assertThat(tooLong.hellos).isEmpty();
    first.finishAndReleaseAll();
    // Two or three bytes of it: no hello at all.
    for (int firstLength : List.of(2, 3)) {
      Recorder none = new Recorder();
      EmbeddedChannel channel = new EmbeddedChannel(none);
      channel.writeInbound(Unpooled.wrappedBuffer(Hellos.split(record, firstLength)));
      assertThat(none.hellos).as("header split after %s bytes", firstLength).containsExactly((byte[]) null);
      channel.finishAndReleaseAll();
    }
  }
}
