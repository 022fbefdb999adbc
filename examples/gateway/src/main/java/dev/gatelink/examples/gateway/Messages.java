package dev.gatelink.examples.gateway;

import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import dev.gatelink.config.InvalidConfigException;

/** The one-line texts of failures, as the runner prints them after {@code gatelink: }. */
final class Messages {
  private Messages() {}

  /**
   * A configuration error located in the file: the loader's message as it is ({@code FILE: /pointer: problem}),
   * or, for an error the gateway found while compiling (no source), the file name before it.
   */
  static String located(@Nullable Path file, InvalidConfigException e) {
    return file == null || e.source() != null ? oneLine(e.getMessage()) : oneLine(file + ": " + e.getMessage());
  }

  /** The message of an unexpected failure, with its type when the message alone would say too little. */
  static String of(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "timed out";
    }
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getName();
    }
    int errno = message.indexOf(" failed with error(");
    if (message.startsWith("bind(..)") && errno >= 0 && message.indexOf("): ", errno) > 0) {
      // The native epoll transport words a bind failure as "bind(..) failed with error(-98): Address already
      // in use"; NIO says "Address already in use". Both come out as the latter.
      return oneLine(message.substring(message.indexOf("): ", errno) + 3));
    }
    return oneLine(message);
  }

  /** Keeps a message on one line, so that each failure is one line of stderr. */
  static String oneLine(@Nullable String message) {
    return message == null ? "" : message.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }
}
