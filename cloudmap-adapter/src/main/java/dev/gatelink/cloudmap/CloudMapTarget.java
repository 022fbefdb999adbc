package dev.gatelink.cloudmap;

import dev.gatelink.aws.AwsClients;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.EndpointPicker;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.OutlierDetector;
import dev.gatelink.target.OutlierSettings;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.RefreshingSnapshot;
import dev.gatelink.target.Target;
import dev.gatelink.target.TlsPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * A Cloud Map service as a target, on the shared target machinery: its instances come from a
 * {@link DiscoveryCache} (a refreshing snapshot), and each request goes to an endpoint that the
 * {@link OutlierDetector} has not ejected, picked by an {@link EndpointPicker} (round robin, least outstanding
 * requests or weighted random). No allocation once the set is known.
 */
final class CloudMapTarget implements Target {
  /** Reporting ejections to Cloud Map ({@code reportHealth}): the client, the service and where calls start. */
  record Reporting(ServiceDiscoveryAsyncClient client, String serviceId, Executor calls) {}

  private final DiscoveryCache cache;
  private final @Nullable AutoCloseable owned;
  private final TlsPolicy tls;
  private final String description;
  private final EndpointPicker picker;
  private final @Nullable HealthReporter reporter;

  /** A target over Cloud Map through a client lease, with the integration's options. */
  static CloudMapTarget of(Vertx vertx, AwsClients.Lease<ServiceDiscoveryAsyncClient> cloudMap,
      CloudMapServiceUri uri, CloudMapOptions options, RefreshSettings settings, OutlierSettings ejection,
      TlsPolicy tls, System.Logger log) {
    Reporting reporting = options.reportHealth() && uri.serviceId() != null
        ? new Reporting(cloudMap.client(), uri.serviceId(), cloudMap.calls()) : null;
    return new CloudMapTarget(vertx, describe(uri), new CloudMapDiscovery(cloudMap, uri, options), cloudMap,
        settings, ejection, options.loadBalancing(), reporting, tls, log);
  }

  /**
   * A target over any discovery (Cloud Map's, or a script in tests and benchmarks).
   *
   * @param owned closed with the target, or null
   * @param reporting where to report ejections, or null to keep them to this gateway
   */
  CloudMapTarget(Vertx vertx, String description, DiscoveryCache.Discovery discovery, @Nullable AutoCloseable owned,
      RefreshSettings settings, OutlierSettings ejection, LoadBalancing balancing,
      @Nullable Reporting reporting, TlsPolicy tls, System.Logger log) {
    this.owned = owned;
    this.tls = tls;
    this.description = description;
    this.cache = new DiscoveryCache(description, discovery, RefreshingSnapshot.Scheduler.on(vertx), settings,
        bound -> ThreadLocalRandom.current().nextLong(Math.max(1, bound)),
        failure -> log.log(System.Logger.Level.WARNING, failure));
    this.reporter = reporting == null ? null : new HealthReporter(vertx, reporting.client(), reporting.serviceId(),
        reporting.calls(), () -> {
          DiscoveryCache.Snapshot now = cache.current();
          return now == null ? Map.of() : now.instanceIds();
        }, ejection.baseEjection(), log);
    OutlierDetector outliers = reporter == null
        ? new OutlierDetector(ejection, System::nanoTime)
        : new OutlierDetector(ejection, System::nanoTime, reporter);
    this.picker = new EndpointPicker(balancing, outliers);
  }

  @Override
  public @Nullable Endpoint selectNow() {
    DiscoveryCache.Snapshot snapshot = cache.current();
    return snapshot == null ? null : picker.pick(snapshot.endpoints());
  }

  /** {@return the requests sent to the endpoint and not yet reported (least outstanding requests only)} */
  int outstanding(Endpoint endpoint) {
    return picker.outstanding(endpoint);
  }

  @Override
  public void report(Endpoint endpoint, Outcome outcome) {
    picker.report(endpoint, outcome);
  }

  @Override
  public Future<Endpoint> select() {
    Promise<Endpoint> picked = Promise.promise();
    cache.ready().whenComplete((snapshot, error) -> {
      if (error != null) {
        picked.fail(description + ": discovery failed: " + error.getMessage());
        return;
      }
      Endpoint endpoint = picker.pick(snapshot.endpoints());
      if (endpoint == null) {
        picked.fail(description + ": no healthy instance with an address and a port");
        return;
      }
      picked.complete(endpoint);
    });
    return picked.future();
  }

  @Override
  public TlsPolicy tls() {
    return tls;
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
   * started on a worker thread ({@link AwsClients.Lease#call}).
   */
  private static final class CloudMapDiscovery implements DiscoveryCache.Discovery {
    private final AwsClients.Lease<ServiceDiscoveryAsyncClient> cloudMap;
    private final ServiceDiscoveryAsyncClient client;
    private final CloudMapServiceUri uri;
    private final CloudMapOptions options;
    private volatile @Nullable CompletableFuture<String[]> names;

    CloudMapDiscovery(AwsClients.Lease<ServiceDiscoveryAsyncClient> cloudMap, CloudMapServiceUri uri,
        CloudMapOptions options) {
      this.cloudMap = cloudMap;
      this.client = cloudMap.client();
      this.uri = uri;
      this.options = options;
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

    private <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> start) {
      return cloudMap.call(start);
    }
  }
}
