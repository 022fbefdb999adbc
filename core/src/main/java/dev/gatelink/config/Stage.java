package dev.gatelink.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A stage an API is deployed to: {@code $default}, served at the root, or a named stage, served under its
 * name as the first path segment ({@code /prod/orders/42}), each with its own stage variables.
 *
 * <p>Immutable. Names and variables are checked as API Gateway checks them: a name is {@code $default} or 1
 * to 128 letters, digits, hyphens and underscores; a variable name is letters, digits and underscores; a
 * value matches {@code [A-Za-z0-9-._~:/?#&=,]+}; at most 100 variables.
 */
public final class Stage {
  /** The name of the stage served at the API's root. */
  public static final String DEFAULT_NAME = "$default";
  /** The most stage variables a stage may have (API Gateway's quota, not adjustable). */
  public static final int MAX_VARIABLES = 100;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z0-9_]+");
  private static final Pattern VARIABLE_VALUE = Pattern.compile("[A-Za-z0-9\\-._~:/?#&=,]+");

  private final String name;
  private final Map<String, String> variables;

  private Stage(String name, Map<String, String> variables) {
    this.name = name;
    this.variables = variables;
  }

  /**
   * A stage without variables.
   *
   * @param name {@code $default} or a stage name
   * @return the stage
   * @throws InvalidConfigException if the name is not valid
   */
  public static Stage of(String name) {
    return of(name, Map.of());
  }

  /**
   * A stage with variables.
   *
   * @param name {@code $default} or a stage name
   * @param variables stage variables, kept in their iteration order
   * @return the stage
   * @throws InvalidConfigException if the name, a variable name or a value is not valid, or there are more
   *     than {@value #MAX_VARIABLES} variables
   */
  public static Stage of(String name, Map<String, String> variables) {
    Objects.requireNonNull(name, "name");
    if (!DEFAULT_NAME.equals(name) && !NAME.matcher(name).matches()) {
      throw new InvalidConfigException("stage name '" + name
          + "' is not valid: expected $default or 1 to 128 letters, digits, hyphens and underscores");
    }
    if (variables.size() > MAX_VARIABLES) {
      throw new InvalidConfigException("stage '" + name + "' has " + variables.size()
          + " stage variables: expected at most " + MAX_VARIABLES);
    }
    Map<String, String> copy = new LinkedHashMap<>();
    variables.forEach((variable, value) -> {
      if (!VARIABLE_NAME.matcher(variable).matches()) {
        throw new InvalidConfigException("stage '" + name + "': stage variable name '" + variable
            + "' is not valid: expected letters, digits and underscores");
      }
      if (!VARIABLE_VALUE.matcher(value).matches()) {
        throw new InvalidConfigException("stage '" + name + "': stage variable " + variable + " value '" + value
            + "' is not valid: expected one or more of A-Z a-z 0-9 - . _ ~ : / ? # & = ,");
      }
      copy.put(variable, value);
    });
    return new Stage(name, Collections.unmodifiableMap(copy));
  }

  /** {@return the stage name} */
  public String name() {
    return name;
  }

  /** {@return true for the {@code $default} stage, served at the API's root} */
  public boolean isDefault() {
    return DEFAULT_NAME.equals(name);
  }

  /** {@return the stage variables, in their given order} */
  public Map<String, String> variables() {
    return variables;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Stage && name.equals(((Stage) other).name) && variables.equals(((Stage) other).variables);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + variables.hashCode();
  }

  @Override
  public String toString() {
    return variables.isEmpty() ? name : name + " " + variables;
  }
}
