package dev.gatelink.target;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An immutable set of endpoints, in order, each with a weight: what a refresh produces and an
 * {@link EndpointPicker} picks from. Made once per refresh, never per request.
 */
public final class EndpointSet {
  private static final EndpointSet EMPTY = new EndpointSet(new Endpoint[0], null);

  private final Endpoint[] endpoints;
  /** Running sums of the weights, or null when every weight is 1. */
  private final long @Nullable [] cumulativeWeights;

  private EndpointSet(Endpoint[] endpoints, long @Nullable [] cumulativeWeights) {
    this.endpoints = endpoints;
    this.cumulativeWeights = cumulativeWeights;
  }

  /** {@return the empty set} */
  public static EndpointSet empty() {
    return EMPTY;
  }

  /**
   * A set of endpoints of equal weight.
   *
   * @param endpoints the endpoints, in order; duplicates are kept (an endpoint listed twice gets twice the share)
   * @return the set
   */
  public static EndpointSet of(List<Endpoint> endpoints) {
    return endpoints.isEmpty() ? EMPTY : new EndpointSet(endpoints.toArray(new Endpoint[0]), null);
  }

  /**
   * A set of weighted endpoints.
   *
   * @param endpoints the endpoints, in order
   * @param weights each endpoint's weight, 0 or more; an endpoint of weight 0 is picked only when every other is
   *     ejected
   * @return the set
   * @throws IllegalArgumentException if the lists differ in length or a weight is negative
   */
  public static EndpointSet weighted(List<Endpoint> endpoints, List<Integer> weights) {
    if (endpoints.size() != weights.size()) {
      throw new IllegalArgumentException(endpoints.size() + " endpoints and " + weights.size()
          + " weights: expected one weight per endpoint");
    }
    if (endpoints.isEmpty()) {
      return EMPTY;
    }
    long[] sums = new long[weights.size()];
    long sum = 0;
    boolean uniform = true;
    for (int i = 0; i < sums.length; i++) {
      int weight = weights.get(i);
      if (weight < 0) {
        throw new IllegalArgumentException("weight " + weight + " of " + endpoints.get(i)
            + " is negative: expected 0 or more");
      }
      uniform &= weight == weights.get(0);
      sum += weight;
      sums[i] = sum;
    }
    return new EndpointSet(endpoints.toArray(new Endpoint[0]), uniform && sum > 0 ? null : sums);
  }

  /** {@return how many endpoints there are} */
  public int size() {
    return endpoints.length;
  }

  /** {@return whether there is none} */
  public boolean isEmpty() {
    return endpoints.length == 0;
  }

  /**
   * {@return the endpoint at an index}
   *
   * @param index 0 to size() - 1
   */
  public Endpoint get(int index) {
    return endpoints[index];
  }

  /** {@return the endpoints, in order} */
  public List<Endpoint> asList() {
    return List.of(endpoints);
  }

  /**
   * {@return whether the set holds the endpoint}
   *
   * @param endpoint the endpoint
   */
  public boolean contains(Endpoint endpoint) {
    for (Endpoint each : endpoints) {
      if (each.equals(endpoint)) {
        return true;
      }
    }
    return false;
  }

  /** The index whose weight range holds {@code point}, in [0, total weight); -1 if the set is unweighted. */
  int weightedIndex(long point) {
    long[] sums = cumulativeWeights;
    if (sums == null) {
      return -1;
    }
    int index = Arrays.binarySearch(sums, point + 1);
    index = index >= 0 ? index : -index - 1;
    // Equal sums mean weight-0 endpoints: the first of the run with this sum is the one that owns the range.
    while (index > 0 && sums[index - 1] == sums[index]) {
      index--;
    }
    return index;
  }

  /** The total weight, or the size when unweighted. */
  long totalWeight() {
    long[] sums = cumulativeWeights;
    return sums == null ? endpoints.length : sums[sums.length - 1];
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof EndpointSet that && Arrays.equals(endpoints, that.endpoints)
        && Arrays.equals(cumulativeWeights, that.cumulativeWeights);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(endpoints) * 31 + Arrays.hashCode(cumulativeWeights);
  }

  @Override
  public String toString() {
    return Arrays.toString(endpoints);
  }
}
