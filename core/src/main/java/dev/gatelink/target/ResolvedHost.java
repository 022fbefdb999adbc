package dev.gatelink.target;

import dev.gatelink.target.internal.DnsAnswer;
import dev.gatelink.target.internal.DnsLookup;
import dev.gatelink.target.internal.DnsLookupOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A host name kept resolved to every address it has, as endpoints on one port: a load balancer's DNS name,
 * whose answer lists several node addresses that change. Looked up with the resolver Vert.x uses underneath
 * (Netty's, on the instance's event loops, never blocking one), again when the answer's TTL runs out (bounded
 * by {@link DnsSettings#minTtl()} and {@link DnsSettings#maxTtl()}); while lookups fail the last good answer
 * stays served, and the loop backs off with full jitter up to 30 s.
 *
 * <p>{@link #current()} is one volatile read. Connections to an address that left the answer are no longer
 * picked; the gateway closes them once they sit idle (its backend idle timeout), after their requests finish.
 */
public final class ResolvedHost implements AutoCloseable {
  private final String host;
  private final int port;
  private final DnsLookup lookup;
  private final RefreshingSnapshot<EndpointSet> snapshot;

  /**
   * A name to keep resolved; nothing is looked up before the first {@link #ready()}. Reads the resolver's
   * configuration ({@code /etc/resolv.conf}, {@code /etc/hosts}): create it off the event loop, when a
   * configuration is loaded.
   *
   * @param vertx the Vert.x instance
   * @param host the DNS name (an IP address is served as is)
   * @param port the port of every endpoint
   * @param settings name servers, query timeout and TTL bounds
   * @param failures told of every failed lookup, naming the host
   */
  public ResolvedHost(Vertx vertx, String host, int port, DnsSettings settings, Consumer<String> failures) {
    this.host = host;
    this.port = port;
    DnsLookupOptions options = DnsLookupOptions.DEFAULTS.withIpv6(settings.ipv6());
    if (!settings.nameServers().isEmpty()) {
      options = options.withNameServers(settings.nameServers().toArray(new java.net.InetSocketAddress[0]));
    }
    if (settings.queryTimeout() != null) {
      options = options.withQueryTimeout(settings.queryTimeout());
    }
    this.lookup = DnsLookup.create(vertx, options);
    RefreshSettings refresh = RefreshSettings.builder()
        .refreshInterval(settings.minTtl())
        .maxAge(settings.maxTtl())
        .maxStaleness(null)
        .maxBackoff(Duration.ofSeconds(30))
        .build();
    this.snapshot = new RefreshingSnapshot<>(vertx, "DNS name " + host, new RefreshingSnapshot.Source<>() {
      private Duration ttl = settings.minTtl();

      @Override
      public CompletionStage<EndpointSet> fetch() {
        return lookup.lookup(host).map(answer -> {
          ttl = clamp(answer.ttl(), settings);
          return endpoints(answer);
        }).toCompletionStage();
      }

      @Override
      public Duration refreshAfter(EndpointSet value) {
        return ttl;
      }

      @Override
      public String fetchName() {
        return "lookup";
      }

      @Override
      public String valueName() {
        return "answer";
      }
    }, refresh, failures);
  }

  private EndpointSet endpoints(DnsAnswer answer) {
    List<Endpoint> endpoints = new ArrayList<>(answer.addresses().size());
    for (String address : answer.addresses()) {
      endpoints.add(Endpoint.of(address, port));
    }
    return EndpointSet.of(endpoints);
  }

  private static Duration clamp(Duration ttl, DnsSettings settings) {
    if (ttl.compareTo(settings.minTtl()) < 0) {
      return settings.minTtl();
    }
    return ttl.compareTo(settings.maxTtl()) > 0 ? settings.maxTtl() : ttl;
  }

  /** {@return the host name} */
  public String host() {
    return host;
  }

  /** {@return the port of every endpoint} */
  public int port() {
    return port;
  }

  /** {@return the endpoints of the last good answer, or null before the first}: one volatile read */
  public @Nullable EndpointSet current() {
    return snapshot.current();
  }

  /**
   * {@return the endpoints once the first lookup answered; failed if it failed (until a later one succeeds)}
   */
  public CompletionStage<EndpointSet> ready() {
    return snapshot.ready();
  }

  /** {@return how many lookups were made} */
  public long lookups() {
    return snapshot.fetches();
  }

  /** Stops looking the name up and releases the resolver. */
  @Override
  public void close() {
    snapshot.close();
    lookup.close();
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
