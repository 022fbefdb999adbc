package dev.gatelink.internal;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of decoded path-parameter values put back into an integration uri. Everything but RFC
 * 3986's unreserved characters and the sub-delimiters, {@code :} and {@code @} is escaped, {@code %}
 * included, so a value can never add a segment, a dot segment or a query to the uri it is put in, even
 * for a backend that decodes twice. A greedy value keeps its {@code /} separators.
 */
public final class PathEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathEncoding() {}

  public static void append(StringBuilder out, String value, boolean keepSlashes) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (isPathChar(c) || keepSlashes && c == '/') {
        out.append(c);
      } else {
        int end = i + 1;
        if (Character.isHighSurrogate(c) && end < value.length()) {
          end++;
        }
        for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 15]).append(HEX[b & 15]);
        }
        i = end - 1;
      }
    }
  }

  private static boolean isPathChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
  }
}
