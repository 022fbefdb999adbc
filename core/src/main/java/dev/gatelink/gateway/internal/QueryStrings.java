package dev.gatelink.gateway.internal;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A raw query string edited by parameter mappings: its parameters in order, each kept as the client wrote it
 * unless a mapping touched it; names compared decoded; values a mapping adds percent-encoded (every byte
 * but the unreserved characters), so that a mapped value can never add a parameter or end the query.
 */
final class QueryStrings {
  private final List<String> rawParameters = new ArrayList<>(4);
  private final List<String> names = new ArrayList<>(4);

  QueryStrings(@Nullable String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return;
    }
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      if (end > start) {
        String parameter = rawQuery.substring(start, end);
        int equals = parameter.indexOf('=');
        rawParameters.add(parameter);
        names.add(decode(equals < 0 ? parameter : parameter.substring(0, equals)));
      }
      start = end + 1;
    }
  }

  /** Drops every parameter named {@code name}. */
  void remove(String name) {
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equals(name)) {
        names.remove(i);
        rawParameters.remove(i);
      }
    }
  }

  /** Adds {@code name=value} at the end. */
  void append(String name, String value) {
    StringBuilder parameter = new StringBuilder(name.length() + value.length() + 8);
    encode(name, parameter);
    parameter.append('=');
    encode(value, parameter);
    rawParameters.add(parameter.toString());
    names.add(name);
  }

  /** Replaces every parameter named {@code name} with one {@code name=value}, at the end. */
  void overwrite(String name, String value) {
    remove(name);
    append(name, value);
  }

  /** {@return the raw query, or null when no parameter is left} */
  @Nullable String text() {
    switch (rawParameters.size()) {
      case 0:
        return null;
      case 1:
        return rawParameters.get(0);
      default:
        return String.join("&", rawParameters);
    }
  }

  private static String decode(String raw) {
    try {
      return QueryStringDecoder.decodeComponent(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Percent-encodes every UTF-8 byte that is not an unreserved character (RFC 3986). */
  static void encode(String text, StringBuilder out) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        // Not ASCII: the rest as UTF-8 bytes (ASCII needs no conversion, and is the common case).
        for (byte b : text.substring(i).getBytes(StandardCharsets.UTF_8)) {
          append(b & 0xff, out);
        }
        return;
      }
      append(c, out);
    }
  }

  private static void append(int c, StringBuilder out) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
        || c == '~') {
      out.append((char) c);
    } else {
      out.append('%').append(HEX[c >>> 4]).append(HEX[c & 15]);
    }
  }
}
