package dev.gatelink.cloudmap;

import dev.gatelink.target.TlsPolicy;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.OutlierSettings;
import dev.gatelink.target.RefreshSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Least outstanding requests over a scripted discovery: with two endpoints, the two random choices are both, so
 * every pick is exact.
 */
class LeastOutstandingRequestsTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 8080);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 8080);
  private static final Endpoint C = Endpoint.of("10.0.0.3", 8080);

  private Vertx vertx;
  private volatile List<Endpoint> instances = List.of(A, B);
  private volatile long revision = 1;
  private CloudMapTarget target;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    DiscoveryCache.Discovery discovery = new DiscoveryCache.Discovery() {
      @Override
      public CompletionStage<DiscoveryCache.Discovered> discover() {
        return CompletableFuture.completedFuture(
            new DiscoveryCache.Discovered(new CloudMapInstances(instances, List.of()), revision));
      }

      @Override
      public CompletionStage<Long> revision() {
        return CompletableFuture.completedFuture(revision);
      }
    };
    RefreshSettings settings = RefreshSettings.builder().refreshInterval(Duration.ofMillis(20))
        .maxAge(Duration.ofMinutes(1)).maxStaleness(Duration.ofMinutes(1)).maxBackoff(Duration.ofSeconds(1)).build();
    target = new CloudMapTarget(vertx, "test", discovery, null, settings, OutlierSettings.builder().build(),
        LoadBalancing.LEAST_OUTSTANDING_REQUESTS, null, TlsPolicy.none(), System.getLogger("test"));
    target.report(target.select().await(10, TimeUnit.SECONDS), Outcome.SUCCESS);
  }

  @AfterEach
  void stop() throws Exception {
    target.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void eachPickGoesToTheEndpointWithFewerRequestsInFlight() {
    Endpoint first = target.selectNow();
    Endpoint other = first.equals(A) ? B : A;

    assertThat(target.selectNow()).isEqualTo(other);
    assertThat(target.outstanding(A)).isEqualTo(1);
    assertThat(target.outstanding(B)).isEqualTo(1);
    target.report(other, Outcome.SUCCESS);
    assertThat(target.selectNow()).isEqualTo(other);
    assertThat(target.outstanding(A)).isEqualTo(1);
    assertThat(target.outstanding(B)).isEqualTo(1);
  }

  @Test
  void aCountNeverGoesBelowZero() {
    Endpoint first = target.selectNow();
    target.report(first, Outcome.SUCCESS);
    target.report(first, Outcome.SUCCESS);

    assertThat(target.outstanding(first)).isZero();
    // The extra report took nothing from the other endpoint's count, and the next pick counts from zero.
    Endpoint other = first.equals(A) ? B : A;
    assertThat(target.outstanding(other)).isZero();
    Endpoint next = target.selectNow();
    assertThat(target.outstanding(next)).isEqualTo(1);
  }

  @Test
  void aNewSetKeepsTheCountsOfTheEndpointsItStillHas() {
    Endpoint first = target.selectNow();
    Endpoint second = target.selectNow();
    target.selectNow();
    assertThat(target.outstanding(A) + target.outstanding(B)).isEqualTo(3);
    int countOfA = target.outstanding(A);

    instances = List.of(A, C);
    revision = 2;
    // A has requests in flight and C none: once the new set is in, every pick is C.
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      Endpoint picked = target.selectNow();
      target.report(picked, Outcome.CANCELLED);
      return picked.equals(C);
    });

    assertThat(target.outstanding(A)).isEqualTo(countOfA).isPositive();
    assertThat(target.outstanding(C)).isZero();
    assertThat(List.of(first, second)).containsExactlyInAnyOrder(A, B);
  }
}
