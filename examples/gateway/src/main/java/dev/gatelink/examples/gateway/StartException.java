package dev.gatelink.examples.gateway;

/**
 * The runner could not start although its command line and file are valid: the port is in use, a target
 * failed to start. The runner prints {@code gatelink: } and the message on one line to stderr and exits with
 * {@value GatewayMain#EXIT_FAILURE}.
 */
final class StartException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what could not be done and why
   */
  StartException(String message) {
    super(message, null, false, false);
  }
}
