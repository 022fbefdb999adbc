package dev.gatelink.config;

import org.jspecify.annotations.Nullable;

/**
 * A configuration that API Gateway would refuse, or that Gatelink cannot use: a bad field in an
 * {@link Integration}, a {@link Stage} or an {@link ApiDefinition}, or a bad element of an OpenAPI file.
 *
 * <p>The message is API. It names where the problem is (the file and the JSON pointer of the offending field
 * when the configuration came from a file), quotes the offending text, and says what is wrong and what was
 * expected, for example {@code api.yaml: /components/x-amazon-apigateway-integrations/orders/timeoutInMillis:
 * timeoutInMillis 20 is out of range: expected 50 to 30000}.
 */
public final class InvalidConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String source;
  private final @Nullable String pointer;
  private final String problem;

  /**
   * A problem with no known location, as found by a builder.
   *
   * @param problem what is wrong and what was expected, quoting the offending text
   */
  public InvalidConfigException(String problem) {
    this(null, null, problem, null);
  }

  /**
   * A problem found at a location of a file.
   *
   * @param source the file (or other named source) the configuration came from, or null
   * @param pointer the JSON pointer (RFC 6901) of the offending element, or null
   * @param problem what is wrong and what was expected, quoting the offending text
   * @param cause the exception that revealed the problem, or null
   */
  public InvalidConfigException(
      @Nullable String source, @Nullable String pointer, String problem, @Nullable Throwable cause) {
    super(messageOf(source, pointer, problem), cause);
    this.source = source;
    this.pointer = pointer;
    this.problem = problem;
  }

  /**
   * The same problem, located: used by loaders to add the file and the JSON pointer to a builder's error.
   *
   * @param source the file the configuration came from
   * @param pointer the JSON pointer of the element that carried the offending value
   * @return a new exception with this one's problem and the given location
   */
  public InvalidConfigException at(String source, String pointer) {
    return new InvalidConfigException(source, pointer, problem, this);
  }

  /** {@return the file (or other named source) the configuration came from, or null when built in code} */
  public @Nullable String source() {
    return source;
  }

  /** {@return the JSON pointer (RFC 6901) of the offending element, or null when built in code} */
  public @Nullable String pointer() {
    return pointer;
  }

  /** {@return what is wrong and what was expected, without the location} */
  public String problem() {
    return problem;
  }

  private static String messageOf(@Nullable String source, @Nullable String pointer, String problem) {
    StringBuilder message = new StringBuilder();
    if (source != null) {
      message.append(source).append(": ");
    }
    if (pointer != null) {
      message.append(pointer.isEmpty() ? "/" : pointer).append(": ");
    }
    return message.append(problem).toString();
  }
}
