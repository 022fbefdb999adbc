package dev.gatelink.target;

import io.vertx.core.net.SocketAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One address requests can be sent to: a host (an IP address or a DNS name resolved when connecting) and a
 * port. Immutable and cheap to compare; a target keeps its endpoints in an array and hands one out per
 * request, so picking one allocates nothing.
 */
public final class Endpoint implements Selection {
  private final String host;
  private final int port;
  private final SocketAddress address;

  private Endpoint(String host, int port) {
    this.host = host;
    this.port = port;
    this.address = SocketAddress.inetSocketAddress(port, host);
  }

  /**
   * An endpoint.
   *
   * @param host an IPv4 or IPv6 address, or a DNS name
   * @param port 1 to 65535
   * @return the endpoint
   * @throws IllegalArgumentException if the host is empty or the port is out of range
   */
  public static Endpoint of(String host, int port) {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("endpoint host is empty: expected an IP address or a host name");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("endpoint port " + port + " is out of range: expected 1 to 65535");
    }
    return new Endpoint(host, port);
  }

  /** {@return the host connected to: an IP address or a DNS name} */
  public String host() {
    return host;
  }

  /** {@return the port connected to} */
  public int port() {
    return port;
  }

  /** {@return the address to dial, as Vert.x takes it} */
  public SocketAddress socketAddress() {
    return address;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Endpoint && port == ((Endpoint) other).port && host.equals(((Endpoint) other).host);
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + port;
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
