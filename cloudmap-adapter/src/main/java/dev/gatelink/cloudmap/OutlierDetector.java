package dev.gatelink.cloudmap;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Passive outlier detection: an endpoint whose connections fail {@code failuresToEject} times in a row
 * (connect failures and resets; a 5xx answer or a timeout is the backend's answer and does not count) is
 * left out for {@code baseEjection} times the number of times it was ejected, at most {@code maxEjection},
 * then tried again. A success resets its count.
 *
 * <p>Reads on the request path ({@link #ejected}) are one volatile read until an endpoint was first ejected,
 * then one lock-free map lookup more, and allocate nothing; state is made only for an endpoint that failed.
 */
final class OutlierDetector {
  /**
   * @param failuresToEject consecutive connection failures that eject an endpoint
   * @param baseEjection the first ejection's length, multiplied by the number of ejections so far
   * @param maxEjection the longest ejection
   */
  record Settings(int failuresToEject, Duration baseEjection, Duration maxEjection) {
    static final Settings DEFAULTS = new Settings(3, Duration.ofSeconds(10), Duration.ofMinutes(5));
  }

  private static final class Health {
    private int consecutiveFailures;
    private int ejections;
    private volatile long ejectedUntil;
  }

  /** Told of each ejection, on the thread that reported the failure that caused it. */
  interface EjectionListener {
    /**
     * @param endpoint the endpoint ejected
     * @param lengthNanos how long it is left out
     */
    void ejected(Endpoint endpoint, long lengthNanos);
  }

  private final Settings settings;
  private final LongSupplier nanoTime;
  private final EjectionListener listener;
  private final ConcurrentHashMap<Endpoint, Health> failing = new ConcurrentHashMap<>();
  /** Set at the first ejection: until then a request's check is this one volatile read. */
  private volatile boolean everEjected;

  OutlierDetector(Settings settings, LongSupplier nanoTime) {
    this(settings, nanoTime, (endpoint, lengthNanos) -> { });
  }

  OutlierDetector(Settings settings, LongSupplier nanoTime, EjectionListener listener) {
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.listener = listener;
  }

  /** {@return whether the endpoint is ejected now} */
  boolean ejected(Endpoint endpoint) {
    if (!everEjected) {
      return false;
    }
    Health health = failing.get(endpoint);
    return health != null && health.ejectedUntil - nanoTime.getAsLong() > 0;
  }

  /** Hears how a request to an endpoint went. */
  void report(Endpoint endpoint, Outcome outcome) {
    boolean connectionFailed = outcome == Outcome.CONNECT_FAILURE || outcome == Outcome.RESET;
    if (!connectionFailed) {
      if (outcome == Outcome.SUCCESS || outcome == Outcome.SERVER_ERROR) {
        Health health = failing.get(endpoint);
        if (health != null) {
          synchronized (health) {
            health.consecutiveFailures = 0;
          }
        }
      }
      return;
    }
    Health health = failing.computeIfAbsent(endpoint, e -> new Health());
    long length;
    synchronized (health) {
      if (++health.consecutiveFailures < settings.failuresToEject()) {
        return;
      }
      health.consecutiveFailures = 0;
      health.ejections++;
      length = Math.min(settings.maxEjection().toNanos(),
          settings.baseEjection().toNanos() * Math.min(health.ejections, 1_000));
      health.ejectedUntil = nanoTime.getAsLong() + length;
    }
    everEjected = true;
    listener.ejected(endpoint, length);
  }
}
