package dev.gatelink.gateway.internal;

import dev.gatelink.internal.PercentEncoding;
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
    PercentEncoding.append(parameter, name, PercentEncoding.UNRESERVED);
    parameter.append('=');
    PercentEncoding.append(parameter, value, PercentEncoding.UNRESERVED);
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
}
