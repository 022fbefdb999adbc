package dev.gatelink.target;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Target options as written, before a provider reads them into its own type: an OpenAPI file's
 * {@code x-gatelink-target} object (a group such as {@code optionalParameters: {zone: a}} becomes
 * {@code optionalParameters.zone}). In code, prefer the provider's typed options ({@code CloudMapOptions},
 * {@code AlbOptions}).
 *
 * <p>Only the form is checked here (names of printable ASCII, values of text); the claiming provider checks
 * the names and values themselves.
 */
public final class WrittenTargetOptions implements TargetOptions {
  /** The longest option name. */
  public static final int MAX_NAME = 300;
  /** The longest option value. */
  public static final int MAX_VALUE = 2048;

  static final WrittenTargetOptions EMPTY = new WrittenTargetOptions(Map.of(), Map.of());

  private final Map<String, String> options;
  private final Map<String, String> pointers;

  private WrittenTargetOptions(Map<String, String> options, Map<String, String> pointers) {
    this.options = options;
    this.pointers = pointers;
  }

  /** {@return a builder with no option} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Options as written, in the map's order.
   *
   * @param options names and values
   * @return the options
   * @throws TargetOptionException if a name or value is not of the form options take
   */
  public static WrittenTargetOptions of(Map<String, String> options) {
    Builder builder = builder();
    options.forEach(builder::option);
    return builder.build();
  }

  @Override
  public Map<String, String> asMap() {
    return options;
  }

  /**
   * {@return the JSON pointer of the option in the file it was read from, or null when it was not read from one}
   *
   * @param name the option's name
   */
  public @Nullable String pointer(String name) {
    return pointers.get(name);
  }

  /** {@return whether there is no option} */
  public boolean isEmpty() {
    return options.isEmpty();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof WrittenTargetOptions that && options.equals(that.options);
  }

  @Override
  public int hashCode() {
    return options.hashCode();
  }

  @Override
  public String toString() {
    return options.toString();
  }

  /** Builds {@link WrittenTargetOptions}, checking each option's form as it is added. */
  public static final class Builder {
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Map<String, String> pointers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds an option read from a file, remembering where: a provider's refusal of it points there.
     *
     * @param name as for {@link #option(String, String)}
     * @param value as for {@link #option(String, String)}
     * @param pointer the JSON pointer (RFC 6901) of its value in the file
     * @return this builder
     * @throws TargetOptionException if the name or value is not valid, or the name is given twice
     */
    public Builder option(String name, String value, String pointer) {
      option(name, value);
      pointers.put(name, Objects.requireNonNull(pointer, "pointer"));
      return this;
    }

    /**
     * Adds an option.
     *
     * @param name 1 to {@value WrittenTargetOptions#MAX_NAME} printable ASCII characters without spaces, no empty
     *     part between dots
     * @param value at most {@value WrittenTargetOptions#MAX_VALUE} characters, no control character other than tab
     * @return this builder
     * @throws TargetOptionException if the name or value is not valid, or the name is given twice
     */
    public Builder option(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || name.length() > MAX_NAME || !name.chars().allMatch(c -> c > ' ' && c < 127)) {
        throw new TargetOptionException(name, "target option '" + name + "' is not an option name: expected 1 to "
            + MAX_NAME + " printable ASCII characters without spaces");
      }
      if (name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
        throw new TargetOptionException(name, "target option '" + name + "' has an empty part between dots: "
            + "expected a name such as healthStatus or optionalParameters.zone");
      }
      if (value.length() > MAX_VALUE) {
        throw new TargetOptionException(name, "target option '" + name + "' is " + value.length()
            + " characters long: expected at most " + MAX_VALUE);
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < ' ' && c != '\t' || c == 127) {
          throw new TargetOptionException(name, "target option '" + name + "' has a control character at index "
              + i + ": expected text");
        }
      }
      if (options.containsKey(name)) {
        throw new TargetOptionException(name, "target option '" + name + "' is given twice: expected each option "
            + "once");
      }
      options.put(name, value);
      return this;
    }

    /** {@return the options} */
    public WrittenTargetOptions build() {
      return options.isEmpty() ? EMPTY : new WrittenTargetOptions(
          Collections.unmodifiableMap(new LinkedHashMap<>(options)), Map.copyOf(pointers));
    }
  }
}
