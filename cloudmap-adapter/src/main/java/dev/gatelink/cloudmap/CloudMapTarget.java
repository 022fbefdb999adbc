package dev.gatelink.cloudmap;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.Target;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * A Cloud Map service as a target: its instances come from a {@link DiscoveryCache}, and each request goes to
 * an endpoint that the {@link OutlierDetector} has not ejected, by round robin (over the cached array, its turn
 * shared without a lock) or least outstanding requests (the less busy of two endpoints picked at random). No
 * allocation once the set is known.
 */
final class CloudMapTarget implements Target {
  /** Reporting ejections to Cloud Map ({@code reportHealth}): the client, the service and where calls start. */
  record Reporting(ServiceDiscoveryAsyncClient client, String serviceId, Executor calls) {}

  private final DiscoveryCache cache;
  private final @Nullable AutoCloseable owned;
  private final @Nullable String tlsServerName;
  private final String description;
  private final boolean leastOutstanding;
  /**
   * The round-robin turn. A plain field on purpose: event loops share it without a lock or an atomic
   * increment (which alone costs about 6 ns, four times the array read); a lost or repeated increment when two
   * loops pick at the same moment only sends two requests to the same endpoint, which round robin tolerates.
   */
  private int next;
  private final OutlierDetector outliers;
  private final @Nullable HealthReporter reporter;
  /** Outstanding requests per endpoint of the current snapshot (least outstanding requests only). */
  private final AtomicReference<@Nullable Loads> loads = new AtomicReference<>();

  /**
   * The requests sent and not yet reported, per endpoint of one snapshot: counters in the snapshot's order,
   * and by endpoint for reports. A new snapshot keeps the counters of the endpoints it still has.
   */
  private static final class Loads {
    final DiscoveryCache.Snapshot snapshot;
    final AtomicInteger[] outstanding;
    final Map<Endpoint, AtomicInteger> byEndpoint;

    Loads(DiscoveryCache.Snapshot snapshot, @Nullable Loads previous) {
      this.snapshot = snapshot;
      Endpoint[] endpoints = snapshot.endpoints();
      this.outstanding = new AtomicInteger[endpoints.length];
      Map<Endpoint, AtomicInteger> map = new HashMap<>();
      for (int i = 0; i < endpoints.length; i++) {
        AtomicInteger kept = previous == null ? null : previous.byEndpoint.get(endpoints[i]);
        outstanding[i] = kept != null ? kept : new AtomicInteger();
        map.put(endpoints[i], outstanding[i]);
      }
      this.byEndpoint = map;
    }
  }

  /** A target over Cloud Map, with the integration's options. */
  static CloudMapTarget of(Vertx vertx, ServiceDiscoveryAsyncClient client, @Nullable AutoCloseable owned,
      CloudMapServiceUri uri, CloudMapOptions options, DiscoveryCache.Settings settings,
      OutlierDetector.Settings ejection, @Nullable String tlsServerName, System.Logger log) {
    Executor calls = task -> vertx.executeBlocking(() -> {
      task.run();
      return null;
    }, false);
    Reporting reporting = options.reportHealth() && uri.serviceId() != null
        ? new Reporting(client, uri.serviceId(), calls) : null;
    return new CloudMapTarget(vertx, describe(uri), new CloudMapDiscovery(client, uri, options, calls), owned,
        settings, ejection, options.loadBalancing(), reporting, tlsServerName, log);
  }

  /**
   * A target over any discovery (Cloud Map's, or a script in tests and benchmarks).
   *
   * @param owned closed with the target, or null
   * @param reporting where to report ejections, or null to keep them to this gateway
   */
  CloudMapTarget(Vertx vertx, String description, DiscoveryCache.Discovery discovery, @Nullable AutoCloseable owned,
      DiscoveryCache.Settings settings, OutlierDetector.Settings ejection, CloudMapOptions.LoadBalancing balancing,
      @Nullable Reporting reporting, @Nullable String tlsServerName, System.Logger log) {
    this.owned = owned;
    this.leastOutstanding = balancing == CloudMapOptions.LoadBalancing.LEAST_OUTSTANDING_REQUESTS;
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
    this.reporter = reporting == null ? null : new HealthReporter(vertx, reporting.client(), reporting.serviceId(),
        reporting.calls(), () -> {
          DiscoveryCache.Snapshot now = cache.current();
          return now == null ? Map.of() : now.instanceIds();
        }, ejection.baseEjection(), log);
    this.outliers = reporter == null
        ? new OutlierDetector(ejection, System::nanoTime)
        : new OutlierDetector(ejection, System::nanoTime, reporter);
  }

  @Override
  public @Nullable Endpoint selectNow() {
    DiscoveryCache.Snapshot snapshot = cache.current();
    if (snapshot == null || snapshot.endpoints().length == 0) {
      return null;
    }
    return pick(snapshot);
  }

  private Endpoint pick(DiscoveryCache.Snapshot snapshot) {
    Endpoint[] endpoints = snapshot.endpoints();
    if (!leastOutstanding) {
      return endpoints[roundRobin(endpoints)];
    }
    Loads current = loads.get();
    if (current == null || current.snapshot != snapshot) {
      current = newLoads(snapshot, current);
    }
    int chosen;
    if (endpoints.length == 1) {
      chosen = 0;
    } else {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int a = random.nextInt(endpoints.length);
      int b = random.nextInt(endpoints.length - 1);
      if (b >= a) {
        b++;
      }
      boolean aOut = outliers.ejected(endpoints[a]);
      boolean bOut = outliers.ejected(endpoints[b]);
      if (aOut && bOut) {
        chosen = roundRobin(endpoints);
      } else if (aOut || bOut) {
        chosen = aOut ? b : a;
      } else {
        chosen = current.outstanding[b].get() < current.outstanding[a].get() ? b : a;
      }
    }
    current.outstanding[chosen].incrementAndGet();
    return endpoints[chosen];
  }

