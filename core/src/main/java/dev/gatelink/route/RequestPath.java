package dev.gatelink.route;

import java.util.Arrays;

/**
 * A request path split into segments and percent-decoded, in buffers that one thread reuses for every
 * lookup, so that matching allocates nothing until it builds a hit's parameter values.
 *
 * <p>The raw path is split on its slashes first and each segment is decoded afterwards, so an encoded
 * slash ({@code %2F}) stays inside its segment and can never make a new one. Decoding is strict UTF-8: a
 * malformed escape or byte sequence (including overlong forms and surrogates) marks the segment
 * {@link #MALFORMED}, and such a segment matches nothing. A segment that decodes to {@code .} or
 * {@code ..} (also as {@code ..;x}), or that holds such a piece between decoded slashes or backslashes
 * ({@code ..%2F}, {@code a%2F..}, {@code ..%5C}), is a {@link #DOT} segment: no variable captures it, so
 * no captured value holds a dot piece that a backend resolving {@code /}, {@code \} or {@code ;} could
 * climb with. Decoding happens in place: the decoded segments keep the raw
 * path's separating slashes, so a greedy variable's value is one range of {@link #chars}.
 *
 * <p>Each platform thread (a Vert.x event loop, say) creates its buffers once; a virtual thread that
 * matches creates its own on its first lookup. Buffers grow to the longest path a thread has split, up to
 * {@link #LONGEST_REUSED} characters; longer paths get buffers of their own.
 */
final class RequestPath {

  /** The segment holds a malformed escape or an invalid UTF-8 sequence. */
  static final byte MALFORMED = 1;
  /**
   * The segment decodes to {@code .} or {@code ..} (also followed by {@code ;} and parameters), or holds
   * such a piece between decoded slashes or backslashes.
   */
  static final byte DOT = 2;
  /** The segment is empty. */
  static final byte EMPTY = 4;
  /** Any of these, and no variable captures the segment. */
  static final byte UNCAPTURABLE = MALFORMED | DOT | EMPTY;
  /** The segment's hash has been computed. */
  private static final byte HASHED = 8;

  private static final ThreadLocal<RequestPath> CURRENT = ThreadLocal.withInitial(RequestPath::new);

  char[] chars = new char[256];
  int[] starts = new int[16];
  int[] ends = new int[16];
  /** Per segment: the hash of its decoded characters, as {@link String#hashCode()} computes it, once {@link #HASHED}. */
  private int[] hashes = new int[16];
  byte[] flags = new byte[16];
  /** Number of segments: 1 for {@code /}, 2 for {@code /a/}. */
  int count;
  /** Index of the last malformed or dot segment, or -1: a greedy variable may start only after it. */
  int lastUncapturable;
  /** The path last loaded; its characters up to the end of the path are also in {@link #chars}. */
  private String source = "";
  /** Whether the path held escapes, so that {@link #chars} differs from {@link #source}. */
  private boolean decoded;

  /**
   * Paths longer than this are split in buffers made for that one lookup, so that no thread keeps large
   * buffers for good (API Gateway refuses request lines over 10,240 bytes anyway).
   */
  static final int LONGEST_REUSED = 8192;

  /** Buffers for a lookup of {@code path}: this thread's, valid until its next lookup, or fresh ones. */
  static RequestPath forPath(String path) {
    return path.length() <= LONGEST_REUSED ? CURRENT.get() : new RequestPath();
  }

  /**
   * Splits and decodes a raw path; a {@code ?} ends it. A path without escapes is split in one pass over
   * the copied characters; at the first escape, the decoding pass starts again from the beginning.
   * Segment hashes are computed later, only for the segments the trie looks up as literals.
   *
   * @return false when the path does not start with {@code /} (it can match no route)
   */
  boolean load(String path) {
    int length = path.indexOf('?');
    if (length < 0) {
      length = path.length();
    }
    if (length == 0 || path.charAt(0) != '/') {
      return false;
    }
    if (chars.length < length) {
      chars = new char[Math.max(length, chars.length * 2)];
    }
    char[] c = chars;
    path.getChars(0, length, c, 0);
    count = 0;
    lastUncapturable = -1;
    source = path;
    int escape = path.indexOf('%');
    int backslash = path.indexOf('\\');
    decoded = escape >= 0 && escape < length;
    if (decoded || (backslash >= 0 && backslash < length)) {
      return splitAndDecode(c, length);
    }
    // No escapes: the segments are ranges of the path itself, found by String's vectorized search.
    int start = 1;
    while (true) {
      int end = path.indexOf('/', start);
      if (end < 0 || end > length) {
        addSegment(start, length, 0);
        return true;
      }
      addSegment(start, end, 0);
      start = end + 1;
    }
  }

  /**
   * Splits a path on its raw slashes and decodes each segment in place, noting the segments that hold a
   * separator of their own (a decoded slash, or a backslash) so that their pieces are checked for dots.
   */
  private boolean splitAndDecode(char[] c, int length) {
    int read = 1;
    int write = 1;
    while (true) {
      int start = write;
      byte flag = 0;
      boolean separatorInside = false;
      while (read < length) {
        char ch = c[read];
        if (ch == '/') {
          break;
        }
        if (ch != '%') {
          separatorInside |= ch == '\\';
          c[write++] = ch;
          read++;
          continue;
        }
        int consumed = decodeEscape(c, read, length, write);
        if (consumed < 0) {
          flag = MALFORMED;
          c[write++] = ch;
          read++;
        } else {
          separatorInside |= c[write] == '/' || c[write] == '\\';
          read += consumed & 0xFF;
          write += consumed >>> 8;
        }
      }
      if (separatorInside && holdsDotPiece(c, start, write)) {
        flag |= DOT;
      }
      addSegment(start, write, flag);
      if (read >= length) {
        return true;
      }
      c[write++] = '/';
      read++;
    }
  }

