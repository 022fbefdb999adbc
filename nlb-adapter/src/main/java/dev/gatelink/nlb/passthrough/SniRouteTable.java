package dev.gatelink.nlb.passthrough;

import dev.gatelink.target.Target;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A listener's routes compiled for lookup: exact names in a hash map, wildcard domains in an open-addressing
 * table probed with a region of the server name (so that a lookup allocates nothing), and the default route as
 * a field. Immutable once built; read by every event loop.
 */
final class SniRouteTable {
  /** A route as looked up: its name for the log, its target, and the open connections of that target. */
  static final class Entry {
    final String name;
    final Target target;
    /** Shared by every entry of the same target. */
    final AtomicInteger open;

    Entry(String name, Target target, AtomicInteger open) {
      this.name = name;
      this.target = target;
      this.open = open;
    }
  }

  private final Map<String, Entry> exact;
  private final @Nullable String[] wildcardDomains;
  private final @Nullable Entry[] wildcardEntries;
  private final int mask;
  private final @Nullable Entry fallback;

  SniRouteTable(List<SniRoute> routes, @Nullable Target defaultTarget) {
    Map<Target, AtomicInteger> counts = new IdentityHashMap<>();
    Map<String, Entry> exactNames = new HashMap<>();
    int wildcards = 0;
    for (SniRoute route : routes) {
      if (route.wildcard()) {
        wildcards++;
      }
    }
    int size = Integer.highestOneBit(Math.max(2, wildcards * 2 + 1) - 1) << 1;
    this.wildcardDomains = new String[size];
    this.wildcardEntries = new Entry[size];
    this.mask = size - 1;
    for (SniRoute route : routes) {
      Entry entry = new Entry(route.serverName(), route.target(),
          counts.computeIfAbsent(route.target(), t -> new AtomicInteger()));
      if (!route.wildcard()) {
        exactNames.put(route.serverName(), entry);
        continue;
      }
      String domain = route.domain();
      int slot = spread(domain.hashCode()) & mask;
      while (wildcardDomains[slot] != null) {
        slot = (slot + 1) & mask;
      }
      wildcardDomains[slot] = domain;
      wildcardEntries[slot] = entry;
    }
    this.exact = exactNames;
    this.fallback = defaultTarget == null ? null : new Entry(ConnectionLog.DEFAULT_ROUTE, defaultTarget,
        counts.computeIfAbsent(defaultTarget, t -> new AtomicInteger()));
  }

  /**
   * The route of a server name: an exact name, else a wildcard of its first label, else the default route.
   *
   * @param serverName the name in lower case (as Netty reads it from a ClientHello), or null when there is none
   * @return the route, or null when none matches and there is no default route
   */
  @Nullable Entry find(@Nullable String serverName) {
    if (serverName == null) {
      return fallback;
    }
    Entry hit = exact.get(serverName);
    if (hit != null) {
      return hit;
    }
    int dot = serverName.indexOf('.');
    if (dot > 0) {
      int from = dot + 1;
      int length = serverName.length() - from;
      int hash = 0;
      for (int i = from; i < serverName.length(); i++) {
        hash = 31 * hash + serverName.charAt(i);
      }
      int slot = spread(hash) & mask;
      String domain;
      while ((domain = wildcardDomains[slot]) != null) {
        if (domain.length() == length && serverName.regionMatches(from, domain, 0, length)) {
          return wildcardEntries[slot];
        }
        slot = (slot + 1) & mask;
      }
    }
    return fallback;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
