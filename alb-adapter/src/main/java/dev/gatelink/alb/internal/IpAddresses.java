package dev.gatelink.alb.internal;

/**
 * Parses IP addresses written as text, in place and without allocating: IPv4 dotted quads ({@code 192.0.2.10},
 * each part 0 to 255 without leading zeros) and IPv6 ({@code 2001:db8::1}, with {@code ::} and an IPv4 tail
 * such as {@code ::ffff:192.0.2.10}; hex digits in either case). An IPv6 address is read in three passes
 * ({@link #isIpv6}, {@link #ipv6High}, {@link #ipv6Low}) rather than into an array.
 */
final class IpAddresses {
  private static final int VALID = 0;
  private static final int HIGH = 1;
  private static final int LOW = 2;

  private IpAddresses() {}

  /**
   * Parses an IPv4 address.
   *
   * @param s the text
   * @param from the first index
   * @param to the end index, exclusive
   * @return the address as an unsigned 32-bit value, or -1 when {@code s[from, to)} is not an IPv4 address
   */
  static long ipv4(CharSequence s, int from, int to) {
    long address = 0;
    int i = from;
    for (int part = 0; part < 4; part++) {
      if (part > 0) {
        if (i >= to || s.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
      int start = i;
      int value = 0;
      while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
      }
      if (i == start || value > 255 || i - start > 1 && s.charAt(start) == '0') {
        return -1;
      }
      address = address << 8 | value;
    }
    return i == to ? address : -1;
  }

  /**
   * Whether {@code s[from, to)} is an IPv6 address.
   *
   * @param s the text
   * @param from the first index
   * @param to the end index, exclusive
   * @return whether it is one
   */
  static boolean isIpv6(CharSequence s, int from, int to) {
    return ipv6(s, from, to, VALID) == 1;
  }

  /** The high 64 bits of the IPv6 address {@code s[from, to)}, which {@link #isIpv6} accepted. */
  static long ipv6High(CharSequence s, int from, int to) {
    return ipv6(s, from, to, HIGH);
  }

  /** The low 64 bits of the IPv6 address {@code s[from, to)}, which {@link #isIpv6} accepted. */
  static long ipv6Low(CharSequence s, int from, int to) {
    return ipv6(s, from, to, LOW);
  }

  /**
   * One pass over an IPv6 address: groups before {@code ::} go into one 128-bit accumulator, groups after it
   * into another, and the first is shifted over the groups that {@code ::} stands for.
   */
  private static long ipv6(CharSequence s, int from, int to, int what) {
    long leftHigh = 0;
    long leftLow = 0;
    long rightHigh = 0;
    long rightLow = 0;
    int left = 0;
    int right = 0;
    boolean compressed = false;
    int i = from;
    if (to - from >= 2 && s.charAt(from) == ':' && s.charAt(from + 1) == ':') {
      compressed = true;
      i += 2;
    } else if (i >= to || s.charAt(i) == ':') {
      return 0;
    }
    while (i < to) {
      int start = i;
      int group = 0;
      while (i < to && i - start < 5 && hex(s.charAt(i)) >= 0) {
        group = group << 4 | hex(s.charAt(i));
        i++;
      }
      if (i < to && s.charAt(i) == '.') {
        // An IPv4 tail: the last 32 bits, two groups.
        long v4 = ipv4(s, start, to);
        if (v4 < 0) {
          return 0;
        }
        for (int half = 0; half < 2; half++) {
          int g = (int) (half == 0 ? v4 >>> 16 : v4 & 0xFFFF);
          if (compressed) {
            rightHigh = rightHigh << 16 | rightLow >>> 48;
            rightLow = rightLow << 16 | g;
            right++;
          } else {
            leftHigh = leftHigh << 16 | leftLow >>> 48;
            leftLow = leftLow << 16 | g;
            left++;
          }
        }
        i = to;
        break;
      }
      if (i == start || i - start > 4) {
        return 0;
      }
      if (compressed) {
        rightHigh = rightHigh << 16 | rightLow >>> 48;
        rightLow = rightLow << 16 | group;
        right++;
      } else {
        leftHigh = leftHigh << 16 | leftLow >>> 48;
        leftLow = leftLow << 16 | group;
        left++;
      }
      if (i == to) {
        break;
      }
      if (s.charAt(i) != ':' || left + right >= 8) {
        return 0;
      }
      i++;
      if (i < to && s.charAt(i) == ':') {
        if (compressed) {
          return 0;
        }
        compressed = true;
        i++;
      } else if (i == to) {
        return 0;
      }
    }
    int groups = left + right;
    if (compressed ? groups > 7 : groups != 8) {
      return 0;
    }
    if (what == VALID) {
      return 1;
    }
    // Shift the groups before :: to the top: by 16 bits per group that :: and the groups after it fill.
    int shift = 16 * (8 - left);
    long high;
    long low;
    if (shift == 0) {
      high = leftHigh;
      low = leftLow;
    } else if (shift >= 128) {
      high = 0;
      low = 0;
    } else if (shift >= 64) {
      high = shift == 64 ? leftLow : leftLow << (shift - 64);
      low = 0;
    } else {
      high = leftHigh << shift | leftLow >>> (64 - shift);
      low = leftLow << shift;
    }
    return what == HIGH ? high | rightHigh : low | rightLow;
  }

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