  /**
   * Whether {@code c[from, to)} is a dot piece: {@code .} or {@code ..}, also when a {@code ;} and path
   * parameters follow ({@code ..;x}), since servlet containers drop those before resolving dots.
   */
  private static boolean isDotPiece(char[] c, int from, int to) {
    if (from >= to || c[from] != '.') {
      return false;
    }
    if (from + 1 == to || c[from + 1] == ';') {
      return true;
    }
    return c[from + 1] == '.' && (from + 2 == to || c[from + 2] == ';');
  }

  /** Whether a decoded segment, cut at its slashes and backslashes, has a dot piece. */
  private static boolean holdsDotPiece(char[] c, int from, int to) {
    int pieceStart = from;
    for (int i = from; i <= to; i++) {
      if (i == to || c[i] == '/' || c[i] == '\\') {
        if (isDotPiece(c, pieceStart, i)) {
          return true;
        }
        pieceStart = i + 1;
      }
    }
    return false;
  }

  private void addSegment(int start, int end, int flag) {
    if (count == starts.length) {
      int capacity = count * 2;
      starts = Arrays.copyOf(starts, capacity);
      ends = Arrays.copyOf(ends, capacity);
      hashes = Arrays.copyOf(hashes, capacity);
      flags = Arrays.copyOf(flags, capacity);
    }
    if (end == start) {
      flag |= EMPTY;
    } else if (isDotPiece(chars, start, end)) {
      flag |= DOT;
    }
    starts[count] = start;
    ends[count] = end;
    flags[count] = (byte) flag;
    if ((flag & (MALFORMED | DOT)) != 0) {
      lastUncapturable = count;
    }
    count++;
  }

  /**
   * Decodes one UTF-8 character written as percent-escapes starting at {@code c[read] == '%'} and writes
   * it at {@code c[write]} (never past {@code read}, since escapes take more room than what they encode).
   *
   * @return {@code charsWritten << 8 | charsRead}, or -1 if the escape or the UTF-8 sequence is malformed
   */
  private static int decodeEscape(char[] c, int read, int length, int write) {
    int b0 = escapedByte(c, read, length);
    if (b0 < 0) {
      return -1;
    }
    if (b0 < 0x80) {
      c[write] = (char) b0;
      return 1 << 8 | 3;
    }
    int continuations;
    int codePoint;
    int low = 0x80;
    int high = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      continuations = 1;
      codePoint = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      continuations = 2;
      codePoint = b0 & 0x0F;
      if (b0 == 0xE0) {
        low = 0xA0; // no overlong forms
      } else if (b0 == 0xED) {
        high = 0x9F; // no surrogates
      }
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      continuations = 3;
      codePoint = b0 & 0x07;
      if (b0 == 0xF0) {
        low = 0x90; // no overlong forms
      } else if (b0 == 0xF4) {
        high = 0x8F; // nothing above U+10FFFF
      }
    } else {
      return -1;
    }
    int at = read + 3;
    for (int i = 0; i < continuations; i++) {
      int b = escapedByte(c, at, length);
      if (b < low || b > high) {
        return -1;
      }
      codePoint = codePoint << 6 | (b & 0x3F);
      low = 0x80;
      high = 0xBF;
      at += 3;
    }
    int consumed = at - read;
    if (codePoint >= 0x10000) {
      c[write] = Character.highSurrogate(codePoint);
      c[write + 1] = Character.lowSurrogate(codePoint);
      return 2 << 8 | consumed;
    }
    c[write] = (char) codePoint;
    return 1 << 8 | consumed;
  }

  /** The byte written as {@code %XY} at {@code c[at]}, or -1. */
  private static int escapedByte(char[] c, int at, int length) {
    if (at + 2 >= length) {
      return -1;
    }
    if (c[at] != '%') {
      return -1;
    }
    int high = hexDigit(c[at + 1]);
    int low = hexDigit(c[at + 2]);
    return (high | low) < 0 ? -1 : high << 4 | low;
  }

  private static int hexDigit(char c) {
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

  /**
   * The hash of segment {@code index}'s decoded characters, equal to what {@link String#hashCode()} gives
   * for them, computed on first use. Four characters per step: the multiplications by powers of 31 do not
   * wait for each other, so the chain of dependent steps is a quarter as long as String's loop.
   */
  int hash(int index) {
    byte flag = flags[index];
    if ((flag & HASHED) != 0) {
      return hashes[index];
    }
    char[] c = chars;
    int i = starts[index];
    int end = ends[index];
    int h = 0;
    for (; i + 3 < end; i += 4) {
      h = 923_521 * h + 29_791 * c[i] + 961 * c[i + 1] + 31 * c[i + 2] + c[i + 3];
    }
    for (; i < end; i++) {
      h = 31 * h + c[i];
    }
    hashes[index] = h;
    flags[index] = (byte) (flag | HASHED);
    return h;
  }

  /** Segment {@code index}, decoded. */
  String segment(int index) {
    return text(starts[index], ends[index]);
  }

  /** Segments {@code from} to the last, decoded and joined by slashes: a greedy variable's value. */
  String rest(int from) {
    return text(starts[from], ends[count - 1]);
  }

  /** Decoded text: a copy of the buffer, or, when nothing was decoded, a substring of the path itself. */
  private String text(int from, int to) {
    return decoded ? new String(chars, from, to - from) : source.substring(from, to);
  }
}
