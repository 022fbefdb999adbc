package dev.gatelink.target;

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
public final class OutlierDetector {
  private static final class Health {
    private int consecutiveFailures;
    private int ejections;
    private volatile long ejectedUntil;
  }

  /** Told of each ejection, on the thread that reported the failure that caused it. */
  public interface EjectionListener {
    /**
     * An endpoint was ejected.
     *
     * @param endpoint the endpoint ejected
     * @param lengthNanos how long it is left out
     */
    void ejected(Endpoint endpoint, long lengthNanos);
  }

  private final OutlierSettings settings;
  private final LongSupplier nanoTime;
  private final EjectionListener listener;
  private final ConcurrentHashMap<Endpoint, Health> failing = new ConcurrentHashMap<>();
  /** Set at the first ejection: until then a request's check is this one volatile read. */
  private volatile boolean everEjected;

  /**
   * A detector that tells no one of its ejections.
   *
   * @param settings when to eject, and for how long
   * @param nanoTime the clock
   */
  public OutlierDetector(OutlierSettings settings, LongSupplier nanoTime) {
    this(settings, nanoTime, (endpoint, lengthNanos) -> { });
  }

  /**
   * A detector that tells a listener of each ejection.
   *
   * @param settings when to eject, and for how long
   * @param nanoTime the clock
   * @param listener told of each ejection
   */
  public OutlierDetector(OutlierSettings settings, LongSupplier nanoTime, EjectionListener listener) {
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.listener = listener;
  }

  /**
   * {@return whether the endpoint is ejected now}
   *
   * @param endpoint the endpoint
   */
  public boolean ejected(Endpoint endpoint) {
    if (!everEjected) {
      return false;
    }
    Health health = failing.get(endpoint);
    return health != null && health.ejectedUntil - nanoTime.getAsLong() > 0;
  }

  /**
   * Hears how a request to an endpoint went.
   *
   * @param endpoint the endpoint
   * @param outcome how it went
   */
  public void report(Endpoint endpoint, Outcome outcome) {
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
