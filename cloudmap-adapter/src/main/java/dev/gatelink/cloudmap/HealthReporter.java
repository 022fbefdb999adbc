package dev.gatelink.cloudmap;

import dev.gatelink.target.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;

/**
 * Reports ejections to Cloud Map ({@code reportHealth: true}): when the outlier detector ejects an endpoint, its
 * instances are marked {@code UNHEALTHY} with {@code UpdateInstanceCustomHealthStatus}, so that other gateways
 * (and the {@code HEALTHY} filter) leave them out too. Since an instance marked unhealthy may then get no
 * traffic from anyone, this gateway probes it itself: a TCP connect when its ejection ends, then after twice
 * the last wait (at most the longest ejection) until a connect succeeds, which marks its instances
 * {@code HEALTHY} again. An endpoint already reported is not reported again until it has recovered.
 *
 * <p>If the service has no custom health check ({@code CustomHealthNotFound}), that is logged once and
 * reporting stops for this target. Cloud Map calls are started on worker threads, never on an event loop.
 */
final class HealthReporter implements OutlierDetector.EjectionListener, AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final ServiceDiscoveryAsyncClient client;
  private final String serviceId;
  private final Executor calls;
  private final Supplier<Map<Endpoint, List<String>>> instanceIds;
  private final Duration maxWait;
  private final System.Logger log;
  private final NetClient probes;
  /** Endpoints reported unhealthy and not yet recovered, with the instance ids reported. */
  private final Map<Endpoint, List<String>> reported = new ConcurrentHashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();

  HealthReporter(Vertx vertx, ServiceDiscoveryAsyncClient client, String serviceId, Executor calls,
      Supplier<Map<Endpoint, List<String>>> instanceIds, Duration maxWait, System.Logger log) {
    this.vertx = vertx;
    this.client = client;
    this.serviceId = serviceId;
    this.calls = calls;
    this.instanceIds = instanceIds;
    this.maxWait = maxWait;
    this.log = log;
    this.probes = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) CONNECT_TIMEOUT.toMillis()));
  }

  @Override
  public void ejected(Endpoint endpoint, long lengthNanos) {
    List<String> ids = instanceIds.get().get(endpoint);
    if (stopped.get() || ids == null || ids.isEmpty() || reported.putIfAbsent(endpoint, ids) != null) {
      return;
    }
    update(ids, CustomHealthStatus.UNHEALTHY);
    probeAfter(endpoint, Math.max(1, lengthNanos / 1_000_000));
  }

  /** {@return the endpoints reported unhealthy and not yet recovered} */
  Map<Endpoint, List<String>> reported() {
    return Map.copyOf(reported);
  }

  private void probeAfter(Endpoint endpoint, long delayMillis) {
    if (stopped.get()) {
      return;
    }
    vertx.setTimer(delayMillis, timer -> probes.connect(endpoint.port(), endpoint.host()).onComplete(connected -> {
      if (connected.succeeded()) {
        connected.result().close();
        List<String> ids = reported.remove(endpoint);
        if (ids != null && !stopped.get()) {
          update(ids, CustomHealthStatus.HEALTHY);
        }
      } else {
        probeAfter(endpoint, Math.min(maxWait.toMillis(), delayMillis * 2));
      }
    }));
  }

  private void update(List<String> ids, CustomHealthStatus status) {
    for (String id : ids) {
      CompletableFuture.supplyAsync(() -> client.updateInstanceCustomHealthStatus(
              request -> request.serviceId(serviceId).instanceId(id).status(status)), calls)
          .thenCompose(call -> call)
          .whenComplete((response, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
            if (cause == null) {
              log.log(System.Logger.Level.INFO, "Cloud Map service " + serviceId + ": instance " + id
                  + " reported " + status);
            } else if (cause instanceof CustomHealthNotFoundException) {
              if (stopped.compareAndSet(false, true)) {
                log.log(System.Logger.Level.WARNING, "Cloud Map service " + serviceId + " has no custom health "
                    + "check, so reportHealth cannot report instance health; reporting stops for it: " + cause);
              }
            } else {
              log.log(System.Logger.Level.WARNING, "Cloud Map service " + serviceId + ": reporting instance " + id
                  + " " + status + " failed: " + cause);
            }
          });
    }
  }

  @Override
  public void close() {
    stopped.set(true);
    probes.close();
  }
}
