package dev.gatelink.nlb.passthrough;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;

/**
 * Netty's {@code AbstractEpollStreamChannel.spliceTo(AbstractEpollStreamChannel, int)}, the native epoll
 * transport's zero-copy relay, when that transport's classes are on the class path. This module does not depend
 * on them (Vert.x declares them optional; an application that runs Vert.x on epoll adds them), so the method is
 * looked up once, when this class is loaded, and called through a method handle; without the classes no channel
 * is an epoll channel and nothing is spliced.
 */
final class EpollSplice {
  private static final @Nullable Class<?> STREAM_CHANNEL;
  private static final @Nullable MethodHandle SPLICE_TO;

  static {
    Class<?> type;
    MethodHandle spliceTo;
    try {
      type = Class.forName("io.netty.channel.epoll.AbstractEpollStreamChannel", false,
          Channel.class.getClassLoader());
      spliceTo = MethodHandles.publicLookup()
          .findVirtual(type, "spliceTo", MethodType.methodType(ChannelFuture.class, type, int.class))
          .asType(MethodType.methodType(ChannelFuture.class, Channel.class, Channel.class, int.class));
    } catch (ReflectiveOperationException | LinkageError e) {
      type = null;
      spliceTo = null;
    }
    STREAM_CHANNEL = type;
    SPLICE_TO = spliceTo;
  }

  private EpollSplice() {}

  /** {@return whether a channel is a TCP channel of the epoll transport, whose bytes can be spliced} */
  static boolean canSplice(Channel channel) {
    Class<?> type = STREAM_CHANNEL;
    return type != null && type.isInstance(channel);
  }

  /**
   * Makes Netty splice what {@code from} reads to {@code to}, from now until either channel is closed or the
   * splice fails: each read moves bytes from the socket into a pipe of {@code to} and a write moves them from the
   * pipe to {@code to}'s socket, after what is already queued there, without copying them into the JVM.
   *
   * @param from the channel read from; an epoll channel
   * @param to the channel written to; an epoll channel on the same event loop
   * @return a future that fails once the splice stops (a read or write failed, a channel was closed); it never
   *     succeeds
   */
  static ChannelFuture spliceTo(Channel from, Channel to) {
    MethodHandle spliceTo = SPLICE_TO;
    if (spliceTo == null || !canSplice(from) || !canSplice(to)) {
      throw new IllegalStateException("not epoll channels: " + from + ", " + to);
    }
    try {
      return (ChannelFuture) spliceTo.invokeExact(from, to, Integer.MAX_VALUE);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("spliceTo failed", e);
    }
  }
}
