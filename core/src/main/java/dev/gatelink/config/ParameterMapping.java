package dev.gatelink.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One parameter mapping, parsed when the integration is built (spec sections 4.1 and 4.3):
 * {@code append:header.x-id = $context.requestId} is action {@link Action#APPEND}, target
 * {@link Target#HEADER}, name {@code x-id}, and its value.
 */
public final class ParameterMapping {
  /** What the mapping does to its target. */
  public enum Action {
    /** Adds a value (the header or parameter becomes multi-valued). */
    APPEND,
    /** Replaces every value. */
    OVERWRITE,
    /** Removes every value. */
    REMOVE
  }

  /** What the mapping changes. */
  public enum Target {
    /** A header of the backend request, or of the response. */
    HEADER,
    /** A query parameter of the backend request. */
    QUERYSTRING,
    /** The backend request's path. */
    PATH,
    /** The response's status. */
    STATUS_CODE
  }

  private final String key;
  private final Action action;
  private final Target target;
  private final @Nullable String name;
  private final @Nullable MappingValue value;

  private ParameterMapping(String key, Action action, Target target, @Nullable String name,
      @Nullable MappingValue value) {
    this.key = key;
    this.action = action;
    this.target = target;
    this.name = name;
    this.value = value;
  }

  /** Parses a key and value that {@link ParameterMappings} has checked. */
  static ParameterMapping parse(String key, String value) {
    int colon = key.indexOf(':');
    Action action = Action.valueOf(key.substring(0, colon).toUpperCase(java.util.Locale.ROOT));
    String rest = key.substring(colon + 1);
    Target target;
    String name = null;
    if (rest.startsWith("header.")) {
      target = Target.HEADER;
      name = rest.substring(7);
    } else if (rest.startsWith("querystring.")) {
      target = Target.QUERYSTRING;
      name = rest.substring(12);
    } else if (rest.equals("path")) {
      target = Target.PATH;
    } else {
      target = Target.STATUS_CODE;
    }
    return new ParameterMapping(key, action, target, name,
        action == Action.REMOVE ? null : MappingValue.parse(value));
  }

  /** {@return the key as written, such as {@code append:header.x-id}} */
  public String key() {
    return key;
  }

  /** {@return what the mapping does} */
  public Action action() {
    return action;
  }

  /** {@return what the mapping changes} */
  public Target target() {
    return target;
  }

  /** {@return the header or query parameter's name, or null for the path and the status} */
  public @Nullable String name() {
    return name;
  }

  /** {@return the value, or null for a removal} */
  public @Nullable MappingValue value() {
    return value;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ParameterMapping && key.equals(((ParameterMapping) other).key)
        && Objects.equals(value, ((ParameterMapping) other).value);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return key + "=" + (value == null ? "" : value.text());
  }
}
