package dev.gatelink.cloudmap;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.Target;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatusFilter;

/**
 * A Cloud Map service as a target: its instances come from a {@link DiscoveryCache}, and each request goes to
 * the next endpoint in turn that is not ejected by the {@link OutlierDetector} (round robin over the cached
 * array, its turn shared without a lock; no allocation when the set is known).
 */
final class CloudMapTarget implements Target {
  private final DiscoveryCache cache;
  private final @Nullable AutoCloseable owned;
  private final @Nullable String tlsServerName;
  private final String description;
  /**
   * The round-robin turn. A plain field on purpose: event loops share it without a lock or an atomic
   * increment (which alone costs about 6 ns, four times the array read); a lost or repeated increment when two
   * loops pick at the same moment only sends two requests to the same endpoint, which round robin tolerates.
   */
  private int next;
  private final OutlierDetector outliers;

  CloudMapTarget(Vertx vertx, ServiceDiscoveryAsyncClient client, boolean ownsClient, CloudMapServiceUri uri,
      HealthStatusFilter health, DiscoveryCache.Settings settings, OutlierDetector.Settings ejection,
      @Nullable String tlsServerName, System.Logger log) {
    this(vertx, describe(uri), new CloudMapDiscovery(client, uri, health), ownsClient ? client : null, settings,
        ejection, tlsServerName, log);
  }

  /**
   * A target over any discovery (Cloud Map's, or a script in benchmarks).
   *
   * @param owned closed with the target, or null
   */
  CloudMapTarget(Vertx vertx, String description, DiscoveryCache.Discovery discovery, @Nullable AutoCloseable owned,
      DiscoveryCache.Settings settings, OutlierDetector.Settings ejection, @Nullable String tlsServerName,
      System.Logger log) {
    this.owned = owned;
    this.outliers = new OutlierDetector(ejection, System::nanoTime);
    this.tlsServerName = tlsServerName;
    this.description = description;
    Context context = vertx.getOrCreateContext();
    DiscoveryCache.Scheduler scheduler = new DiscoveryCache.Scheduler() {
      @Override
      public long schedule(long delayNanos, Runnable task) {
        return vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> context.runOnContext(v -> task.run()));
      }

      @Override
      public void execute(Runnable task) {
        context.runOnContext(v -> task.run());
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }
    };
    this.cache = new DiscoveryCache(description, discovery, scheduler, settings,
        bound -> ThreadLocalRandom.current().nextLong(Math.max(1, bound)),
        failure -> log.log(System.Logger.Level.WARNING, failure));
  }

  @Override
  public @Nullable Endpoint selectNow() {
    DiscoveryCache.Snapshot snapshot = cache.current();
    if (snapshot == null || snapshot.endpoints().length == 0) {
      return null;
    }
    return pick(snapshot.endpoints());
  }

  /**
   * The next endpoint in turn that is not ejected; if every one is ejected, the next in turn anyway (failing
   * open: a request that may succeed beats a certain 503).
   */
  private Endpoint pick(Endpoint[] endpoints) {
    int start = next++;
    for (int i = 0; i < endpoints.length; i++) {
      Endpoint candidate = endpoints[Math.floorMod(start + i, endpoints.length)];
      if (!outliers.ejected(candidate)) {
        return candidate;
      }
    }
    return endpoints[Math.floorMod(start, endpoints.length)];
  }

  @Override
  public void report(Endpoint endpoint, Outcome outcome) {
    outliers.report(endpoint, outcome);
  }

  @Override
  public Future<Endpoint> select() {
    Promise<Endpoint> picked = Promise.promise();
    cache.ready().whenComplete((snapshot, error) -> {
      if (error != null) {
        picked.fail(description + ": discovery failed: " + error.getMessage());
        return;
      }
      Endpoint[] endpoints = snapshot.endpoints();
      if (endpoints.length == 0) {
        picked.fail(description + ": no healthy instance with an address and a port");
        return;
      }
      picked.complete(pick(endpoints));
    });
    return picked.future();
  }

  @Override
  public @Nullable String tlsServerName() {
    return tlsServerName;
  }

  @Override
  public Future<Void> close() {
    cache.close();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public String toString() {
    return description;
  }

  private static String describe(CloudMapServiceUri uri) {
    return "Cloud Map service " + (uri.serviceId() != null ? uri.serviceId() : uri.namespaceName() + "/"
        + uri.serviceName()) + (uri.queryParameters().isEmpty() ? "" : " " + uri.queryParameters());
  }

  /** Cloud Map's calls for one key; the names of an ARN's service are looked up once, on first use. */
  private static final class CloudMapDiscovery implements DiscoveryCache.Discovery {
    private final ServiceDiscoveryAsyncClient client;
    private final CloudMapServiceUri uri;
    private final HealthStatusFilter health;
    private volatile @Nullable CompletableFuture<String[]> names;

    CloudMapDiscovery(ServiceDiscoveryAsyncClient client, CloudMapServiceUri uri, HealthStatusFilter health) {
      this.client = client;
      this.uri = uri;
      this.health = health;
    }

    @Override
    public CompletionStage<DiscoveryCache.Discovered> discover() {
      return names().thenCompose(names -> client.discoverInstances(request -> request
              .namespaceName(names[0]).serviceName(names[1])
              .queryParameters(uri.queryParameters().isEmpty() ? null : uri.queryParameters())
              .healthStatus(health)))
          .thenApply(response -> new DiscoveryCache.Discovered(CloudMapInstances.of(response.instances()),
              response.instancesRevision() == null ? 0 : response.instancesRevision()));
    }

    @Override
    public CompletionStage<Long> revision() {
      return names().thenCompose(names -> client.discoverInstancesRevision(request -> request
              .namespaceName(names[0]).serviceName(names[1])))
          .thenApply(response -> response.instancesRevision() == null ? 0L : response.instancesRevision());
    }

    /** The namespace's HTTP name and the service's name: from the shorthand, or looked up for an ARN. */
    private CompletableFuture<String[]> names() {
      if (uri.serviceId() == null) {
        return CompletableFuture.completedFuture(new String[] {uri.namespaceName(), uri.serviceName()});
      }
      CompletableFuture<String[]> known = names;
      if (known != null && !known.isCompletedExceptionally()) {
        return known;
      }
      CompletableFuture<String[]> lookup = client.getService(request -> request.id(uri.serviceId()))
          .thenCompose(service -> client.getNamespace(request -> request.id(service.service().namespaceId()))
              .thenApply(namespace -> new String[] {
                  namespace.namespace().properties().httpProperties().httpName(), service.service().name()}));
      names = lookup;
      return lookup;
    }
  }
}
