package dev.gatelink.cloudmap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.MotoServer;
import org.junit.jupiter.api.Test;

/** Requests through a Cloud Map outage: served from the cache while its instances are alive. */
class CloudMapOutageTest extends CloudMapGatewayFixture {
  @Test
  void requestsKeepSucceedingFromTheCacheWhileCloudMapIsDown(MotoServer moto) throws Exception {
    assertThat(send(5)).allSatisfy(answer -> assertThat(answer).startsWith("200 "));

    moto.close();
    Thread.sleep(600);

    assertThat(send(100)).allSatisfy(answer -> assertThat(answer).startsWith("200 "));
    assertThat(count("DiscoverInstancesRevision")).isGreaterThanOrEqualTo(1);
  }
}
