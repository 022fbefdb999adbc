package dev.gatelink.examples.gateway;

/**
 * A command line, or a file it names, that the runner cannot use: the runner prints {@code gatelink: } and the
 * message on one line to stderr and exits with {@value GatewayMain#EXIT_USAGE}.
 */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, quoting the offending flag and value, and what was expected
   */
  UsageException(String message) {
    super(message, null, false, false);
  }
}
