package dev.gatelink.target.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The addresses a host name had when it was looked up, and how long they may be used.
 *
 * @param host the host name looked up, as given
 * @param addresses its addresses as IP address literals ({@code 127.0.0.2}, {@code ::1}, IPv6 in the RFC 5952
 *     form): IPv4 addresses first, each family in the order the name servers answered, without duplicates; never
 *     empty
 * @param ttl how long the addresses may be used: for a DNS answer the smallest TTL of its address records
 *     ({@link Duration#ZERO} means: look it up again before the next use), {@link DnsLookup#HOSTS_FILE_TTL} for the
 *     hosts file and {@code localhost}, {@link #NEVER_EXPIRES} for an IP address literal
 * @param source where the addresses came from
 */
public record DnsAnswer(String host, List<String> addresses, Duration ttl, Source source) {
  /**
   * The TTL of an IP address literal: 2147483647 seconds, the largest TTL DNS has (about 68 years). A finite value,
   * so that adding it to an instant or a {@link System#nanoTime()} never overflows.
   */
  public static final Duration NEVER_EXPIRES = Duration.ofSeconds(Integer.MAX_VALUE);

  /** Where the addresses of an answer came from. */
  public enum Source {
    /** The host is an IP address literal: the answer is that address, and no query was sent. */
    LITERAL,
    /** The hosts file (or Vert.x's hosts options), or the loopback addresses of {@code localhost}: no query was sent. */
    HOSTS_FILE,
    /** The name servers' A and AAAA records. */
    DNS
  }

  /**
   * An answer.
   *
   * @param host the host name looked up, as given
   * @param addresses its addresses, IPv4 first, without duplicates
   * @param ttl how long the addresses may be used
   * @param source where the addresses came from
   * @throws IllegalArgumentException if there is no address or the TTL is negative
   */
  public DnsAnswer {
    Objects.requireNonNull(host, "host");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(source, "source");
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("answer for '" + host + "' has no address: a lookup without one fails");
    }
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("answer for '" + host + "' has the negative TTL " + ttl);
    }
  }
}
