package dev.gatelink.cloudmap;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.EndpointSet;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.RefreshingSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The instances of one (service, query) key, kept fresh by a {@link RefreshingSnapshot}: Cloud Map's cheap
 * check is {@code DiscoverInstancesRevision}, its fetch {@code DiscoverInstances} (health changes do not move
 * the revision, so a set is fetched again at {@code maxAge} whatever the revision says), and a set older than
 * {@code maxStaleness} while calls fail is replaced by no endpoints.
 *
 * <p>Each fetch first polls the revision (its baseline), then discovers; a later poll sees a change when it
 * differs from that baseline (or, when the baseline call failed, from the discovered set's revision). Cloud
 * Map's two revisions agree; an emulator (moto) computes them over different instance sets when the
 * integration has a query filter, so that comparing a poll with the discovered set's revision would either
 * fetch at every poll or miss a deregistration until the maximum age.
 */
final class DiscoveryCache implements AutoCloseable {
  /** What the cache calls: Cloud Map, or a script in tests. */
  interface Discovery {
    /** {@code DiscoverInstances} for this key: the usable instances and the revision they are at. */
    CompletionStage<Discovered> discover();

    /** {@code DiscoverInstancesRevision} for this key. */
    CompletionStage<Long> revision();
  }

  /** What the refresh loop runs on: timers and a clock (the shared machinery's scheduler). */
  interface Scheduler extends RefreshingSnapshot.Scheduler {}

  /**
   * One answer of {@code DiscoverInstances}.
   *
   * @param instances the endpoints and the instances left out
   * @param revision the {@code InstancesRevision} of that answer
   */
  record Discovered(CloudMapInstances instances, long revision) {}

  /**
   * The endpoints served now.
   *
   * @param endpoints the endpoints; empty means no usable instance (or a set too stale to serve)
   * @param revision the revision they came with
   * @param instanceIds the Cloud Map instance ids at each endpoint
   * @param skipped why instances were left out of this set
   * @param baseline the revision polled just before this set was discovered, or null if that poll failed
   */
  record Snapshot(EndpointSet endpoints, long revision, Map<Endpoint, List<String>> instanceIds,
      List<String> skipped, @Nullable Long baseline) {}

  /** The default timing, and why: see cloudmap-adapter/README.md. */
  static final RefreshSettings DEFAULTS = RefreshSettings.builder().build();

  private final RefreshingSnapshot<Snapshot> snapshot;
  final AtomicLong discoverCalls = new AtomicLong();
  final AtomicLong revisionCalls = new AtomicLong();
  final AtomicLong failedCalls = new AtomicLong();
  /** The revision polls made as the baseline of a fetch (not counted in {@link #revisionCalls}). */
  final AtomicLong baselineCalls = new AtomicLong();

  /**
   * @param key the (service, query) key, for messages
   * @param random {@code bound -> a random number in [0, bound)}, for jitter
   * @param failures told of every failed call, with what failed
   */
  DiscoveryCache(String key, Discovery discovery, RefreshingSnapshot.Scheduler scheduler, RefreshSettings settings,
      LongUnaryOperator random, Consumer<String> failures) {
    this.snapshot = new RefreshingSnapshot<>(key, new CloudMapSource(discovery), scheduler, settings,
        random, failures);
  }

  /** {@return the endpoints served now, or null before the first discovery answered}: one volatile read */
  @Nullable Snapshot current() {
    return snapshot.current();
  }

  /**
   * The endpoints, once known: at once after the first discovery; before it, the first call starts it and
   * every call shares it. If the first discovery failed, the failure (until a later one succeeds).
   */
  CompletionStage<Snapshot> ready() {
    return snapshot.ready();
  }

  @Override
  public void close() {
    snapshot.close();
  }

  @Override
  public String toString() {
    return "DiscoveryCache[" + snapshot + "]";
  }

  /** {@return the endpoints of a snapshot as a list, for messages and tests} */
  static List<Endpoint> endpoints(Snapshot snapshot) {
    return snapshot.endpoints().asList();
  }

  /** Cloud Map's calls as the refresh loop's source, counted. */
  private final class CloudMapSource implements RefreshingSnapshot.Source<Snapshot> {
    private final Discovery discovery;

    CloudMapSource(Discovery discovery) {
      this.discovery = discovery;
    }

    @Override
    public CompletionStage<Snapshot> fetch() {
      discoverCalls.incrementAndGet();
      baselineCalls.incrementAndGet();
      return discovery.revision().handle((polled, error) -> error == null ? polled : null)
          .thenCompose(baseline -> counted(discovery.discover()).thenApply(discovered -> new Snapshot(
              EndpointSet.of(discovered.instances().endpoints()), discovered.revision(),
              discovered.instances().instanceIds(), discovered.instances().skipped(), baseline)));
    }

    @Override
    public CompletionStage<Boolean> changedSince(Snapshot current) {
      revisionCalls.incrementAndGet();
      return counted(discovery.revision()).thenApply(polled -> {
        Long baseline = current.baseline();
        return baseline != null ? polled.longValue() != baseline : polled != current.revision();
      });
    }

    @Override
    public Snapshot expired(Snapshot stale) {
      return stale.endpoints().isEmpty() ? stale
          : new Snapshot(EndpointSet.empty(), stale.revision(), Map.of(), List.of(), stale.baseline());
    }

    @Override
    public List<String> warnings(Snapshot value) {
      return value.skipped();
    }

    @Override
    public String fetchName() {
      return "DiscoverInstances";
    }

    @Override
    public String checkName() {
      return "DiscoverInstancesRevision";
    }

    @Override
    public String valueName() {
      return "set";
    }

    private <T> CompletionStage<T> counted(CompletionStage<T> call) {
      return call.whenComplete((value, error) -> {
        if (error != null) {
          failedCalls.incrementAndGet();
        }
      });
    }
  }
}
