package dev.gatelink.nlb.passthrough;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Counts the bytes a channel reads while they are spliced, which no handler sees: it wraps the handle of the
 * channel's own {@link RecvByteBufAllocator}, which Netty tells of every read, spliced ones included
 * ({@code lastBytesRead}), and which it resets at the start of each read loop. One per channel, installed before
 * its first read.
 */
// Netty deprecates the Handle interface in favour of ExtendedHandle, which extends it.
@SuppressWarnings("deprecation")
final class ReadCounter extends RecvByteBufAllocator.DelegatingHandle
    implements RecvByteBufAllocator, RecvByteBufAllocator.ExtendedHandle {
  /** Whether reads are counted: while the channel's bytes are spliced. */
  boolean counting;
  /** The bytes counted. */
  long total;
  /** The bytes counted in the current (or last) read loop. */
  int loop;
  /** Whether the channel has read through this handle. */
  boolean used;

  private ReadCounter(RecvByteBufAllocator.Handle delegate) {
    super(delegate);
  }

  /**
   * Installs a counter on a channel that has not read yet.
   *
   * @param channel the channel
   * @return the counter, or null when the channel's allocator gives handles Netty's native transports cannot use
   */
  static @Nullable ReadCounter install(Channel channel) {
    RecvByteBufAllocator.Handle handle = channel.config().getRecvByteBufAllocator().newHandle();
    if (!(handle instanceof RecvByteBufAllocator.ExtendedHandle)) {
      return null;
    }
    ReadCounter counter = new ReadCounter(handle);
    channel.config().setRecvByteBufAllocator(counter);
    return counter;
  }

  @Override
  public RecvByteBufAllocator.ExtendedHandle newHandle() {
    return this;
  }

  @Override
  public void reset(ChannelConfig config) {
    used = true;
    loop = 0;
    super.reset(config);
  }

  @Override
  public void lastBytesRead(int bytes) {
    if (counting && bytes > 0) {
      total += bytes;
      loop += bytes;
    }
    super.lastBytesRead(bytes);
  }

  @Override
  public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
    return ((RecvByteBufAllocator.ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
  }
}
