package dev.gatelink.benchmarks.routing;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@link #SIZE} pre-built requests (method and raw path, percent-escapes and any query included) that a benchmark cycles through with
 * {@code i = (i + 1) & MASK}, with what each must match: the expected route (null for a miss) and its path
 * parameters.
 */
public final class RequestSet {

  public static final int SIZE = 1024;
  public static final int MASK = SIZE - 1;

  public final String name;
  public final String[] methods;
  public final String[] paths;
  private final RouteSpec[] expected;
  private final List<Map<String, String>> expectedParameters;

  RequestSet(String name, String[] methods, String[] paths, RouteSpec[] expected,
      List<Map<String, String>> expectedParameters) {
    if (methods.length != SIZE || paths.length != SIZE || expected.length != SIZE
        || expectedParameters.size() != SIZE) {
      throw new IllegalArgumentException(name + ": a request set has exactly " + SIZE + " requests");
    }
    this.name = name;
    this.methods = methods;
    this.paths = paths;
    this.expected = expected;
    this.expectedParameters = Collections.unmodifiableList(expectedParameters);
  }

  /** The route request {@code i} must match, or null if it must miss. */
  public RouteSpec expected(int i) {
    return expected[i];
  }

  /** The path parameters request {@code i} must produce (empty for literal routes and misses). */
  public Map<String, String> expectedParameters(int i) {
    return expectedParameters.get(i);
  }

  /** How many distinct (method, path) pairs the set holds. */
  public int distinct() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < SIZE; i++) {
      seen.add(methods[i] + ' ' + paths[i]);
    }
    return seen.size();
  }

  /** How many requests have a percent-escape in their path (before any query). */
  public int escaped() {
    int n = 0;
    for (String path : paths) {
      int query = path.indexOf('?');
      int escape = path.indexOf('%');
      n += escape >= 0 && (query < 0 || escape < query) ? 1 : 0;
    }
    return n;
  }

  /** How many requests carry a query string. */
  public int withQuery() {
    int n = 0;
    for (String path : paths) {
      n += path.indexOf('?') >= 0 ? 1 : 0;
    }
    return n;
  }

  /** "METHOD /path" of request {@code i}, for failure messages. */
  public String describe(int i) {
    return name + "[" + i + "] " + methods[i] + " " + paths[i];
  }
}
