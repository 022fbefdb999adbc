package dev.gatelink.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How each algorithm picks, skips ejected endpoints, fails open, and counts requests in flight. */
class EndpointPickerTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 8080);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 8080);
  private static final Endpoint C = Endpoint.of("10.0.0.3", 8080);
  private long now = 1_000_000_000L;
  private final OutlierDetector outliers = new OutlierDetector(
      OutlierSettings.builder().failuresToEject(1).baseEjection(Duration.ofSeconds(10)).build(), () -> now);

  private static List<Endpoint> picks(EndpointPicker picker, EndpointSet set, int count) {
    List<Endpoint> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      picked.add(picker.pick(set));
    }
    return picked;
  }

  private static Map<String, Integer> counts(List<Endpoint> picked) {
    Map<String, Integer> counts = new TreeMap<>();
    picked.forEach(endpoint -> counts.merge(endpoint.host(), 1, Integer::sum));
    return counts;
  }

  @Test
  void roundRobinTakesEachInTurnAndSkipsAnEjectedOne() {
    EndpointPicker picker = new EndpointPicker(LoadBalancing.ROUND_ROBIN, outliers);
    EndpointSet set = EndpointSet.of(List.of(A, B, C));

    assertThat(picks(picker, set, 6)).containsExactly(A, B, C, A, B, C);
    picker.report(B, Outcome.CONNECT_FAILURE);
    assertThat(picks(picker, set, 4)).containsExactly(A, C, C, A);
  }

  @Test
  void whenEveryEndpointIsEjectedRequestsStillGoInTurn() {
    EndpointPicker picker = new EndpointPicker(LoadBalancing.ROUND_ROBIN, outliers);
    EndpointSet set = EndpointSet.of(List.of(A, B));
    picker.report(A, Outcome.CONNECT_FAILURE);
    picker.report(B, Outcome.RESET);

    assertThat(picks(picker, set, 4)).containsExactly(A, B, A, B);
  }

  @Test
  void anEmptySetPicksNothing() {
    assertThat(new EndpointPicker(LoadBalancing.WEIGHTED_RANDOM, outliers).pick(EndpointSet.empty())).isNull();
  }

  @Test
  void weightedRandomFollowsTheWeightsAndNeverPicksAWeightOfZero() {
    EndpointPicker picker = new EndpointPicker(LoadBalancing.WEIGHTED_RANDOM, outliers);
    EndpointSet set = EndpointSet.weighted(List.of(A, B, C), List.of(1, 0, 3));

    Map<String, Integer> counts = counts(picks(picker, set, 4_000));

    assertThat(counts).containsOnlyKeys("10.0.0.1", "10.0.0.3");
    // 1:3 of 4,000: 1,000 expected for A; 6 standard deviations (27 each) either way.
    assertThat(counts.get("10.0.0.1")).isBetween(840, 1_160);
  }

  @Test
  void weightedRandomSkipsAnEjectedEndpoint() {
    EndpointPicker picker = new EndpointPicker(LoadBalancing.WEIGHTED_RANDOM, outliers);
    EndpointSet set = EndpointSet.weighted(List.of(A, B), List.of(5, 1));
    picker.report(A, Outcome.CONNECT_FAILURE);

    assertThat(counts(picks(picker, set, 200))).isEqualTo(Map.of("10.0.0.2", 200));
  }

  @Test
  void leastOutstandingRequestsCountsPicksUntilTheyAreReported() {
    EndpointPicker picker = new EndpointPicker(LoadBalancing.LEAST_OUTSTANDING_REQUESTS, outliers);
    EndpointSet set = EndpointSet.of(List.of(A, B));

    Endpoint first = picker.pick(set);
    Endpoint second = picker.pick(set);

    assertThat(List.of(first, second)).containsExactlyInAnyOrder(A, B);
    assertThat(picker.outstanding(A)).isEqualTo(1);
    picker.report(first, Outcome.SUCCESS);
    assertThat(picker.outstanding(first)).isZero();
    assertThat(picker.pick(set)).isEqualTo(first);
  }

  @Test
  void weightsMustMatchTheEndpointsAndNotBeNegative() {
    assertThatThrownBy(() -> EndpointSet.weighted(List.of(A, B), List.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("2 endpoints and 1 weights: expected one weight per endpoint");
    assertThatThrownBy(() -> EndpointSet.weighted(List.of(A), List.of(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight -1 of 10.0.0.1:8080 is negative: expected 0 or more");
  }

  @Test
  void anAlgorithmIsNamedAsAnAlbTargetGroupNamesIt() {
    assertThat(LoadBalancing.of("least_outstanding_requests")).isEqualTo(LoadBalancing.LEAST_OUTSTANDING_REQUESTS);
    assertThatThrownBy(() -> LoadBalancing.of("random"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'random' is not a load balancing algorithm: expected round_robin, least_outstanding_requests "
            + "or weighted_random");
  }
}
