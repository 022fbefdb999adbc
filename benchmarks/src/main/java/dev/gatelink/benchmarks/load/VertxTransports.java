package dev.gatelink.benchmarks.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code --transport} option of the benchmark's Java processes: which Netty transport their Vert.x
 * instance runs on, so that the Java peer and the backend run on the same one as Gatelink's runner.
 *
 * <p>{@code auto} picks as the runner's {@code --transport auto} does: the first of epoll, io_uring and NIO
 * that can run here. The load script asks once ({@code java -cp benchmarks.jar
 * dev.gatelink.benchmarks.load.VertxTransports auto} prints the name) and passes that name to every process.
 */
public final class VertxTransports {
  /** The names {@code --transport} accepts. */
  static final List<String> NAMES = List.of("auto", "epoll", "io_uring", "nio");

  private VertxTransports() {}

  /**
   * Prints the name of the transport that a {@code --transport} value selects here, or a message and exit
   * status 2 if it cannot run here.
   *
   * @param args one transport name
   * @throws Exception never; {@link CommandLine#run} turns a bad name into its message
   */
  public static void main(String[] args) throws Exception {
    CommandLine.run("VertxTransports auto|epoll|io_uring|nio", () -> {
      if (args.length != 1) {
        throw new IllegalArgumentException("VertxTransports: expected one transport name");
      }
      System.out.println(name(select("VertxTransports", args[0])));
    });
  }

  /**
   * Creates a Vert.x instance on the named transport.
   *
   * @param program the program's name, for messages
   * @param name one of {@link #NAMES}
   * @param eventLoops the number of event loops
   * @return the instance
   * @throws IllegalArgumentException if the name is unknown or the transport cannot run here (with why)
   */
  static Vertx vertx(String program, String name, int eventLoops) {
    return Vertx.builder()
        .with(new VertxOptions().setEventLoopPoolSize(eventLoops))
        .withTransport(select(program, name))
        .build();
  }

  private static Transport select(String program, String name) {
    return switch (name) {
      case "auto" -> usable(Transport.EPOLL) ? Transport.EPOLL
          : usable(Transport.IO_URING) ? Transport.IO_URING : Transport.NIO;
      case "io_uring" -> require(program, name, Transport.IO_URING);
      case "epoll" -> require(program, name, Transport.EPOLL);
      case "nio" -> Transport.NIO;
      default -> throw new IllegalArgumentException(program + ": option '--transport' is '" + name
          + "'; expected one of " + String.join(", ", NAMES));
    };
  }

  private static String name(Transport transport) {
    return transport == Transport.IO_URING ? "io_uring" : transport == Transport.EPOLL ? "epoll" : "nio";
  }

  private static Transport require(String program, String name, @Nullable Transport transport) {
    if (transport == null || !transport.available()) {
      throw new IllegalArgumentException(program + ": transport '" + name + "' cannot run here: "
          + (transport == null ? "its native library is missing" : transport.unavailabilityCause()));
    }
    return transport;
  }

  private static boolean usable(@Nullable Transport transport) {
    return transport != null && transport.available();
  }
}