  /**
   * The counters of a new snapshot (made once per discovery, not per request), published once: a loser of a
   * race uses the winner's. A pick that still holds an older snapshot than the cache's does not publish, so
   * counters never go back to an older set.
   */
  private Loads newLoads(DiscoveryCache.Snapshot snapshot, @Nullable Loads previous) {
    Loads fresh = new Loads(snapshot, previous);
    if (cache.current() != snapshot) {
      return fresh;
    }
    if (loads.compareAndSet(previous, fresh)) {
      return fresh;
    }
    Loads winner = loads.get();
    return winner != null && winner.snapshot == snapshot ? winner : fresh;
  }

  /**
   * The index of the next endpoint in turn that is not ejected; if every one is ejected, the next in turn
   * anyway (failing open: a request that may succeed beats a certain 503).
   */
  private int roundRobin(Endpoint[] endpoints) {
    int start = next++;
    for (int i = 0; i < endpoints.length; i++) {
      int index = Math.floorMod(start + i, endpoints.length);
      if (!outliers.ejected(endpoints[index])) {
        return index;
      }
    }
    return Math.floorMod(start, endpoints.length);
  }

  /** {@return the requests sent to the endpoint and not yet reported (least outstanding requests only)} */
  int outstanding(Endpoint endpoint) {
    Loads current = loads.get();
    AtomicInteger count = current == null ? null : current.byEndpoint.get(endpoint);
    return count == null ? 0 : count.get();
  }

  @Override
  public void report(Endpoint endpoint, Outcome outcome) {
    if (leastOutstanding) {
      Loads current = loads.get();
      AtomicInteger count = current == null ? null : current.byEndpoint.get(endpoint);
      if (count != null) {
        count.getAndUpdate(CloudMapTarget::decrementToZero);
      }
    }
    outliers.report(endpoint, outcome);
  }

  /** A count goes down to zero, not below: a pick counted by a snapshot's predecessor may be reported twice. */
  private static int decrementToZero(int count) {
    return count > 0 ? count - 1 : 0;
  }

  @Override
  public Future<Endpoint> select() {
    Promise<Endpoint> picked = Promise.promise();
    cache.ready().whenComplete((snapshot, error) -> {
      if (error != null) {
        picked.fail(description + ": discovery failed: " + error.getMessage());
        return;
      }
      if (snapshot.endpoints().length == 0) {
        picked.fail(description + ": no healthy instance with an address and a port");
        return;
      }
      picked.complete(pick(snapshot));
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
    // Instances this target reported unhealthy are handed back (HEALTHY) before its client may close.
    CompletableFuture<Void> handedBack = reporter == null ? CompletableFuture.completedFuture(null) : reporter.close();
    return Future.fromCompletionStage(handedBack.thenRun(() -> {
      if (owned != null) {
        try {
          owned.close();
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      }
    }));
  }

  @Override
  public String toString() {
    return description;
  }

  private static String describe(CloudMapServiceUri uri) {
    return "Cloud Map service " + (uri.serviceId() != null ? uri.serviceId() : uri.namespaceName() + "/"
        + uri.serviceName()) + (uri.queryParameters().isEmpty() ? "" : " " + uri.queryParameters());
  }

  /**
   * Cloud Map's calls for one key; the names of an ARN's service are looked up once, on first use. Every call is
   * started on a worker thread: the SDK resolves credentials on the calling thread, and a credentials provider
   * may block (STS, the instance metadata service).
   */
  private static final class CloudMapDiscovery implements DiscoveryCache.Discovery {
    private final ServiceDiscoveryAsyncClient client;
    private final CloudMapServiceUri uri;
    private final CloudMapOptions options;
    private final Executor calls;
    private volatile @Nullable CompletableFuture<String[]> names;

    CloudMapDiscovery(ServiceDiscoveryAsyncClient client, CloudMapServiceUri uri, CloudMapOptions options,
        Executor calls) {
      this.client = client;
      this.uri = uri;
      this.options = options;
      this.calls = calls;
    }

    @Override
    public CompletionStage<DiscoveryCache.Discovered> discover() {
      return names().thenCompose(names -> call(() -> client.discoverInstances(request -> request
              .namespaceName(names[0]).serviceName(names[1])
              .queryParameters(uri.queryParameters().isEmpty() ? null : uri.queryParameters())
              .optionalParameters(options.optionalParameters().isEmpty() ? null : options.optionalParameters())
              .healthStatus(options.healthStatus()))))
          .thenApply(response -> new DiscoveryCache.Discovered(CloudMapInstances.of(response.instances()),
              response.instancesRevision() == null ? 0 : response.instancesRevision()));
    }

    @Override
    public CompletionStage<Long> revision() {
      return names().thenCompose(names -> call(() -> client.discoverInstancesRevision(request -> request
              .namespaceName(names[0]).serviceName(names[1]))))
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
      CompletableFuture<String[]> lookup = call(() -> client.getService(request -> request.id(uri.serviceId())))
          .thenCompose(service -> call(() -> client.getNamespace(request -> request.id(service.service().namespaceId())))
              .thenApply(namespace -> new String[] {
                  namespace.namespace().properties().httpProperties().httpName(), service.service().name()}));
      names = lookup;
      return lookup;
    }

    private <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> start) {
      return CompletableFuture.supplyAsync(start, calls).thenCompose(Function.identity());
    }
  }
}
