package dev.gatelink.route;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fully literal route paths of a table, each with its matches by method slot, in one open-addressing
 * hash table of flat arrays: a probe reads the key array, the key and the match array, and nothing else
 * (no entry objects, no per-path arrays), so a literal hit costs about what one {@code HashMap.get} costs,
 * however many routes the table has.
 */
final class LiteralPaths {
  private final String[] paths;
  /** Slot {@code i * SLOTS + methodSlot} holds the match for {@code paths[i]}, or null. */
  private final RouteMatch<?>[] matches;
  private final int mask;

  /**
   * @param byPath for each fully literal path, its matches by method slot ({@code ANY} filled in)
   */
  LiteralPaths(Map<String, RouteMatch<?>[]> byPath) {
    int capacity = Integer.highestOneBit(Math.max(2, byPath.size()) * 2 - 1) << 1;
    paths = new String[capacity];
    matches = new RouteMatch<?>[capacity * RouteMethod.SLOTS];
    mask = capacity - 1;
    byPath.forEach((path, bySlot) -> {
      int i = spread(path.hashCode()) & mask;
      while (paths[i] != null) {
        i = (i + 1) & mask;
      }
      paths[i] = path;
      System.arraycopy(bySlot, 0, matches, i * RouteMethod.SLOTS, RouteMethod.SLOTS);
    });
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  /** The match for a literal path and method slot, or null if the path is not a literal route's for that slot. */
  @Nullable RouteMatch<?> get(String path, int slot) {
    int hash = path.hashCode();
    String[] keys = paths;
    for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
      String key = keys[i];
      if (key == null) {
        return null;
      }
      if (key.hashCode() == hash && key.equals(path)) {
        return matches[i * RouteMethod.SLOTS + slot];
      }
    }
  }
}
