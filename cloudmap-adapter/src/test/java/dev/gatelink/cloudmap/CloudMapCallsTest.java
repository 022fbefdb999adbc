package dev.gatelink.cloudmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How often Cloud Map is called through the gateway, counted per operation. */
class CloudMapCallsTest extends CloudMapGatewayFixture {
  @Test
  void aThousandConcurrentFirstRequestsMakeOneDiscoverInstancesCall() throws Exception {
    List<String> answers = send(1_000);

    assertThat(answers).hasSize(1_000).allSatisfy(answer -> assertThat(answer).matches("200 api /orders/[0-9]+"));
    assertThat(count("DiscoverInstances")).isEqualTo(1);
    assertThat(count("GetService")).isEqualTo(1);
    assertThat(count("GetNamespace")).isEqualTo(1);
  }

  @Test
  void underSteadyLoadCloudMapSeesRevisionPollsOnly() throws Exception {
    send(10);
    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      assertThat(send(50)).allSatisfy(answer -> assertThat(answer).startsWith("200 "));
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(count("DiscoverInstances")).isEqualTo(1);
    // At most one poll per 200 ms interval, jittered by up to a fifth (so never closer than 160 ms); at least
    // one once the load lasted half a second. (A busy machine may fire the timers late, never early: the
    // exact count per interval is DiscoveryCacheTest's, on a manual clock.)
    assertThat(count("DiscoverInstancesRevision")).isBetween(seconds >= 0.5 ? 1 : 0, (int) (seconds / 0.16) + 1);
  }
}
