package dev.gatelink.target;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A value fetched from somewhere slow (Cloud Map's instances, a load balancer's listener, a name's DNS
 * addresses) and kept fresh in the background, so that the source is never on the request path once the
 * first fetch is done.
 *
 * <p>The first {@link #ready()} starts the first fetch; every caller until it answers shares that one call
 * (single flight). From then on {@link #current()} is one volatile read: no lock, no allocation. A refresh
 * loop runs the source's cheap check ({@link Source#changedSince}) every {@link RefreshSettings#refreshInterval()}
 * (jittered by up to a fifth either way, so that a fleet's calls spread out), or after the delay the value
 * itself asks for ({@link Source#refreshAfter}, a DNS answer's TTL), and fetches when the check says so or the
 * value is {@link RefreshSettings#maxAge()} old. When a call fails, the last good value stays served for up to
 * {@link RefreshSettings#maxStaleness()} (then {@link Source#expired} is served), and the loop backs off
 * exponentially with full jitter up to {@link RefreshSettings#maxBackoff()}. Every failure is counted and told
 * to the failure listener.
 *
 * <p>All of the loop runs on one thread at a time: the {@link Scheduler} runs each step (a timer, or an answer
 * handed back from another thread) on the snapshot's own context.
 *
 * @param <T> the value kept
 */
public final class RefreshingSnapshot<T> implements AutoCloseable {
  /**
   * Where the value comes from.
   *
   * @param <T> the value
   */
  public interface Source<T> {
    /** {@return the value, fetched now} */
    CompletionStage<T> fetch();

    /**
     * A cheap check of whether the value changed (Cloud Map's revision); the default says it always did, so
     * that every refresh fetches.
     *
     * @param current the value served now
     * @return true when a fetch is due
     */
    default CompletionStage<Boolean> changedSince(T current) {
      return CompletableFuture.completedFuture(true);
    }

    /**
     * How long after this value was fetched the next refresh is due, when the value says (a DNS answer's
     * TTL); null for the settings' refresh interval.
     *
     * @param value the value just fetched
     * @return the delay, or null
     */
    default @Nullable Duration refreshAfter(T value) {
      return null;
    }

    /**
     * What to serve once the last good value is older than the maximum staleness and refreshes still fail;
     * the default keeps serving it.
     *
     * @param stale the last good value
     * @return the value to serve instead
     */
    default T expired(T stale) {
      return stale;
    }

    /**
     * What to report about a value just fetched (instances left out, say), once per fetch.
     *
     * @param value the value
     * @return the warnings, none by default
     */
    default List<String> warnings(T value) {
      return List.of();
    }

    /** {@return the name of the fetch call, for failure messages, such as {@code DiscoverInstances}} */
    default String fetchName() {
      return "fetch";
    }

    /** {@return the name of the cheap check, for failure messages, such as {@code DiscoverInstancesRevision}} */
    default String checkName() {
      return "check";
    }

    /** {@return what the value is, for messages, such as {@code set} or {@code answer}} */
    default String valueName() {
      return "value";
    }
  }

  /** What the refresh loop runs on: timers, a context and a clock. */
  public interface Scheduler {
    /**
     * Runs a task once, after a delay, on the snapshot's context.
     *
     * @param delayNanos the delay
     * @param task the task
     * @return an id to cancel it with
     */
    long schedule(long delayNanos, Runnable task);

    /**
     * Runs a task on the snapshot's context, soon (answers arriving on other threads are handed back so).
     *
     * @param task the task
     */
    void execute(Runnable task);

    /**
     * Cancels a scheduled task.
     *
     * @param id what {@link #schedule} returned
     */
    void cancel(long id);

    /** {@return the clock, in nanoseconds} */
    long nanoTime();

    /**
     * {@return a scheduler on a context of the Vert.x instance (the caller's, or a new event-loop context),
     * with Vert.x timers and {@link System#nanoTime()}}
     *
     * @param vertx the Vert.x instance
     */
    static Scheduler on(Vertx vertx) {
      Context context = vertx.getOrCreateContext();
      return new Scheduler() {
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
    }
  }

  private final String description;
  private final Source<T> source;
  private final Scheduler scheduler;
  private final RefreshSettings settings;
  private final LongUnaryOperator random;
  private final Consumer<String> failures;

  private volatile @Nullable T value;
  private final CompletableFuture<T> first = new CompletableFuture<>();
  private final AtomicLong firstStarted = new AtomicLong();
  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong checks = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();

  // Refresh-loop state: touched only on the scheduler's context.
  private long fetchedNanos;
  private @Nullable T lastGood;
  private int consecutiveFailures;
  private long timer = -1;
  private boolean closed;

  /**
   * A snapshot on a context of the Vert.x instance, jittered with {@link ThreadLocalRandom}.
   *
   * @param vertx the Vert.x instance whose timers and context the loop runs on
   * @param description what is kept, for messages (a service, a listener ARN, a host name)
   * @param source where the value comes from
   * @param settings the timing
   * @param failures told of every failed call and every warning, with the description first
   */
  public RefreshingSnapshot(Vertx vertx, String description, Source<T> source, RefreshSettings settings,
      Consumer<String> failures) {
    this(description, source, Scheduler.on(vertx), settings,
        bound -> ThreadLocalRandom.current().nextLong(Math.max(1, bound)), failures);
  }

  /**
   * A snapshot on any scheduler (a manual clock in tests).
   *
   * @param description what is kept, for messages
   * @param source where the value comes from
   * @param scheduler timers, context and clock
   * @param settings the timing
   * @param random {@code bound -> a random number in [0, bound)}, for jitter
   * @param failures told of every failed call and every warning
   */
  public RefreshingSnapshot(String description, Source<T> source, Scheduler scheduler, RefreshSettings settings,
      LongUnaryOperator random, Consumer<String> failures) {
    this.description = Objects.requireNonNull(description, "description");
    this.source = Objects.requireNonNull(source, "source");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.random = Objects.requireNonNull(random, "random");
    this.failures = Objects.requireNonNull(failures, "failures");
  }

  /** {@return the value served now, or null before the first fetch answered}: one volatile read */
  public @Nullable T current() {
    return value;
  }

  /**
   * The value, once known: at once after the first fetch; before it, the first call starts it and every call
   * shares it. If the first fetch failed, its failure (until a later one succeeds).
   *
   * @return the value's future
   */
  public CompletionStage<T> ready() {
    T now = value;
    if (now != null) {
      return CompletableFuture.completedFuture(now);
    }
    if (firstStarted.compareAndSet(0, 1)) {
      scheduler.execute(this::fetchNow);
    }
    return first;
  }

  /** {@return how many fetches were started} */
  public long fetches() {
    return fetches.get();
  }

  /** {@return how many cheap checks were started} */
  public long checks() {
    return checks.get();
  }

  /** {@return how many calls failed} */
  public long failedCalls() {
    return failedCalls.get();
  }

  /** Stops the refresh loop; an answer that arrives later is dropped. */
  @Override
  public void close() {
    scheduler.execute(() -> {
      closed = true;
      if (timer >= 0) {
        scheduler.cancel(timer);
        timer = -1;
      }
    });
  }

  private void refresh() {
    timer = -1;
    if (closed) {
      return;
    }
    T now = lastGood;
    if (now == null || scheduler.nanoTime() - fetchedNanos >= settings.maxAge().toNanos()) {
      fetchNow();
      return;
    }
    checks.incrementAndGet();
    CompletionStage<Boolean> check;
    try {
      check = source.changedSince(now);
    } catch (RuntimeException e) {
      check = CompletableFuture.failedFuture(e);
    }
    check.whenComplete((changed, error) -> scheduler.execute(() -> {
      if (closed) {
        return;
      }
      if (error != null) {
        failed(source.checkName(), error);
      } else if (changed) {
        fetchNow();
      } else {
        succeeded(null);
      }
    }));
  }

  private void fetchNow() {
    if (closed) {
      return;
    }
    fetches.incrementAndGet();
    CompletionStage<T> fetch;
    try {
      fetch = source.fetch();
    } catch (RuntimeException e) {
      fetch = CompletableFuture.failedFuture(e);
    }
    fetch.whenComplete((fetched, error) -> scheduler.execute(() -> {
      if (closed && first.isDone()) {
        // An answer after close (its client may be closed under it): nothing to refresh, nothing to report.
        return;
      }
      if (error != null) {
        failed(source.fetchName(), error);
        return;
      }
      fetchedNanos = scheduler.nanoTime();
      lastGood = fetched;
      value = fetched;
      first.complete(fetched);
      for (String warning : source.warnings(fetched)) {
        failures.accept(description + ": " + warning);
      }
      succeeded(source.refreshAfter(fetched));
    }));
  }

  private void succeeded(@Nullable Duration after) {
    consecutiveFailures = 0;
    schedule(after != null ? Math.max(after.toNanos(), 1) : jittered(settings.refreshInterval().toNanos()));
  }

  private void failed(String call, Throwable error) {
    failedCalls.incrementAndGet();
    consecutiveFailures++;
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    failures.accept(description + ": " + call + " failed (" + consecutiveFailures + " in a row): " + cause);
    first.completeExceptionally(cause);
    T good = lastGood;
    Duration maxStaleness = settings.maxStaleness();
    if (good != null && maxStaleness != null && value == good
        && scheduler.nanoTime() - fetchedNanos >= maxStaleness.toNanos()) {
      T replacement = source.expired(good);
      if (replacement != good) {
        value = replacement;
        failures.accept(description + ": the last good " + source.valueName() + " is older than " + maxStaleness
            + " and no longer served");
      }
    }
    // Full jitter over an exponentially growing ceiling: the interval, 2x, 4x, ... up to maxBackoff.
    long ceiling = Math.min(settings.maxBackoff().toNanos(),
        settings.refreshInterval().toNanos() << Math.min(consecutiveFailures - 1, 20));
    schedule(random.applyAsLong(ceiling + 1));
  }

  private void schedule(long delayNanos) {
    if (!closed) {
      timer = scheduler.schedule(delayNanos, this::refresh);
    }
  }

  /** The interval, moved by up to a fifth either way. */
  private long jittered(long interval) {
    long spread = interval / 5;
    return interval - spread + random.applyAsLong(2 * spread + 1);
  }

  @Override
  public String toString() {
    return "RefreshingSnapshot[" + description + "]";
  }
}
