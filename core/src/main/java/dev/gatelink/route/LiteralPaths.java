package dev.gatelink.route;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fully literal route paths of a table, each with its matches by method slot, in one open-addressing
 * hash table laid out as a single array: entry {@code i} is the path at {@code i * STRIDE} followed by its
 * matches, one per method slot. A hit reads the table where the path sits (usually one or two cache lines,
 * more when linear probing steps on), the key and the key's characters, and nothing else (no entry
 * objects, no per-path arrays), so a literal hit costs about what one {@code HashMap.get} costs, however
 * many routes the table has.
 */
final class LiteralPaths {
  private static final int STRIDE = 1 + RouteMethod.SLOTS;

  private final Object[] entries;
  private final int mask;

  /**
   * @param byPath for each fully literal path, its matches by method slot ({@code ANY} filled in)
   */
  LiteralPaths(Map<String, RouteMatch<?>[]> byPath) {
    int capacity = Integer.highestOneBit(Math.max(1, byPath.size() * 3 / 2)) << 1;
    entries = new Object[capacity * STRIDE];
    mask = capacity - 1;
    byPath.forEach((path, bySlot) -> {
      int i = spread(path.hashCode()) & mask;
      while (entries[i * STRIDE] != null) {
        i = (i + 1) & mask;
      }
      // A fresh copy: the String and its characters are allocated together, so a probe finds both in
      // neighbouring cache lines instead of wherever the route key's parser left them.
      entries[i * STRIDE] = new String(path.toCharArray());
      System.arraycopy(bySlot, 0, entries, i * STRIDE + 1, RouteMethod.SLOTS);
    });
  }

  /** Mixes a hash's high bits into its low ones, which pick the slot; the trie's literal tables use it too. */
  static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  /** The match for a literal path and method slot, or null if the path is not a literal route's for that slot. */
  @Nullable RouteMatch<?> get(String path, int slot) {
    int hash = path.hashCode();
    Object[] table = entries;
    for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
      String key = (String) table[i * STRIDE];
      if (key == null) {
        return null;
      }
      if (key.hashCode() == hash && key.equals(path)) {
        return (RouteMatch<?>) table[i * STRIDE + 1 + slot];
      }
    }
  }
}
