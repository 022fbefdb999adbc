package dev.gatelink.cloudmap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.target.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;

/** From DiscoverInstances' answer to endpoints: which attributes count, and every instance left out with why. */
class CloudMapInstancesTest {
  private static HttpInstanceSummary instance(String id, Map<String, String> attributes) {
    return HttpInstanceSummary.builder().instanceId(id).attributes(attributes).build();
  }

  @Test
  void ipv4AndPortMakeAnEndpointInCloudMapsOrder() {
    CloudMapInstances result = CloudMapInstances.of(List.of(
        instance("i-2", Map.of("AWS_INSTANCE_IPV4", "10.0.1.8", "AWS_INSTANCE_PORT", "8081", "stage", "prod")),
        instance("i-1", Map.of("AWS_INSTANCE_IPV4", "10.0.1.7", "AWS_INSTANCE_PORT", "8080"))));

    assertThat(result.endpoints()).containsExactly(Endpoint.of("10.0.1.8", 8081), Endpoint.of("10.0.1.7", 8080));
    assertThat(result.skipped()).isEmpty();
  }

  @Test
  void ipv6IsUsedOnlyWithoutIpv4() {
    CloudMapInstances result = CloudMapInstances.of(List.of(
        instance("both", Map.of("AWS_INSTANCE_IPV4", "10.0.1.7", "AWS_INSTANCE_IPV6", "fd00::7",
            "AWS_INSTANCE_PORT", "8080")),
        instance("v6", Map.of("AWS_INSTANCE_IPV6", "fd00::8", "AWS_INSTANCE_PORT", "8080"))));

    assertThat(result.endpoints()).containsExactly(Endpoint.of("10.0.1.7", 8080), Endpoint.of("fd00::8", 8080));
  }

  @Test
  void theSameAddressAndPortTwiceIsOneEndpoint() {
    CloudMapInstances result = CloudMapInstances.of(List.of(
        instance("a", Map.of("AWS_INSTANCE_IPV4", "10.0.1.7", "AWS_INSTANCE_PORT", "8080")),
        instance("b", Map.of("AWS_INSTANCE_IPV4", "10.0.1.7", "AWS_INSTANCE_PORT", "8080"))));

    assertThat(result.endpoints()).containsExactly(Endpoint.of("10.0.1.7", 8080));
    // Health reports go to every instance at an endpoint.
    assertThat(result.instanceIds()).isEqualTo(Map.of(Endpoint.of("10.0.1.7", 8080), List.of("a", "b")));
  }

  @Test
  void unusableInstancesAreSkippedWithTheReasonAndTheOthersKept() {
    CloudMapInstances result = CloudMapInstances.of(List.of(
        instance("no-address", Map.of("AWS_INSTANCE_PORT", "8080")),
        instance("no-port", Map.of("AWS_INSTANCE_IPV4", "10.0.1.7")),
        instance("bad-ipv4", Map.of("AWS_INSTANCE_IPV4", "orders.internal", "AWS_INSTANCE_PORT", "8080")),
        instance("bad-ipv6", Map.of("AWS_INSTANCE_IPV6", "fd00::zz", "AWS_INSTANCE_PORT", "8080")),
        instance("port-0", Map.of("AWS_INSTANCE_IPV4", "10.0.1.7", "AWS_INSTANCE_PORT", "0")),
        instance("port-big", Map.of("AWS_INSTANCE_IPV4", "10.0.1.7", "AWS_INSTANCE_PORT", "65536")),
        instance("port-text", Map.of("AWS_INSTANCE_IPV4", "10.0.1.7", "AWS_INSTANCE_PORT", "http")),
        instance("good", Map.of("AWS_INSTANCE_IPV4", "10.0.1.9", "AWS_INSTANCE_PORT", "65535"))));

    assertThat(result.endpoints()).containsExactly(Endpoint.of("10.0.1.9", 65_535));
    assertThat(result.skipped()).containsExactly(
        "instance no-address: no AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6 attribute",
        "instance no-port: no AWS_INSTANCE_PORT attribute",
        "instance bad-ipv4: AWS_INSTANCE_IPV4 'orders.internal' is not an IPv4 address",
        "instance bad-ipv6: AWS_INSTANCE_IPV6 'fd00::zz' is not an IPv6 address",
        "instance port-0: AWS_INSTANCE_PORT '0' is not a port from 1 to 65535",
        "instance port-big: AWS_INSTANCE_PORT '65536' is not a port from 1 to 65535",
        "instance port-text: AWS_INSTANCE_PORT 'http' is not a port from 1 to 65535");
  }

  @Test
  void noInstancesIsNoEndpoints() {
    CloudMapInstances result = CloudMapInstances.of(List.of());

    assertThat(result.endpoints()).isEmpty();
    assertThat(result.skipped()).isEmpty();
  }
}
