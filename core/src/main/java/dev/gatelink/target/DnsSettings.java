package dev.gatelink.target;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link ResolvedHost} resolves its name: which name servers (by default those the Vert.x instance uses:
 * its {@code AddressResolverOptions}, else {@code /etc/resolv.conf}), how long a query may take, and the bounds
 * put on an answer's TTL before the next lookup.
 */
public final class DnsSettings {
  private final List<InetSocketAddress> nameServers;
  private final @Nullable Duration queryTimeout;
  private final Duration minTtl;
  private final Duration maxTtl;
  private final boolean ipv6;

  private DnsSettings(Builder builder) {
    this.nameServers = List.copyOf(builder.nameServers);
    this.queryTimeout = builder.queryTimeout;
    this.minTtl = builder.minTtl;
    this.maxTtl = builder.maxTtl;
    this.ipv6 = builder.ipv6;
    if (minTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("minTtl " + minTtl + " is above maxTtl " + maxTtl
          + ": expected minTtl <= maxTtl");
    }
  }

  /** {@return a builder of the defaults: Vert.x's name servers and timeout, TTLs bounded to 1 s .. 5 min, IPv6 too} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these settings} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.nameServers = nameServers;
    builder.queryTimeout = queryTimeout;
    builder.minTtl = minTtl;
    builder.maxTtl = maxTtl;
    builder.ipv6 = ipv6;
    return builder;
  }

  /** {@return the name servers asked, or empty for those of the Vert.x instance} */
  public List<InetSocketAddress> nameServers() {
    return nameServers;
  }

  /** {@return how long a query may take, or null for the Vert.x instance's query timeout} */
  public @Nullable Duration queryTimeout() {
    return queryTimeout;
  }

  /** {@return the shortest wait before looking the name up again, whatever the TTL (a TTL of 0 included)} */
  public Duration minTtl() {
    return minTtl;
  }

  /** {@return the longest wait before looking the name up again, whatever the TTL} */
  public Duration maxTtl() {
    return maxTtl;
  }

  /** {@return whether AAAA records are asked for too} */
  public boolean ipv6() {
    return ipv6;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof DnsSettings that && nameServers.equals(that.nameServers)
        && Objects.equals(queryTimeout, that.queryTimeout) && minTtl.equals(that.minTtl)
        && maxTtl.equals(that.maxTtl) && ipv6 == that.ipv6;
  }

  @Override
  public int hashCode() {
    return Objects.hash(nameServers, queryTimeout, minTtl, maxTtl, ipv6);
  }

  @Override
  public String toString() {
    return "DnsSettings[nameServers=" + (nameServers.isEmpty() ? "Vert.x's" : nameServers) + ", queryTimeout="
        + (queryTimeout == null ? "Vert.x's" : queryTimeout) + ", ttl=" + minTtl + ".." + maxTtl + ", ipv6="
        + ipv6 + "]";
  }

  /** Builds {@link DnsSettings}. */
  public static final class Builder {
    private List<InetSocketAddress> nameServers = List.of();
    private @Nullable Duration queryTimeout;
    private Duration minTtl = Duration.ofSeconds(1);
    private Duration maxTtl = Duration.ofMinutes(5);
    private boolean ipv6 = true;

    private Builder() {}

    /**
     * Asks these name servers instead of the Vert.x instance's.
     *
     * @param servers the servers, in order; empty for the Vert.x instance's
     * @return this builder
     */
    public Builder nameServers(List<InetSocketAddress> servers) {
      this.nameServers = List.copyOf(servers);
      return this;
    }

    /**
     * Sets how long a query may take.
     *
     * @param timeout 1 ms to 1 min, or null for the Vert.x instance's
     * @return this builder
     */
    public Builder queryTimeout(@Nullable Duration timeout) {
      if (timeout != null && (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(1)) > 0)) {
        throw new IllegalArgumentException("queryTimeout " + timeout + " is out of range: expected 1 ms to 1 min");
      }
      this.queryTimeout = timeout;
      return this;
    }

    /**
     * Sets the shortest wait before the next lookup.
     *
     * @param ttl 1 ms to 1 day
     * @return this builder
     */
    public Builder minTtl(Duration ttl) {
      this.minTtl = checked("minTtl", ttl);
      return this;
    }

    /**
     * Sets the longest wait before the next lookup.
     *
     * @param ttl 1 ms to 1 day
     * @return this builder
     */
    public Builder maxTtl(Duration ttl) {
      this.maxTtl = checked("maxTtl", ttl);
      return this;
    }

    /**
     * Sets whether AAAA records are asked for too.
     *
     * @param ipv6 true (the default) to use IPv6 addresses as well
     * @return this builder
     */
    public Builder ipv6(boolean ipv6) {
      this.ipv6 = ipv6;
      return this;
    }

    /**
     * {@return the settings}
     *
     * @throws IllegalArgumentException if minTtl is above maxTtl
     */
    public DnsSettings build() {
      return new DnsSettings(this);
    }

    private static Duration checked(String name, Duration ttl) {
      Objects.requireNonNull(ttl, name);
      if (ttl.toMillis() < 1 || ttl.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(name + " " + ttl + " is out of range: expected 1 ms to 1 day");
      }
      return ttl;
    }
  }
}
