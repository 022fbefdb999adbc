package dev.gatelink.examples.gateway;

import io.vertx.core.transport.Transport;
import org.jspecify.annotations.Nullable;

/**
 * The network transport the runner's Vert.x instance uses: {@code --transport}.
 *
 * <p>{@link #AUTO}, the default, takes the first that can run here of epoll, io_uring and NIO: Vert.x's own
 * order for its native transport. io_uring costs less CPU per proxied request than epoll on Linux (measured,
 * see docs/benchmarks.md) and is there to be chosen with {@code --transport io_uring}; it is not the default
 * because Netty 4.2.9's io_uring transport is younger than its epoll one (one of its internal assertions does
 * not hold for a proxy's traffic, see core/pom.xml) and because a seccomp profile such as Docker's default
 * forbids its system calls.
 */
enum RunnerTransport {
  AUTO("auto"),
  EPOLL("epoll"),
  IO_URING("io_uring"),
  NIO("nio");

  final String text;

  RunnerTransport(String text) {
    this.text = text;
  }

  /** {@return the transport named by {@code --transport}, or null if none is} */
  static @Nullable RunnerTransport named(String text) {
    for (RunnerTransport transport : values()) {
      if (transport.text.equals(text)) {
        return transport;
      }
    }
    return null;
  }

  /** {@return the names, as usage and messages list them} */
  static String names() {
    StringBuilder all = new StringBuilder();
    for (RunnerTransport transport : values()) {
      all.append(all.length() == 0 ? "" : ", ").append(transport.text);
    }
    return all.toString();
  }

  /**
   * Picks the Vert.x transport to run on.
   *
   * @return the transport, always one that can run here
   * @throws StartException if a transport was named that cannot run here, with Netty's reason
   */
  Transport select() throws StartException {
    return switch (this) {
      case AUTO -> usable(Transport.EPOLL) ? Transport.EPOLL
          : usable(Transport.IO_URING) ? Transport.IO_URING : Transport.NIO;
      case IO_URING -> require(Transport.IO_URING);
      case EPOLL -> require(Transport.EPOLL);
      case NIO -> Transport.NIO;
    };
  }

  private Transport require(@Nullable Transport transport) throws StartException {
    if (!usable(transport)) {
      Throwable cause = transport == null ? null : transport.unavailabilityCause();
      throw new StartException("--transport " + text + ": cannot run here: "
          + (cause == null ? "its native library is missing" : Messages.of(cause))
          + " (--transport auto picks one that can)");
    }
    return transport;
  }

  private static boolean usable(@Nullable Transport transport) {
    return transport != null && transport.available();
  }
}
