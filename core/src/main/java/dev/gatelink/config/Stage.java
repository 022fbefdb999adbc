package dev.gatelink.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A stage an API is deployed to: {@code $default}, served at the root, or a named stage, served under its
 * name as the first path segment ({@code /prod/orders/42}), each with its own stage variables and, when it
 * has them, its access log settings.
 *
 * <p>Immutable. Names and variables are checked as API Gateway checks them: a name is {@code $default} or 1
 * to 128 letters, digits, hyphens and underscores; a variable name is letters, digits and underscores; a
 * value matches {@code [A-Za-z0-9-._~:/?#&=,]+}; at most 100 variables. Make one with {@link #of(String)},
 * {@link #of(String, Map)} or {@link #builder(String)}.
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
  private final @Nullable AccessLogSettings accessLogSettings;

  private Stage(String name, Map<String, String> variables, @Nullable AccessLogSettings accessLogSettings) {
    this.name = name;
    this.variables = variables;
    this.accessLogSettings = accessLogSettings;
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
    return create(name, variables, null);
  }

  /**
   * A builder for a stage, for a stage with access log settings or one whose variables are added one by one.
   *
   * @param name {@code $default} or a stage name, checked by {@link Builder#build()}
   * @return a new builder without variables or access log settings
   */
  public static Builder builder(String name) {
    return new Builder(Objects.requireNonNull(name, "name"));
  }

  /** {@return a builder holding this stage's name, variables and access log settings} */
  public Builder toBuilder() {
    Builder builder = new Builder(name);
    builder.variables.putAll(variables);
    builder.accessLogSettings = accessLogSettings;
    return builder;
  }

  private static Stage create(String name, Map<String, String> variables,
      @Nullable AccessLogSettings accessLogSettings) {
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
    return new Stage(name, Collections.unmodifiableMap(copy), accessLogSettings);
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

  /** {@return the stage's access log settings; empty when the stage writes no access log} */
  public Optional<AccessLogSettings> accessLogSettings() {
    return Optional.ofNullable(accessLogSettings);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof Stage)) {
      return false;
    }
    Stage that = (Stage) other;
    return name.equals(that.name) && variables.equals(that.variables)
        && Objects.equals(accessLogSettings, that.accessLogSettings);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + variables.hashCode()) * 31 + Objects.hashCode(accessLogSettings);
  }

  @Override
  public String toString() {
    String text = variables.isEmpty() ? name : name + " " + variables;
    return accessLogSettings == null ? text : text + " " + accessLogSettings;
  }

  /**
   * Builds a {@link Stage}. Every check is made by {@link #build()}, with the same messages as
   * {@link Stage#of(String, Map)}.
   */
  public static final class Builder {
    private final String name;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private @Nullable AccessLogSettings accessLogSettings;
    // Route settings (the stage's default and per-route throttling limits, API Gateway's DefaultRouteSettings
    // and RouteSettings keyed by route key) come here with a later issue, checked by build() as well.

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Replaces the stage variables.
     *
     * @param variables the variables, kept in their iteration order
     * @return this builder
     */
    public Builder variables(Map<String, String> variables) {
      this.variables.clear();
      variables.forEach(this::variable);
      return this;
    }

    /**
     * Adds a stage variable, or replaces the value of one already given.
     *
     * @param name the variable's name: letters, digits and underscores
     * @param value its value, matching {@code [A-Za-z0-9-._~:/?#&=,]+}
     * @return this builder
     */
    public Builder variable(String name, String value) {
      variables.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets how the stage writes its access log.
     *
     * @param accessLogSettings the settings, or null to write no access log
     * @return this builder
     */
    public Builder accessLogSettings(@Nullable AccessLogSettings accessLogSettings) {
      this.accessLogSettings = accessLogSettings;
      return this;
    }

    /**
     * Checks the name and variables and builds the stage.
     *
     * @return the stage
     * @throws InvalidConfigException if the name, a variable name or a value is not valid, or there are more
     *     than {@value Stage#MAX_VARIABLES} variables
     */
    public Stage build() {
      return create(name, variables, accessLogSettings);
    }
  }
}
