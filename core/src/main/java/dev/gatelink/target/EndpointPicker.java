package dev.gatelink.target;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Picks an endpoint of an {@link EndpointSet} per request by a {@link LoadBalancing} algorithm, leaving out the
 * endpoints its {@link OutlierDetector} has ejected (and failing open, to the next in turn, when every one is),
 * and hears each pick's outcome. One picker per target (or per target group): the round-robin turn and the
 * outstanding counts are its own.
 *
 * <p>No lock and no allocation per pick once a set is known: round robin is an index into the set's array,
 * least outstanding requests compares two counters of the set, weighted random is a binary search over the
 * set's running sums of weights.
 */
public final class EndpointPicker {
  private final LoadBalancing algorithm;
  private final OutlierDetector outliers;
  /**
   * The round-robin turn. A plain field on purpose: event loops share it without a lock or an atomic increment
   * (which alone costs about 6 ns, four times the array read); a lost or repeated increment when two loops pick
   * at the same moment only sends two requests to the same endpoint, which round robin tolerates.
   */
  private int next;
  /** Outstanding requests per endpoint of the latest set (least outstanding requests only). */
  private final AtomicReference<@Nullable Loads> loads = new AtomicReference<>();

  /**
   * The requests sent and not yet reported, per endpoint of one set: counters in the set's order, and by
   * endpoint for reports. A new set keeps the counters of the endpoints it still has.
   */
  private static final class Loads {
    final EndpointSet set;
    final AtomicInteger[] outstanding;
    final Map<Endpoint, AtomicInteger> byEndpoint;

    Loads(EndpointSet set, @Nullable Loads previous) {
      this.set = set;
      this.outstanding = new AtomicInteger[set.size()];
      Map<Endpoint, AtomicInteger> map = new HashMap<>();
      for (int i = 0; i < outstanding.length; i++) {
        Endpoint endpoint = set.get(i);
        AtomicInteger kept = previous == null ? null : previous.byEndpoint.get(endpoint);
        if (kept == null) {
          kept = map.get(endpoint);
        }
        outstanding[i] = kept != null ? kept : new AtomicInteger();
        map.put(endpoint, outstanding[i]);
      }
      this.byEndpoint = map;
    }
  }

  /**
   * A picker.
   *
   * @param algorithm how requests are spread
   * @param outliers what is ejected; told of every reported outcome
   */
  public EndpointPicker(LoadBalancing algorithm, OutlierDetector outliers) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.outliers = Objects.requireNonNull(outliers, "outliers");
  }

  /** {@return the algorithm} */
  public LoadBalancing algorithm() {
    return algorithm;
  }

  /** {@return the outlier detector} */
  public OutlierDetector outliers() {
    return outliers;
  }

  /**
   * Picks an endpoint for one request; the caller reports the request's outcome with {@link #report} once.
   *
   * @param set the endpoints to pick from
   * @return the endpoint, or null when the set is empty
   */
  public @Nullable Endpoint pick(EndpointSet set) {
    int size = set.size();
    if (size == 0) {
      return null;
    }
    switch (algorithm) {
      case LEAST_OUTSTANDING_REQUESTS:
        return leastOutstanding(set);
      case WEIGHTED_RANDOM:
        return set.get(weighted(set));
      default:
        return set.get(roundRobin(set));
    }
  }

  private Endpoint leastOutstanding(EndpointSet set) {
    Loads current = loads.get();
    if (current == null || current.set != set) {
      current = newLoads(set, current);
    }
    int size = set.size();
    int chosen;
    if (size == 1) {
      chosen = 0;
    } else {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int a = random.nextInt(size);
      int b = random.nextInt(size - 1);
      if (b >= a) {
        b++;
      }
      boolean aOut = outliers.ejected(set.get(a));
      boolean bOut = outliers.ejected(set.get(b));
      if (aOut && bOut) {
        chosen = roundRobin(set);
      } else if (aOut || bOut) {
        chosen = aOut ? b : a;
      } else {
        chosen = current.outstanding[b].get() < current.outstanding[a].get() ? b : a;
      }
    }
    current.outstanding[chosen].incrementAndGet();
    return set.get(chosen);
  }

  /**
   * The counters of a new set (made once per set, not per request), published once: a loser of a race uses the
   * winner's.
   */
  private Loads newLoads(EndpointSet set, @Nullable Loads previous) {
    Loads fresh = new Loads(set, previous);
    if (loads.compareAndSet(previous, fresh)) {
      return fresh;
    }
    Loads winner = loads.get();
    return winner != null && winner.set == set ? winner : fresh;
  }

  /** A random index by weight; a few more draws when it falls on an ejected endpoint, then round robin. */
  private int weighted(EndpointSet set) {
    long total = set.totalWeight();
    if (total <= 0) {
      return roundRobin(set);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 3; attempt++) {
      long point = random.nextLong(total);
      int index = set.weightedIndex(point);
      if (index < 0) {
        index = (int) point;
      }
      if (!outliers.ejected(set.get(index))) {
        return index;
      }
    }
    return roundRobin(set);
  }

  /**
   * The index of the next endpoint in turn that is not ejected; if every one is ejected, the next in turn anyway
   * (failing open: a request that may succeed beats a certain 503).
   */
  private int roundRobin(EndpointSet set) {
    int size = set.size();
    int start = next++;
    for (int i = 0; i < size; i++) {
      int index = Math.floorMod(start + i, size);
      if (!outliers.ejected(set.get(index))) {
        return index;
      }
    }
    return Math.floorMod(start, size);
  }

  /**
   * {@return the requests sent to the endpoint and not yet reported (least outstanding requests only; 0 for the
   * others)}
   *
   * @param endpoint the endpoint
   */
  public int outstanding(Endpoint endpoint) {
    Loads current = loads.get();
    AtomicInteger count = current == null ? null : current.byEndpoint.get(endpoint);
    return count == null ? 0 : count.get();
  }

  /**
   * Hears how a request to a picked endpoint went.
   *
   * @param endpoint the endpoint {@link #pick} returned
   * @param outcome how the request went
   */
  public void report(Endpoint endpoint, Outcome outcome) {
    if (algorithm == LoadBalancing.LEAST_OUTSTANDING_REQUESTS) {
      Loads current = loads.get();
      AtomicInteger count = current == null ? null : current.byEndpoint.get(endpoint);
      if (count != null) {
        count.getAndUpdate(EndpointPicker::decrementToZero);
      }
    }
    outliers.report(endpoint, outcome);
  }

  /** A count goes down to zero, not below: a pick counted under a set's predecessor may be reported twice. */
  private static int decrementToZero(int count) {
    return count > 0 ? count - 1 : 0;
  }
}
