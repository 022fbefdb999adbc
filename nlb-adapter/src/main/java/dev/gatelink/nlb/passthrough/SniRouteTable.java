package dev.gatelink.nlb.passthrough;

import dev.gatelink.target.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A listener's routes compiled for lookup: exact names in a hash map, wildcard domains in an open-addressing
 * table probed with a region of the server name, and the default route as a field. Each name holds its routes
 * by ALPN protocol (compared byte for byte with the ClientHello's list, where it lies) and its route for any
 * protocol, so that a lookup allocates nothing. Immutable once built; read by every event loop.
 */
final class SniRouteTable {
  /** A route as looked up: its name and ALPN protocol for the log, its target, and the target's open connections. */
  static final class Entry {
    final String name;
    /** The ALPN protocol this entry is taken for, or null for a route that takes every one. */
    final @Nullable String alpn;
    final Target target;
    /** Shared by every entry of the same target. */
    final AtomicInteger open;

    Entry(String name, @Nullable String alpn, Target target, AtomicInteger open) {
      this.name = name;
      this.alpn = alpn;
      this.target = target;
      this.open = open;
    }
  }

  /** The routes of one server name (or wildcard domain). */
  private static final class NameRoutes {
    private final byte[][] protocols;
    private final Entry[] byProtocol;
    private final @Nullable Entry any;

    NameRoutes(byte[][] protocols, Entry[] byProtocol, @Nullable Entry any) {
      this.protocols = protocols;
      this.byProtocol = byProtocol;
      this.any = any;
    }

    /** The route of the first protocol in {@code [from, to)} of {@code hello} that one lists, else {@link #any}. */
    @Nullable Entry find(ByteBuf hello, int from, int to) {
      if (protocols.length > 0) {
        int at = from;
        while (at < to) {
          int length = hello.getUnsignedByte(at);
          int start = at + 1;
          if (length > to - start) {
            break;
          }
          for (int p = 0; p < protocols.length; p++) {
            if (same(hello, start, length, protocols[p])) {
              return byProtocol[p];
            }
          }
          at = start + length;
        }
      }
      return any;
    }

    private static boolean same(ByteBuf hello, int start, int length, byte[] protocol) {
      if (protocol.length != length) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if (hello.getByte(start + i) != protocol[i]) {
          return false;
        }
      }
      return true;
    }
  }

  private final Map<String, NameRoutes> exact;
  private final @Nullable String[] wildcardDomains;
  private final @Nullable NameRoutes[] wildcardRoutes;
  private final int mask;
  private final @Nullable Entry fallback;
  /** Each target's count of open connections, once. */
  private final AtomicInteger[] counts;

  SniRouteTable(List<SniRoute> routes, @Nullable Target defaultTarget) {
    Map<Target, AtomicInteger> counts = new IdentityHashMap<>();
    Map<String, List<SniRoute>> byName = new LinkedHashMap<>();
    for (SniRoute route : routes) {
      byName.computeIfAbsent(route.serverName(), name -> new ArrayList<>()).add(route);
    }
    int wildcards = 0;
    for (String name : byName.keySet()) {
      if (name.startsWith("*.")) {
        wildcards++;
      }
    }
    int size = Integer.highestOneBit(Math.max(2, wildcards * 2 + 1) - 1) << 1;
    this.wildcardDomains = new String[size];
    this.wildcardRoutes = new NameRoutes[size];
    this.mask = size - 1;
    Map<String, NameRoutes> exactNames = new HashMap<>();
    for (List<SniRoute> named : byName.values()) {
      SniRoute first = named.get(0);
      NameRoutes compiled = compile(named, counts);
      if (!first.wildcard()) {
        exactNames.put(first.serverName(), compiled);
        continue;
      }
      String domain = first.domain();
      int slot = spread(domain.hashCode()) & mask;
      while (wildcardDomains[slot] != null) {
        slot = (slot + 1) & mask;
      }
      wildcardDomains[slot] = domain;
      wildcardRoutes[slot] = compiled;
    }
    this.exact = exactNames;
    this.fallback = defaultTarget == null ? null : new Entry(ConnectionLog.DEFAULT_ROUTE, null, defaultTarget,
        counts.computeIfAbsent(defaultTarget, t -> new AtomicInteger()));
    this.counts = counts.values().toArray(new AtomicInteger[0]);
  }

  /** {@return the connections open to the targets of the routes, all together} */
  int openToTargets() {
    int open = 0;
    for (AtomicInteger count : counts) {
      open += count.get();
    }
    return open;
  }

  private static NameRoutes compile(List<SniRoute> named, Map<Target, AtomicInteger> counts) {
    List<byte[]> protocols = new ArrayList<>();
    List<Entry> byProtocol = new ArrayList<>();
    Entry any = null;
    for (SniRoute route : named) {
      AtomicInteger open = counts.computeIfAbsent(route.target(), t -> new AtomicInteger());
      if (route.alpnProtocols().isEmpty()) {
        any = new Entry(route.serverName(), null, route.target(), open);
      }
      for (String protocol : route.alpnProtocols()) {
        protocols.add(protocol.getBytes(StandardCharsets.US_ASCII));
        byProtocol.add(new Entry(route.serverName(), protocol, route.target(), open));
      }
    }
    return new NameRoutes(protocols.toArray(new byte[0][]), byProtocol.toArray(new Entry[0]), any);
  }

  /**
   * The route of a server name for a client that offers no ALPN protocol: {@code find(serverName,
   * Unpooled.EMPTY_BUFFER, 0, 0)}.
   *
   * @param serverName the name in lower case (as Netty reads it from a ClientHello), or null when there is none
   * @return the route, or null when none matches and there is no default route
   */
  @Nullable Entry find(@Nullable String serverName) {
    return find(serverName, Unpooled.EMPTY_BUFFER, 0, 0);
  }

  /**
   * The route of a server name and ALPN protocols: an exact name's route for the first offered protocol it has,
   * else its route for any protocol; then the same for a wildcard of the name's first label; else the default
   * route.
   *
   * @param serverName the name in lower case (as Netty reads it from a ClientHello), or null when there is none
   * @param hello a buffer holding the client's ALPN protocol list (as in the extension: each protocol a length
   *     byte and that many bytes), not read from
   * @param alpnFrom where the list's first protocol starts in {@code hello}
   * @param alpnTo where the list ends; {@code alpnFrom} when the client offers none
   * @return the route, or null when none matches and there is no default route
   */
  @Nullable Entry find(@Nullable String serverName, ByteBuf hello, int alpnFrom, int alpnTo) {
    if (serverName == null) {
      return fallback;
    }
    NameRoutes named = exact.get(serverName);
    Entry hit = named == null ? null : named.find(hello, alpnFrom, alpnTo);
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
          hit = wildcardRoutes[slot].find(hello, alpnFrom, alpnTo);
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    return hit != null ? hit : fallback;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
