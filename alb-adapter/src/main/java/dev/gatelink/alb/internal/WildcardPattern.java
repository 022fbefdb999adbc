package dev.gatelink.alb.internal;

import java.util.Arrays;

/**
 * A condition value compiled once: literal characters and the wildcards {@code *} (0 or more characters) and
 * {@code ?} (exactly 1), matched against the whole of a text. Matching reads the text in place: case folding is
 * done per character (ASCII letters only), percent-decoding per character while matching, so a match builds
 * no {@code String} and allocates nothing.
 */
final class WildcardPattern {
  /** A unit that matches exactly one character. */
  static final int ANY = -1;
  /** A unit that matches 0 or more characters. */
  static final int STAR = -2;

  private static final int EXACT = 0;
  private static final int PREFIX = 1;
  private static final int SUFFIX = 2;
  private static final int CONTAINS = 3;
  private static final int GENERAL = 4;

  private final String text;
  /** Per unit: a character (folded to lower case when case-insensitive), {@link #ANY} or {@link #STAR}. */
  private final int[] units;
  /** The literal characters of the EXACT, PREFIX, SUFFIX and CONTAINS shapes, folded. */
  private final String literal;
  private final boolean caseInsensitive;
  private final int shape;
  private final int wildcards;

  private WildcardPattern(String text, int[] units, boolean caseInsensitive, int wildcards) {
    this.text = text;
    this.units = units;
    this.caseInsensitive = caseInsensitive;
    this.wildcards = wildcards;
    int stars = 0;
    int anys = 0;
    for (int unit : units) {
      stars += unit == STAR ? 1 : 0;
      anys += unit == ANY ? 1 : 0;
    }
    int n = units.length;
    if (anys > 0 || stars > 2) {
      shape = GENERAL;
    } else if (stars == 0) {
      shape = EXACT;
    } else if (stars == 1 && units[n - 1] == STAR) {
      shape = PREFIX;
    } else if (stars == 1 && units[0] == STAR) {
      shape = SUFFIX;
    } else if (stars == 2 && n >= 2 && units[0] == STAR && units[n - 1] == STAR) {
      shape = CONTAINS;
    } else {
      shape = GENERAL;
    }
    StringBuilder literal = new StringBuilder(n);
    for (int unit : units) {
      if (unit >= 0) {
        literal.append((char) unit);
      }
    }
    this.literal = literal.toString();
  }

  /**
   * Compiles a value. The caller has checked its characters.
   *
   * @param text the value as written
   * @param caseInsensitive whether letters match either case
   * @param escapes whether {@code \*} and {@code \?} stand for the characters themselves (query strings)
   * @return the pattern
   */
  static WildcardPattern compile(String text, boolean caseInsensitive, boolean escapes) {
    int[] units = new int[text.length()];
    int n = 0;
    int wildcards = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (escapes && c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '*' || text.charAt(i + 1) == '?')) {
        units[n++] = text.charAt(++i);
      } else if (c == '*') {
        wildcards++;
        // Consecutive stars match what one star matches.
        if (n == 0 || units[n - 1] != STAR) {
          units[n++] = STAR;
        }
      } else if (c == '?') {
        wildcards++;
        units[n++] = ANY;
      } else {
        units[n++] = caseInsensitive ? fold(c) : c;
      }
    }
    return new WildcardPattern(text, Arrays.copyOf(units, n), caseInsensitive, wildcards);
  }

  /** {@return the number of wildcards written in the value, escaped ones not counted} */
  int wildcards() {
    return wildcards;
  }

  /** {@return the value as written} */
  String text() {
    return text;
  }

  /**
   * Whether the pattern matches the whole text, read as it is.
   *
   * @param s the text
   * @return whether it matches
   */
  boolean matches(CharSequence s) {
    return matches(s, 0, s.length());
  }

  /**
   * Whether the pattern matches the whole of {@code s[from, to)}, read as it is.
   *
   * @param s the text
   * @param from the first index
   * @param to the end index, exclusive
   * @return whether it matches
   */
  boolean matches(CharSequence s, int from, int to) {
    int length = to - from;
    switch (shape) {
      case EXACT:
        return length == literal.length() && regionMatches(s, from, 0, literal.length());
      case PREFIX:
        return length >= literal.length() && regionMatches(s, from, 0, literal.length());
      case SUFFIX:
        return length >= literal.length() && regionMatches(s, to - literal.length(), 0, literal.length());
      case CONTAINS:
        return contains(s, from, to);
      default:
        return general(s, from, to);
    }
  }

  /**
   * Whether the pattern matches the whole of {@code s[from, to)} percent-decoded: {@code %XX} escapes are read
   * as bytes and UTF-8 sequences as one character each, while matching. A {@code %} not followed by two hex
   * digits is itself; a byte that starts no valid UTF-8 sequence is one character U+FFFD.
   *
   * @param s the text
   * @param from the first index
   * @param to the end index, exclusive
   * @return whether it matches
   */
  boolean matchesDecoded(CharSequence s, int from, int to) {
    int[] units = this.units;
    int n = units.length;
    int p = 0;
    int i = from;
    int starP = -1;
    int starI = -1;
    while (i < to) {
      long decoded = PercentDecoding.decode(s, i, to);
      if (p < n) {
        int unit = units[p];
        if (unit == STAR) {
          starP = p++;
          starI = i;
          continue;
        }
        if (unit == ANY || unit == foldIfNeeded(PercentDecoding.unit(decoded))) {
          p++;
          i = PercentDecoding.next(decoded);
          continue;
        }
      }
      if (starP < 0) {
        return false;
      }
      // The last star takes one more character and the rest of the pattern starts again after it.
      p = starP + 1;
      starI = PercentDecoding.next(PercentDecoding.decode(s, starI, to));
      i = starI;
    }
    while (p < n && units[p] == STAR) {
      p++;
    }
    return p == n;
  }

  private boolean general(CharSequence s, int from, int to) {
    int[] units = this.units;
    int n = units.length;
    int p = 0;
    int i = from;
    int starP = -1;
    int starI = -1;
    while (i < to) {
      if (p < n) {
        int unit = units[p];
        if (unit == STAR) {
          starP = p++;
          starI = i;
          continue;
        }
        if (unit == ANY || unit == foldIfNeeded(s.charAt(i))) {
          p++;
          i++;
          continue;
        }
      }
      if (starP < 0) {
        return false;
      }
      p = starP + 1;
      i = ++starI;
    }
    while (p < n && units[p] == STAR) {
      p++;
    }
    return p == n;
  }

  private boolean contains(CharSequence s, int from, int to) {
    int m = literal.length();
    for (int start = from; start + m <= to; start++) {
      if (regionMatches(s, start, 0, m)) {
        return true;
      }
    }
    return false;
  }

  private boolean regionMatches(CharSequence s, int offset, int literalOffset, int length) {
    String literal = this.literal;
    if (caseInsensitive) {
      for (int k = 0; k < length; k++) {
        if (fold(s.charAt(offset + k)) != literal.charAt(literalOffset + k)) {
          return false;
        }
      }
    } else {
      for (int k = 0; k < length; k++) {
        if (s.charAt(offset + k) != literal.charAt(literalOffset + k)) {
          return false;
        }
      }
    }
    return true;
  }

  private int foldIfNeeded(int c) {
    return caseInsensitive ? fold(c) : c;
  }

  /**
   * Folds ASCII capital letters to lower case; leaves every other character as it is.
   *
   * @param c a character
   * @return the folded character
   */
  static int fold(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }

  @Override
  public String toString() {
    return text;
  }
}
