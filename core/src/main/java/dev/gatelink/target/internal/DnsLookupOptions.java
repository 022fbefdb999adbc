package dev.gatelink.target.internal;

import io.vertx.core.dns.AddressResolverOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link DnsLookup} asks: which name servers, how long it waits for each, and whether it asks for IPv6
 * addresses too. Immutable; start from {@link #DEFAULTS} and change what differs with the {@code with} methods.
 *
 * @param nameServers the name servers to ask, in turn; empty (the default) for those the Vert.x instance uses:
 *     its {@link AddressResolverOptions#getServers()}, else the system's ({@code /etc/resolv.conf})
 * @param queryTimeout how long to wait for one name server's answer; null (the default) for the Vert.x
 *     instance's {@link AddressResolverOptions#getQueryTimeout()} (5 s unless set)
 * @param ipv6 whether to ask for AAAA records too (the default), their addresses coming after the IPv4 ones
 */
public record DnsLookupOptions(List<InetSocketAddress> nameServers, @Nullable Duration queryTimeout, boolean ipv6) {
  /** The Vert.x instance's name servers and query timeout, IPv4 and IPv6 addresses. */
  public static final DnsLookupOptions DEFAULTS = new DnsLookupOptions(List.of(), null, true);

  /**
   * Options.
   *
   * @param nameServers the name servers to ask, in turn; empty for those the Vert.x instance uses
   * @param queryTimeout how long to wait for one name server's answer; null for the Vert.x instance's
   * @param ipv6 whether to ask for AAAA records too
   * @throws IllegalArgumentException if a name server is an unresolved address, or the query timeout is not from
   *     1 ms to 2147483647 ms
   */
  public DnsLookupOptions {
    nameServers = List.copyOf(nameServers);
    for (InetSocketAddress server : nameServers) {
      if (server.isUnresolved()) {
        throw new IllegalArgumentException("name server " + server.getHostString() + ":" + server.getPort()
            + " is not an IP address: expected an address such as 127.0.0.1:53");
      }
    }
    if (queryTimeout != null && (queryTimeout.compareTo(Duration.ofMillis(1)) < 0
        || queryTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0)) {
      throw new IllegalArgumentException("query timeout " + queryTimeout
          + " is out of range: expected 1 ms to " + Integer.MAX_VALUE + " ms");
    }
  }

  /**
   * {@return these options with other name servers}
   *
   * @param servers the name servers to ask, in turn; none for those of the Vert.x instance
   */
  public DnsLookupOptions withNameServers(InetSocketAddress... servers) {
    return new DnsLookupOptions(List.of(servers), queryTimeout, ipv6);
  }

  /**
   * {@return these options with another query timeout}
   *
   * @param timeout how long to wait for one name server's answer, at least 1 ms
   */
  public DnsLookupOptions withQueryTimeout(Duration timeout) {
    return new DnsLookupOptions(nameServers, Objects.requireNonNull(timeout, "timeout"), ipv6);
  }

  /**
   * {@return these options asking, or not, for IPv6 addresses}
   *
   * @param ask true to ask for AAAA records as well as A records
   */
  public DnsLookupOptions withIpv6(boolean ask) {
    return new DnsLookupOptions(nameServers, queryTimeout, ask);
  }
}
