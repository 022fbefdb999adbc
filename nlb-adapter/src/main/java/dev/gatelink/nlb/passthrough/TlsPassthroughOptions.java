package dev.gatelink.nlb.passthrough;

import dev.gatelink.target.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link TlsPassthroughListener} listens and routes: its address, its routes by server name (and ALPN
 * protocol) and its default route, how long a client may take to send its ClientHello and how long a connection
 * may stay silent, how many connections it holds, whether a PROXY protocol v2 header precedes the bytes sent to a
 * target, and whether bytes are relayed with {@code splice} where the transport can.
 *
 * <p>Immutable; {@link #toBuilder()} makes a changed copy.
 */
public final class TlsPassthroughOptions {
  /** The default address: every interface. */
  public static final String DEFAULT_HOST = "0.0.0.0";
  /** The default ClientHello timeout: 10 s. */
  public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(10);
  /** The default idle timeout: 350 s, a Network Load Balancer's TCP idle timeout. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(350);
  /** The default connect timeout toward a target's endpoint: 10 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The default limit on open connections: 10,000. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  /** The default limit on open connections to one target: 10,000. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_TARGET = 10_000;
  /** The default {@link Builder#zeroCopyReadThreshold(int)}: 32 KiB, two full TLS records in one read. */
  public static final int DEFAULT_ZERO_COPY_READ_THRESHOLD = 32 * 1024;

  private final String host;
  private final int port;
  private final List<SniRoute> routes;
  private final @Nullable Target defaultTarget;
  private final Duration helloTimeout;
  private final Duration idleTimeout;
  private final Duration connectTimeout;
  private final int maxConnections;
  private final int maxConnectionsPerTarget;
  private final boolean proxyProtocol;
  private final boolean zeroCopy;
  private final int zeroCopyReadThreshold;

  private TlsPassthroughOptions(Builder builder) {
    this.host = builder.host;
    this.port = builder.port;
    this.routes = List.copyOf(builder.routes);
    this.defaultTarget = builder.defaultTarget;
    this.helloTimeout = builder.helloTimeout;
    this.idleTimeout = builder.idleTimeout;
    this.connectTimeout = builder.connectTimeout;
    this.maxConnections = builder.maxConnections;
    this.maxConnectionsPerTarget = builder.maxConnectionsPerTarget;
    this.proxyProtocol = builder.proxyProtocol;
    this.zeroCopy = builder.zeroCopy;
    this.zeroCopyReadThreshold = builder.zeroCopyReadThreshold;
    Set<String> names = new HashSet<>();
    Set<List<String>> protocols = new HashSet<>();
    for (SniRoute route : routes) {
      if (route.alpnProtocols().isEmpty() && !names.add(route.serverName())) {
        throw new IllegalArgumentException("SNI route server name '" + route.serverName()
            + "' is given twice: expected each server name once");
      }
      for (String protocol : route.alpnProtocols()) {
        if (!protocols.add(List.of(route.serverName(), protocol))) {
          throw SniRoute.duplicate(route.serverName(), protocol);
        }
      }
    }
    if (routes.isEmpty() && defaultTarget == null) {
      throw new IllegalArgumentException("no SNI route and no default route: expected at least one");
    }
  }

  /** {@return a builder of the defaults; at least one route or a default route must be added} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these options} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.host = host;
    builder.port = port;
    builder.routes.addAll(routes);
    builder.defaultTarget = defaultTarget;
    builder.helloTimeout = helloTimeout;
    builder.idleTimeout = idleTimeout;
    builder.connectTimeout = connectTimeout;
    builder.maxConnections = maxConnections;
    builder.maxConnectionsPerTarget = maxConnectionsPerTarget;
    builder.proxyProtocol = proxyProtocol;
    builder.zeroCopy = zeroCopy;
    builder.zeroCopyReadThreshold = zeroCopyReadThreshold;
    return builder;
  }

  /** {@return the address listened on} */
  public String host() {
    return host;
  }

  /** {@return the port listened on, 0 for a free one} */
  public int port() {
    return port;
  }

  /** {@return the routes by server name and ALPN protocol, in the order given} */
  public List<SniRoute> routes() {
    return routes;
  }

  /**
   * {@return the target of connections whose ClientHello has no server name or one no route matches; null to
   * refuse them}
   */
  public @Nullable Target defaultTarget() {
    return defaultTarget;
  }

  /** {@return how long a client may take from connecting to the end of its ClientHello} */
  public Duration helloTimeout() {
    return helloTimeout;
  }

  /** {@return how long a connection may pass no byte either way before it is closed} */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** {@return how long connecting to an endpoint may take} */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** {@return the most connections open at once; one more is closed when accepted} */
  public int maxConnections() {
    return maxConnections;
  }

  /** {@return the most connections open at once to one target; one more is closed once routed} */
  public int maxConnectionsPerTarget() {
    return maxConnectionsPerTarget;
  }

  /** {@return whether a PROXY protocol v2 header with the client's address precedes the bytes sent to a target} */
  public boolean proxyProtocol() {
    return proxyProtocol;
  }

  /**
   * {@return whether bytes are relayed with {@code splice} (the native epoll transport's zero-copy path) once the
   * ClientHello is passed on, where the client's and the endpoint's connections are both epoll connections}
   */
  public boolean zeroCopy() {
    return zeroCopy;
  }

  /**
   * {@return the bytes one read must bring for its direction to switch from copying to {@code splice}, or 0 when
   * both directions splice from the start}
   */
  public int zeroCopyReadThreshold() {
    return zeroCopyReadThreshold;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof TlsPassthroughOptions that && host.equals(that.host) && port == that.port
        && routes.equals(that.routes) && defaultTarget == that.defaultTarget
        && helloTimeout.equals(that.helloTimeout) && idleTimeout.equals(that.idleTimeout)
        && connectTimeout.equals(that.connectTimeout) && maxConnections == that.maxConnections
        && maxConnectionsPerTarget == that.maxConnectionsPerTarget && proxyProtocol == that.proxyProtocol
        && zeroCopy == that.zeroCopy && zeroCopyReadThreshold == that.zeroCopyReadThreshold;
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, routes, System.identityHashCode(defaultTarget), helloTimeout, idleTimeout,
        connectTimeout, maxConnections, maxConnectionsPerTarget, proxyProtocol, zeroCopy,
        zeroCopyReadThreshold);
  }

  @Override
  public String toString() {
    return "TlsPassthroughOptions[" + host + ":" + port + ", routes=" + routes + ", default="
        + (defaultTarget == null ? "refuse" : defaultTarget) + ", helloTimeout=" + helloTimeout + ", idleTimeout="
        + idleTimeout + ", connectTimeout=" + connectTimeout + ", maxConnections=" + maxConnections
        + ", maxConnectionsPerTarget=" + maxConnectionsPerTarget + ", proxyProtocol=" + proxyProtocol
        + ", zeroCopy=" + zeroCopy + ", zeroCopyReadThreshold=" + zeroCopyReadThreshold + "]";
  }

  /** Builds {@link TlsPassthroughOptions}. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port;
    private final List<SniRoute> routes = new ArrayList<>();
    private @Nullable Target defaultTarget;
    private Duration helloTimeout = DEFAULT_HELLO_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerTarget = DEFAULT_MAX_CONNECTIONS_PER_TARGET;
    private boolean proxyProtocol;
    private boolean zeroCopy = true;
    private int zeroCopyReadThreshold = DEFAULT_ZERO_COPY_READ_THRESHOLD;

    private Builder() {}

    /**
     * Sets the address listened on.
     *
     * @param host an IP address or a host name; {@code 0.0.0.0} (every interface) by default
     * @return this builder
     */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isEmpty()) {
        throw new IllegalArgumentException("host is empty: expected an IP address or a host name");
      }
      this.host = host;
      return this;
    }

    /**
     * Sets the port listened on.
     *
     * @param port 0 (the default: a free port, see {@link TlsPassthroughListener#actualPort()}) to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port " + port + " is out of range: expected 0 to 65535");
      }
      this.port = port;
      return this;
    }

    /**
     * Adds a route.
     *
     * @param route the route; a route without ALPN protocols must not have the server name of one already added
     *     without, and a route with some must not share a protocol with one of the same server name
     * @return this builder
     */
    public Builder route(SniRoute route) {
      routes.add(Objects.requireNonNull(route, "route"));
      return this;
    }

    /**
     * Adds a route: {@code route(SniRoute.of(serverName, target))}.
     *
     * @param serverName a DNS name, or {@code *.} and a domain
     * @param target where its connections go
     * @return this builder
     */
    public Builder route(String serverName, Target target) {
      return route(SniRoute.of(serverName, target));
    }

    /**
     * Adds a route restricted to clients that offer one of some ALPN protocols: {@code route(SniRoute.of(serverName,
     * alpnProtocols, target))}.
     *
     * @param serverName a DNS name, or {@code *.} and a domain
     * @param alpnProtocols the protocols ({@code h2}, {@code http/1.1}); empty for every protocol
     * @param target where its connections go
     * @return this builder
     */
    public Builder route(String serverName, List<String> alpnProtocols, Target target) {
      return route(SniRoute.of(serverName, alpnProtocols, target));
    }

    /**
     * Replaces the routes.
     *
     * @param routes the routes, in order
     * @return this builder
     */
    public Builder routes(List<SniRoute> routes) {
      List<SniRoute> copy = List.copyOf(routes);
      this.routes.clear();
      this.routes.addAll(copy);
      return this;
    }

    /**
     * Sets the default route.
     *
     * @param target where connections without a server name or with one no route matches go; null (the default)
     *     to close them
     * @return this builder
     */
    public Builder defaultTarget(@Nullable Target target) {
      this.defaultTarget = target;
      return this;
    }

    /**
     * Sets how long a client may take from connecting to the end of its ClientHello.
     *
     * @param timeout 1 ms to 5 min; 10 s by default
     * @return this builder
     */
    public Builder helloTimeout(Duration timeout) {
      this.helloTimeout = checked("helloTimeout", timeout, Duration.ofMinutes(5), "5 min");
      return this;
    }

    /**
     * Sets how long a connection may pass no byte either way before it is closed.
     *
     * @param timeout 1 ms to 1 day; 350 s by default
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = checked("idleTimeout", timeout, Duration.ofDays(1), "1 day");
      return this;
    }

    /**
     * Sets how long connecting to an endpoint may take.
     *
     * @param timeout 1 ms to 5 min; 10 s by default
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = checked("connectTimeout", timeout, Duration.ofMinutes(5), "5 min");
      return this;
    }

    /**
     * Sets the most connections open at once.
     *
     * @param max at least 1; 10,000 by default
     * @return this builder
     */
    public Builder maxConnections(int max) {
      this.maxConnections = positive("maxConnections", max);
      return this;
    }

    /**
     * Sets the most connections open at once to one target (routes sharing a target share the count).
     *
     * @param max at least 1; 10,000 by default
     * @return this builder
     */
    public Builder maxConnectionsPerTarget(int max) {
      this.maxConnectionsPerTarget = positive("maxConnectionsPerTarget", max);
      return this;
    }

    /**
     * Sets whether a PROXY protocol v2 header with the client's address and the listener's address precedes the
     * bytes sent to a target.
     *
     * @param enabled false by default
     * @return this builder
     */
    public Builder proxyProtocol(boolean enabled) {
      this.proxyProtocol = enabled;
      return this;
    }

    /**
     * Sets whether bytes are relayed with {@code splice}, the native epoll transport's zero-copy path, once the
     * ClientHello (and the PROXY header) is passed on. It applies where the client's and the endpoint's connections
     * are both epoll connections (Vert.x on its epoll transport); elsewhere (NIO, io_uring) bytes are copied through
     * buffers whatever this says.
     *
     * @param enabled true by default; false to copy through buffers on epoll too (to measure both)
     * @return this builder
     */
    public Builder zeroCopy(boolean enabled) {
      this.zeroCopy = enabled;
      return this;
    }

    /**
     * Sets when a direction switches from copying to {@code splice}: after a read (one event-loop read of its
     * socket, up to Netty's read limits) that brought at least this many bytes, which is bulk traffic. Small
     * exchanges (a handshake, requests and answers of a few KiB) stay copied: splicing them costs more system
     * calls (a pipe per direction, a splice in and out) than it saves. As HAProxy's {@code option splice-auto}.
     *
     * @param bytes 0 to splice both directions from the start; {@value #DEFAULT_ZERO_COPY_READ_THRESHOLD} by
     *     default
     * @return this builder
     */
    public Builder zeroCopyReadThreshold(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("zeroCopyReadThreshold " + bytes + " is out of range: expected at least 0");
      }
      this.zeroCopyReadThreshold = bytes;
      return this;
    }

    /**
     * {@return the options}
     *
     * @throws IllegalArgumentException if a server name is given twice without ALPN protocols, or with one ALPN
     *     protocol twice, or there is neither a route nor a default route
     */
    public TlsPassthroughOptions build() {
      return new TlsPassthroughOptions(this);
    }

    private static Duration checked(String name, Duration timeout, Duration max, String maxText) {
      Objects.requireNonNull(timeout, name);
      if (timeout.toMillis() < 1 || timeout.compareTo(max) > 0) {
        throw new IllegalArgumentException(name + " " + timeout + " is out of range: expected 1 ms to " + maxText);
      }
      return timeout;
    }

    private static int positive(String name, int max) {
      if (max < 1) {
        throw new IllegalArgumentException(name + " " + max + " is out of range: expected at least 1");
      }
      return max;
    }
  }
}
