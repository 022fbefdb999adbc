package dev.gatelink.target;

import java.util.Objects;

/**
 * A target option a provider refuses: unknown, or with a value it cannot take. It names the option, so that
 * the gateway can point at it in the file it came from ({@code x-gatelink-target/OPTION}).
 */
public class TargetOptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String option;

  /**
   * An exception about one option.
   *
   * @param option the option's name as written, such as {@code healthStatus} or {@code optionalParameters.zone}
   * @param message the whole message, naming the option, its value and what was expected
   */
  public TargetOptionException(String option, String message) {
    super(message);
    this.option = Objects.requireNonNull(option, "option");
  }

  /** {@return the option's name as written, such as {@code optionalParameters.zone}} */
  public String option() {
    return option;
  }
}
