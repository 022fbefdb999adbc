package dev.gatelink.cloudmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.testing.MotoServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Requests through a Cloud Map outage: served from the cache while its instances are alive. */
class CloudMapOutageTest extends CloudMapGatewayFixture {
  @Test
  void requestsKeepSucceedingFromTheCacheWhileCloudMapIsDown(MotoServer moto) throws Exception {
    assertThat(send(5)).allSatisfy(answer -> assertThat(answer).startsWith("200 "));

    moto.close();
    // The outage is under way once the refresh loop has seen a call fail.
    await().atMost(Duration.ofSeconds(20)).until(() -> failedCalls.get() >= 1);

    assertThat(send(100)).allSatisfy(answer -> assertThat(answer).startsWith("200 "));
  }
}
