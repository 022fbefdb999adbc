package dev.gatelink.alb.internal;

/**
 * Percent-decoding one character at a time, in place: {@link #decode} reads the character at an index and
 * says where the next one starts, packed in a {@code long}, so that a matcher walks a query string decoded
 * without building a {@code String}.
 *
 * <p>{@code %XX} is a byte; a valid UTF-8 sequence of escaped bytes is one character (its code point); a byte
 * that starts no valid sequence (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF or cut
 * short) is one character U+FFFD, and decoding goes on after that byte. A {@code %} not followed by two hex
 * digits is the character {@code %}. {@code +} is itself (RFC 3986), not a space.
 */
final class PercentDecoding {
  /** The character that stands for a byte that starts no valid UTF-8 sequence. */
  static final int REPLACEMENT = 0xFFFD;

  private PercentDecoding() {}

  /**
   * Decodes the character at {@code i}.
   *
   * @param s the text
   * @param i the index of the character, below {@code to}
   * @param to the end of the text, exclusive: an escape is never read past it
   * @return the character's code point and the index after it, packed: read them with {@link #unit} and
   *     {@link #next}
   */
  static long decode(CharSequence s, int i, int to) {
    char c = s.charAt(i);
    if (c != '%') {
      return pack(c, i + 1);
    }
    int b = escapedByte(s, i, to);
    if (b < 0) {
      return pack('%', i + 1);
    }
    if (b < 0x80) {
      return pack(b, i + 3);
    }
    int continuation;
    int codePoint;
    int min;
    if (b >= 0xC2 && b <= 0xDF) {
      continuation = 1;
      codePoint = b & 0x1F;
      min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      continuation = 2;
      codePoint = b & 0x0F;
      min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      continuation = 3;
      codePoint = b & 0x07;
      min = 0x10000;
    } else {
      return pack(REPLACEMENT, i + 3);
    }
    int j = i + 3;
    for (int k = 0; k < continuation; k++, j += 3) {
      int next = escapedByte(s, j, to);
      if (next < 0 || (next & 0xC0) != 0x80) {
        return pack(REPLACEMENT, i + 3);
      }
      codePoint = codePoint << 6 | next & 0x3F;
    }
    if (codePoint < min || codePoint > 0x10FFFF || codePoint >= 0xD800 && codePoint <= 0xDFFF) {
      return pack(REPLACEMENT, i + 3);
    }
    return pack(codePoint, j);
  }

  /**
   * The code point of a {@link #decode} result.
   *
   * @param decoded the result
   * @return the code point
   */
  static int unit(long decoded) {
    return (int) (decoded >>> 32);
  }

  /**
   * The index after the character of a {@link #decode} result.
   *
   * @param decoded the result
   * @return the index of the next character
   */
  static int next(long decoded) {
    return (int) decoded;
  }

  private static long pack(int unit, int next) {
    return (long) unit << 32 | next;
  }

  /** The byte of the escape {@code %XX} at {@code i}, or -1 when there is none. */
  private static int escapedByte(CharSequence s, int i, int to) {
    if (i + 2 >= to || s.charAt(i) != '%') {
      return -1;
    }
    int high = hex(s.charAt(i + 1));
    int low = hex(s.charAt(i + 2));
    return high < 0 || low < 0 ? -1 : high << 4 | low;
  }

  /** The value of an ASCII hex digit, or -1 (Character.digit would also take other scripts' digits). */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
