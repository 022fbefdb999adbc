package dev.gatelink.cloudmap;

import dev.gatelink.target.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The instances of one (service, query) key, kept fresh in the background so that Cloud Map is never on the
 * request path once the first discovery is done.
 *
 * <p>The first {@link #ready()} starts the first {@code DiscoverInstances}; every caller until it answers
 * shares that one call. From then on {@link #current()} is one volatile read: no lock, no allocation. A
 * refresh loop polls the cheap {@code DiscoverInstancesRevision} every {@code pollInterval} (jittered) and
 * calls {@code DiscoverInstances} only when the revision moved or the set is {@code maxAge} old (health
 * changes do not move the revision). When a call fails, the last good set is served for up to
 * {@code maxStaleness}, and the loop backs off exponentially with full jitter, up to {@code maxBackoff}. Every
 * failure is counted and reported to {@code failures}.
 *
 * <p>All of the loop runs on one thread at a time: {@link Scheduler} runs each step (a timer, or an answer
 * handed back) on the cache's own context.
 */
final class DiscoveryCache implements AutoCloseable {
  /** What the cache calls: Cloud Map, or a script in tests. */
  interface Discovery {
    /** {@code DiscoverInstances} for this key: the usable instances and the revision they are at. */
    CompletionStage<Discovered> discover();

    /** {@code DiscoverInstancesRevision} for this key. */
    CompletionStage<Long> revision();
  }

  /** What the refresh loop runs on: timers and a clock. */
  interface Scheduler {
    /** Runs the task once, after the delay, on the cache's context; returns an id to cancel it. */
    long schedule(long delayNanos, Runnable task);

    /** Runs the task on the cache's context, soon (used to hand back answers that arrive on other threads). */
    void execute(Runnable task);

    void cancel(long id);

    long nanoTime();
  }

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
   * @param fetchedNanos when they were fetched, on the scheduler's clock
   * @param instanceIds the Cloud Map instance ids at each endpoint
   */
  record Snapshot(Endpoint[] endpoints, long revision, long fetchedNanos, Map<Endpoint, List<String>> instanceIds) {}

  /**
   * The cache's timing.
   *
   * @param pollInterval between revision polls (each jittered by up to a fifth either way)
   * @param maxAge the oldest a set gets before {@code DiscoverInstances} is called even at the same revision
   * @param maxStaleness how long the last good set is served while calls fail
   * @param maxBackoff the longest wait between calls while they fail
   */
  record Settings(Duration pollInterval, Duration maxAge, Duration maxStaleness, Duration maxBackoff) {
    /** The defaults, and why: see cloudmap-adapter/README.md. */
    static final Settings DEFAULTS = new Settings(Duration.ofSeconds(15), Duration.ofSeconds(90),
        Duration.ofMinutes(10), Duration.ofMinutes(2));
  }

  private final Discovery discovery;
  private final Scheduler scheduler;
  private final Settings settings;
  private final LongUnaryOperator random;
  private final Consumer<String> failures;
  private final String key;

  private volatile @Nullable Snapshot snapshot;
  private final CompletableFuture<Snapshot> first = new CompletableFuture<>();
  private final AtomicLong firstStarted = new AtomicLong();
  final AtomicLong discoverCalls = new AtomicLong();
  final AtomicLong revisionCalls = new AtomicLong();
  final AtomicLong failedCalls = new AtomicLong();

  // Refresh-loop state: touched only on the scheduler's context.
  private int consecutiveFailures;
  private long timer = -1;
  private boolean closed;

  /**
   * @param key the (service, query) key, for messages
   * @param random {@code bound -> a random number in [0, bound)}, for jitter
   * @param failures told of every failed call, with what failed
   */
  DiscoveryCache(String key, Discovery discovery, Scheduler scheduler, Settings settings, LongUnaryOperator random,
      Consumer<String> failures) {
    this.key = key;
    this.discovery = discovery;
    this.scheduler = scheduler;
    this.settings = settings;
    this.random = random;
    this.failures = failures;
  }

  /** {@return the endpoints served now, or null before the first discovery answered}: one volatile read */
  @Nullable Snapshot current() {
    return snapshot;
  }

  /**
   * The endpoints, once known: at once after the first discovery; before it, the first call starts it and
   * every call shares it. If the first discovery failed, the failure (until a later one succeeds).
   */
  CompletionStage<Snapshot> ready() {
    Snapshot now = snapshot;
    if (now != null) {
      return CompletableFuture.completedFuture(now);
    }
    if (firstStarted.compareAndSet(0, 1)) {
      scheduler.execute(this::discoverNow);
    }
    return first;
  }

  @Override
  public void close() {
    scheduler.execute(() -> {
      closed = true;
      if (timer >= 0) {
        scheduler.cancel(timer);
      }
    });
  }

  private void poll() {
    timer = -1;
    if (closed) {
      return;
    }
    Snapshot now = snapshot;
    if (now == null || scheduler.nanoTime() - now.fetchedNanos() >= settings.maxAge().toNanos()) {
      discoverNow();
      return;
    }
    revisionCalls.incrementAndGet();
    discovery.revision().whenComplete((revision, error) -> scheduler.execute(() -> {
      if (closed) {
        return;
      }
      if (error != null) {
        failed("DiscoverInstancesRevision", error);
      } else if (revision != now.revision()) {
        discoverNow();
      } else {
        succeeded();
      }
    }));
  }

  private void discoverNow() {
    if (closed) {
      return;
    }
    discoverCalls.incrementAndGet();
    discovery.discover().whenComplete((discovered, error) -> scheduler.execute(() -> {
      if (closed && first.isDone()) {
        // An answer after close (its client may be closed under it): nothing to refresh, nothing to report.
        return;
      }
      if (error != null) {
        failed("DiscoverInstances", error);
        return;
      }
      Snapshot fresh = new Snapshot(discovered.instances().endpoints().toArray(new Endpoint[0]),
          discovered.revision(), scheduler.nanoTime(), discovered.instances().instanceIds());
      snapshot = fresh;
      first.complete(fresh);
      for (String skipped : discovered.instances().skipped()) {
        failures.accept(key + ": " + skipped);
      }
      succeeded();
    }));
  }

  private void succeeded() {
    consecutiveFailures = 0;
    schedule(jittered(settings.pollInterval().toNanos()));
  }

  private void failed(String call, Throwable error) {
    failedCalls.incrementAndGet();
    consecutiveFailures++;
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    failures.accept(key + ": " + call + " failed (" + consecutiveFailures + " in a row): " + cause);
    first.completeExceptionally(cause);
    Snapshot now = snapshot;
    if (now != null && now.endpoints().length > 0
        && scheduler.nanoTime() - now.fetchedNanos() >= settings.maxStaleness().toNanos()) {
      snapshot = new Snapshot(new Endpoint[0], now.revision(), now.fetchedNanos(), Map.of());
      failures.accept(key + ": the last good set is older than " + settings.maxStaleness()
          + " and no longer served");
    }
    // Full jitter over an exponentially growing ceiling: pollInterval, 2x, 4x, ... up to maxBackoff.
    long ceiling = Math.min(settings.maxBackoff().toNanos(),
        settings.pollInterval().toNanos() << Math.min(consecutiveFailures - 1, 20));
    schedule(random.applyAsLong(ceiling + 1));
  }

  private void schedule(long delayNanos) {
    if (!closed) {
      timer = scheduler.schedule(delayNanos, this::poll);
    }
  }

  /** The interval, moved by up to a fifth either way, so that a fleet's polls spread out. */
  private long jittered(long interval) {
    long spread = interval / 5;
    return interval - spread + random.applyAsLong(2 * spread + 1);
  }

  @Override
  public String toString() {
    return "DiscoveryCache[" + key + "]";
  }

  /** {@return the endpoints of a snapshot as a list, for messages and tests} */
  static List<Endpoint> endpoints(Snapshot snapshot) {
    return List.of(snapshot.endpoints());
  }
}
