package dev.gatelink.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Passive outlier detection on a manual clock: when an endpoint is ejected, for how long, and what counts. */
class OutlierDetectorTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 8080);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 8080);
  private long now = 5_000_000_000L;
  private final OutlierDetector outliers = new OutlierDetector(
      OutlierSettings.builder().failuresToEject(3).baseEjection(Duration.ofSeconds(10))
          .maxEjection(Duration.ofSeconds(25)).build(), () -> now);

  private void advance(Duration duration) {
    now += duration.toNanos();
  }

  @Test
  void threeConnectionFailuresInARowEjectForTheBaseTime() {
    outliers.report(A, Outcome.CONNECT_FAILURE);
    outliers.report(A, Outcome.RESET);
    assertThat(outliers.ejected(A)).isFalse();
    outliers.report(A, Outcome.CONNECT_FAILURE);

    assertThat(outliers.ejected(A)).isTrue();
    assertThat(outliers.ejected(B)).isFalse();
    advance(Duration.ofMillis(9_999));
    assertThat(outliers.ejected(A)).isTrue();
    advance(Duration.ofMillis(1));
    assertThat(outliers.ejected(A)).isFalse();
  }

  @Test
  void aSuccessOrAServerAnswerResetsTheCount() {
    outliers.report(A, Outcome.CONNECT_FAILURE);
    outliers.report(A, Outcome.CONNECT_FAILURE);
    outliers.report(A, Outcome.SUCCESS);
    outliers.report(A, Outcome.CONNECT_FAILURE);
    outliers.report(A, Outcome.CONNECT_FAILURE);
    outliers.report(A, Outcome.SERVER_ERROR);
    outliers.report(A, Outcome.CONNECT_FAILURE);

    assertThat(outliers.ejected(A)).isFalse();
  }

  @Test
  void timeoutsAndCancelledRequestsNeitherCountNorReset() {
    outliers.report(A, Outcome.CONNECT_FAILURE);
    outliers.report(A, Outcome.TIMEOUT);
    outliers.report(A, Outcome.CANCELLED);
    outliers.report(A, Outcome.CONNECT_FAILURE);
    assertThat(outliers.ejected(A)).isFalse();
    outliers.report(A, Outcome.CONNECT_FAILURE);

    assertThat(outliers.ejected(A)).isTrue();
  }

  @Test
  void eachEjectionIsLongerUpToTheMaximum() {
    for (int ejection = 1; ejection <= 4; ejection++) {
      for (int i = 0; i < 3; i++) {
        outliers.report(A, Outcome.CONNECT_FAILURE);
      }
      long expected = Math.min(25_000, 10_000L * ejection);
      advance(Duration.ofMillis(expected - 1));
      assertThat(outliers.ejected(A)).as("ejection %d", ejection).isTrue();
      advance(Duration.ofMillis(1));
      assertThat(outliers.ejected(A)).as("ejection %d", ejection).isFalse();
    }
  }
}
