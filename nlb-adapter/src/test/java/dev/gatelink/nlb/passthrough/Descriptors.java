package dev.gatelink.nlb.passthrough;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * This JVM's open file descriptors, from {@code /proc/self/fd}: those a relay could leak (sockets, pipes, epoll and
 * event descriptors), not files (the JVM opens jars and libraries as classes load, for good).
 */
final class Descriptors {
  private Descriptors() {}

  /** {@return the open sockets, pipes and anonymous inodes} */
  static long notFiles() {
    return targets().stream().filter(target -> !target.startsWith("/")).count();
  }

  /** {@return the open pipe ends: Netty's splice makes one pipe (two ends) per channel it writes into} */
  static long pipes() {
    return targets().stream().filter(target -> target.startsWith("pipe:")).count();
  }

  /** {@return the soft limit on open files, as this JVM runs with it (it raises it to the hard limit)} */
  static long maxOpenFiles() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no 'Max open files' line in /proc/self/limits");
  }

  private static List<String> targets() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          // Closed since it was listed (the directory's own descriptor, among others).
          return "/closed";
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
