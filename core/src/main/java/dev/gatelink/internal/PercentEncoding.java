package dev.gatelink.internal;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding (RFC 3986 section 2.1) with a set of ASCII characters kept as they are: every other
 * character is written as the {@code %XX} escapes of its UTF-8 bytes, upper-case hex. The sets are tables made
 * once ({@link #keeping}), so encoding is a table look-up per character, and ASCII text needs no conversion.
 */
public final class PercentEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** RFC 3986's unreserved characters: letters, digits, {@code -._~}. */
  public static final boolean[] UNRESERVED = keeping("-._~");

  private PercentEncoding() {}

  /**
   * A set of kept characters: letters, digits and {@code others}.
   *
   * @param others the other ASCII characters kept
   * @return the table, indexed by character, 128 entries
   */
  public static boolean[] keeping(String others) {
    boolean[] keep = new boolean[128];
    for (char c = 'a'; c <= 'z'; c++) {
      keep[c] = true;
      keep[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      keep[c] = true;
    }
    for (int i = 0; i < others.length(); i++) {
      keep[others.charAt(i)] = true;
    }
    return keep;
  }

  /**
   * Appends {@code text}, percent-encoded but for the characters {@code keep} holds.
   *
   * @param out where the text goes
   * @param text the text
   * @param keep the kept characters, from {@link #keeping} (or a table like it)
   */
  public static void append(StringBuilder out, String text, boolean[] keep) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 128) {
        if (keep[c]) {
          out.append(c);
        } else {
          escape(out, c);
        }
        continue;
      }
      int end = Character.isHighSurrogate(c) && i + 1 < length ? i + 2 : i + 1;
      for (byte b : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
        escape(out, b & 0xff);
      }
      i = end - 1;
    }
  }

  private static void escape(StringBuilder out, int b) {
    out.append('%').append(HEX[b >>> 4]).append(HEX[b & 15]);
  }
}
