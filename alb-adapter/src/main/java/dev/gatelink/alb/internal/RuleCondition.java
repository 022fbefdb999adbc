package dev.gatelink.alb.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One condition of a listener rule, as written in the rule: a type and its values. Values within a
 * condition are OR-ed; the conditions of a rule are AND-ed. Values are checked when the rules are compiled
 * ({@link CompiledRules#compile(List)}), not here, so that the error can name the rule.
 */
public sealed interface RuleCondition {

  /** {@return the condition's type as the ELBv2 API names it, such as {@code path-pattern}} */
  String field();

  /** {@return how many values (match evaluations) the condition has} */
  int valueCount();

  /**
   * A {@code path-pattern} condition.
   *
   * @param values the patterns, such as {@code /img/*}
   * @return the condition
   */
  static PathPattern pathPattern(String... values) {
    return new PathPattern(Arrays.asList(values));
  }

  /**
   * A {@code host-header} condition.
   *
   * @param values the host names, such as {@code *.example.com}
   * @return the condition
   */
  static HostHeader hostHeader(String... values) {
    return new HostHeader(Arrays.asList(values));
  }

  /**
   * An {@code http-header} condition.
   *
   * @param name the header's name, such as {@code User-Agent}
   * @param values the patterns of its value, such as {@code *Chrome*}
   * @return the condition
   */
  static HttpHeader httpHeader(String name, String... values) {
    return new HttpHeader(name, Arrays.asList(values));
  }

  /**
   * An {@code http-request-method} condition.
   *
   * @param values the methods, such as {@code GET}
   * @return the condition
   */
  static HttpRequestMethod httpRequestMethod(String... values) {
    return new HttpRequestMethod(Arrays.asList(values));
  }

  /**
   * A {@code query-string} condition.
   *
   * @param values the key/value pairs or values to find
   * @return the condition
   */
  static QueryString queryString(KeyValue... values) {
    return new QueryString(Arrays.asList(values));
  }

  /**
   * A {@code source-ip} condition.
   *
   * @param values the CIDR blocks, such as {@code 192.0.2.0/24}
   * @return the condition
   */
  static SourceIp sourceIp(String... values) {
    return new SourceIp(Arrays.asList(values));
  }

  /**
   * The path of the request URL, without its query string: case-sensitive, with wildcards {@code *} (0 or more
   * characters) and {@code ?} (exactly 1).
   *
   * @param values the patterns
   */
  record PathPattern(List<String> values) implements RuleCondition {
    /** Copies the values. */
    public PathPattern {
      values = List.copyOf(values);
    }

    @Override
    public String field() {
      return "path-pattern";
    }

    @Override
    public int valueCount() {
      return values.size();
    }
  }

  /**
   * The host name in the {@code Host} header: case-insensitive, with wildcards {@code *} and {@code ?}.
   *
   * @param values the host names
   */
  record HostHeader(List<String> values) implements RuleCondition {
    /** Copies the values. */
    public HostHeader {
      values = List.copyOf(values);
    }

    @Override
    public String field() {
      return "host-header";
    }

    @Override
    public int valueCount() {
      return values.size();
    }
  }

  /**
   * The value of one HTTP header: the name and the values are case-insensitive, the values take the wildcards
   * {@code *} and {@code ?}, the name none.
   *
   * @param name the header's name
   * @param values the patterns of its value
   */
  record HttpHeader(String name, List<String> values) implements RuleCondition {
    /** Copies the values. */
    public HttpHeader {
      Objects.requireNonNull(name, "name");
      values = List.copyOf(values);
    }

    @Override
    public String field() {
      return "http-header";
    }

    @Override
    public int valueCount() {
      return values.size();
    }
  }

  /**
   * The request method: case-sensitive and exact, no wildcards.
   *
   * @param values the methods
   */
  record HttpRequestMethod(List<String> values) implements RuleCondition {
    /** Copies the values. */
    public HttpRequestMethod {
      values = List.copyOf(values);
    }

    @Override
    public String field() {
      return "http-request-method";
    }

    @Override
    public int valueCount() {
      return values.size();
    }
  }

  /**
   * Key/value pairs or values in the query string: case-insensitive, percent-decoded, with wildcards {@code *}
   * and {@code ?} ({@code \*} and {@code \?} stand for the characters themselves).
   *
   * @param values the pairs; a pair without a key matches a parameter of any key
   */
  record QueryString(List<KeyValue> values) implements RuleCondition {
    /** Copies the values. */
    public QueryString {
      values = List.copyOf(values);
    }

    @Override
    public String field() {
      return "query-string";
    }

    @Override
    public int valueCount() {
      return values.size();
    }
  }

  /**
   * The client's IP address, in one of the CIDR blocks (IPv4 or IPv6).
   *
   * @param values the CIDR blocks
   */
  record SourceIp(List<String> values) implements RuleCondition {
    /** Copies the values. */
    public SourceIp {
      values = List.copyOf(values);
    }

    @Override
    public String field() {
      return "source-ip";
    }

    @Override
    public int valueCount() {
      return values.size();
    }
  }

  /**
   * One value of a {@code query-string} condition.
   *
   * @param key the parameter's key pattern; null for any key
   * @param value the parameter's value pattern
   */
  record KeyValue(@Nullable String key, String value) {
    /** Checks that the value is there. */
    public KeyValue {
      Objects.requireNonNull(value, "value");
    }

    /**
     * A pair that matches a parameter of any key.
     *
     * @param value the value pattern
     * @return the pair that matches a parameter of any key
     */
    public static KeyValue value(String value) {
      return new KeyValue(null, value);
    }

    /**
     * A pair.
     *
     * @param key the key pattern
     * @param value the value pattern
     * @return the pair
     */
    public static KeyValue of(String key, String value) {
      return new KeyValue(key, value);
    }
  }
}
