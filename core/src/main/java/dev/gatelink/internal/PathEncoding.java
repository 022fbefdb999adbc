package dev.gatelink.internal;

/**
 * Percent-encoding of decoded path-parameter values put back into an integration uri. Everything but RFC
 * 3986's unreserved characters and the sub-delimiters, {@code :} and {@code @} is escaped, {@code %}
 * included, so a value can never add a segment, a dot segment or a query to the uri it is put in, even
 * for a backend that decodes twice. A greedy value keeps its {@code /} separators.
 */
public final class PathEncoding {
  private static final boolean[] SEGMENT = PercentEncoding.keeping("-._~!$&'()*+,;=:@");
  private static final boolean[] SEGMENTS = PercentEncoding.keeping("-._~!$&'()*+,;=:@/");

  private PathEncoding() {}

  public static void append(StringBuilder out, String value, boolean keepSlashes) {
    PercentEncoding.append(out, value, keepSlashes ? SEGMENTS : SEGMENT);
  }
}
