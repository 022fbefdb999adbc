package dev.gatelink.target;

/**
 * How an {@link EndpointPicker} spreads requests over a set of endpoints; the names are those of an ALB target
 * group's {@code load_balancing.algorithm.type}.
 */
public enum LoadBalancing {
  /** Each endpoint in turn. */
  ROUND_ROBIN("round_robin"),
  /** The less busy of two endpoints picked at random (requests sent and not yet reported). */
  LEAST_OUTSTANDING_REQUESTS("least_outstanding_requests"),
  /** An endpoint at random, in proportion to its weight (equal weights unless the set gives others). */
  WEIGHTED_RANDOM("weighted_random");

  private final String text;

  LoadBalancing(String text) {
    this.text = text;
  }

  /** {@return the name as configuration writes it, such as {@code round_robin}} */
  public String text() {
    return text;
  }

  /**
   * The algorithm of a name.
   *
   * @param text {@code round_robin}, {@code least_outstanding_requests} or {@code weighted_random}
   * @return the algorithm
   * @throws IllegalArgumentException for any other name, saying which are known
   */
  public static LoadBalancing of(String text) {
    for (LoadBalancing candidate : values()) {
      if (candidate.text.equals(text)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a load balancing algorithm: expected round_robin, "
        + "least_outstanding_requests or weighted_random");
  }
}
