package dev.gatelink.cloudmap;

import dev.gatelink.target.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import dev.gatelink.target.OutlierDetector;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;

/**
 * Reports ejections to Cloud Map ({@code reportHealth: true}): when the outlier detector ejects an endpoint, its
 * instances are marked {@code UNHEALTHY} with {@code UpdateInstanceCustomHealthStatus}, so that other gateways
 * (and the {@code HEALTHY} filter) leave them out too. Since an instance marked unhealthy may then get no
 * traffic from anyone, this gateway looks after it: a TCP connect when its ejection ends, then one every probe
 * interval until a connect succeeds, which marks its instances {@code HEALTHY} again. The {@code HEALTHY} call
 * of an endpoint is made only after its {@code UNHEALTHY} call has answered, so the two never land out of
 * order. An endpoint already reported is not reported again until it has recovered.
 *
 * <p>On close (a reload, the gateway stopping), every instance still reported unhealthy is marked
 * {@code HEALTHY} again, failing open: nobody would look after it any more, and a new target that still finds
 * it failing ejects and reports it anew. If the service has no custom health check ({@code
 * CustomHealthNotFound}), that is logged once and reporting stops for this target. Cloud Map calls start on
 * worker threads, never on an event loop.
 */
final class HealthReporter implements OutlierDetector.EjectionListener {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** The instances reported unhealthy at an endpoint, and the answer of that report. */
  private record Reported(List<String> ids, CompletableFuture<Void> unhealthy) {}

  private final Vertx vertx;
  private final ServiceDiscoveryAsyncClient client;
  private final String serviceId;
  private final Executor calls;
  private final Supplier<Map<Endpoint, List<String>>> instanceIds;
  private final Duration probeInterval;
  private final System.Logger log;
  private final NetClient probes;
  private final Map<Endpoint, Reported> reported = new ConcurrentHashMap<>();
  private final Map<Endpoint, Long> timers = new ConcurrentHashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicBoolean unsupported = new AtomicBoolean();

  /**
   * @param instanceIds the instance ids at each endpoint of the current set
   * @param probeInterval between probes of an endpoint that still refuses connections
   */
  HealthReporter(Vertx vertx, ServiceDiscoveryAsyncClient client, String serviceId, Executor calls,
      Supplier<Map<Endpoint, List<String>>> instanceIds, Duration probeInterval, System.Logger log) {
    this.vertx = vertx;
    this.client = client;
    this.serviceId = serviceId;
    this.calls = calls;
    this.instanceIds = instanceIds;
    this.probeInterval = probeInterval;
    this.log = log;
    this.probes = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) CONNECT_TIMEOUT.toMillis()));
  }

  @Override
  public void ejected(Endpoint endpoint, long lengthNanos) {
    List<String> ids = instanceIds.get().get(endpoint);
    if (stopped.get() || unsupported.get() || ids == null || ids.isEmpty() || reported.containsKey(endpoint)) {
      return;
    }
    CompletableFuture<Void> unhealthy = new CompletableFuture<>();
    if (reported.putIfAbsent(endpoint, new Reported(ids, unhealthy)) != null) {
      return;
    }
    update(ids, CustomHealthStatus.UNHEALTHY).whenComplete((v, e) -> unhealthy.complete(null));
    probeAfter(endpoint, Math.max(1, lengthNanos / 1_000_000));
  }

  private void probeAfter(Endpoint endpoint, long delayMillis) {
    if (stopped.get()) {
      return;
    }
    timers.put(endpoint, vertx.setTimer(delayMillis, timer -> {
      timers.remove(endpoint);
      probes.connect(endpoint.port(), endpoint.host()).onComplete(connected -> {
        if (connected.failed()) {
          probeAfter(endpoint, probeInterval.toMillis());
          return;
        }
        connected.result().close();
        Reported entry = reported.remove(endpoint);
        if (entry != null && !stopped.get()) {
          entry.unhealthy().thenCompose(v -> update(entry.ids(), CustomHealthStatus.HEALTHY));
        }
      });
    }));
  }

  /** Reports each instance; the future completes when every call has answered, failed or not. */
  private CompletableFuture<Void> update(List<String> ids, CustomHealthStatus status) {
    List<CompletableFuture<?>> answers = new ArrayList<>();
    for (String id : ids) {
      answers.add(CompletableFuture.supplyAsync(() -> client.updateInstanceCustomHealthStatus(
              request -> request.serviceId(serviceId).instanceId(id).status(status)), calls)
          .thenCompose(call -> call)
          .handle((response, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
            if (cause == null) {
              log.log(System.Logger.Level.INFO, "Cloud Map service " + serviceId + ": instance " + id
                  + " reported " + status);
            } else if (cause instanceof CustomHealthNotFoundException) {
              if (unsupported.compareAndSet(false, true)) {
                log.log(System.Logger.Level.WARNING, "Cloud Map service " + serviceId + " has no custom health "
                    + "check, so reportHealth cannot report instance health; reporting stops for it: " + cause);
              }
            } else {
              log.log(System.Logger.Level.WARNING, "Cloud Map service " + serviceId + ": reporting instance " + id
                  + " " + status + " failed: " + cause);
            }
            return null;
          }));
    }
    return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * Stops probing and marks every instance still reported unhealthy {@code HEALTHY} again (failing open).
   *
   * @return completed when those calls have answered (each bounded by the client's call timeout)
   */
  CompletableFuture<Void> close() {
    stopped.set(true);
    timers.values().forEach(vertx::cancelTimer);
    timers.clear();
    probes.close();
    List<CompletableFuture<?>> healthy = new ArrayList<>();
    for (Endpoint endpoint : List.copyOf(reported.keySet())) {
      Reported entry = reported.remove(endpoint);
      if (entry != null && !unsupported.get()) {
        healthy.add(entry.unhealthy().thenCompose(v -> update(entry.ids(), CustomHealthStatus.HEALTHY)));
      }
    }
    return CompletableFuture.allOf(healthy.toArray(new CompletableFuture<?>[0]));
  }
}
