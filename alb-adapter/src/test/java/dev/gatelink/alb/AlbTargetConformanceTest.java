package dev.gatelink.alb;

import dev.gatelink.aws.AwsOptions;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.target.DnsSettings;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.LoopbackDnsServer;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import dev.gatelink.testing.targets.TargetConformance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * ALB listener targets pass the conformance suite: each integration is an HTTP listener of a load balancer of its
 * own in moto, whose DNS name a loopback DNS server resolves to its group of backends, the load balancer's nodes:
 * one port, on 127.0.0.2, 127.0.0.3, ...
 */
@ExtendWith(MotoServerExtension.class)
class AlbTargetConformanceTest extends TargetConformance {
  private MotoServer server;
  private MotoElb moto;
  private LoopbackDnsServer dns;
  private int balancers;

  @BeforeEach
  void start(MotoServer motoServer) throws Exception {
    motoServer.reset();
    server = motoServer;
    moto = new MotoElb(motoServer);
    dns = LoopbackDnsServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    dns.close();
    moto.close();
  }

  @Override
  protected TargetProvider provider() {
    return AlbTargetProvider.builder()
        .aws(AwsOptions.builder().endpoint(server.endpoint()).credentials(MotoElb.CREDENTIALS).build())
        .dns(DnsSettings.builder().nameServers(List.of(dns.address())).ipv6(false).build())
        .refresh(RefreshSettings.builder().refreshInterval(Duration.ofMillis(200)).maxAge(Duration.ofMillis(200))
            .maxStaleness(null).build())
        .build();
  }

  /** The node addresses a group can have here: 127.0.0.2 to 127.0.0.9. */
  @Override
  protected int maxBackends() {
    return 8;
  }

  /** The load balancer's nodes: one port (the listener's), each on an address of its own from 127.0.0.2. */
  @Override
  protected List<LoopbackBackend> startBackends(List<String> names) throws Exception {
    List<LoopbackBackend> nodes = new ArrayList<>();
    int port = 0;
    for (int i = 0; i < names.size(); i++) {
      LoopbackBackend node = LoopbackBackend.startAt(vertx(), names.get(i), "127.0.0." + (2 + i), port, null);
      port = node.port();
      nodes.add(node);
    }
    return nodes;
  }

  @Override
  protected Integration integration(List<LoopbackBackend> backends) {
    return listener(backends.get(0).port(), backends.stream().map(LoopbackBackend::host).toArray(String[]::new));
  }

  @Override
  protected Integration refusingIntegration() throws Exception {
    return listener(closedPort(), "127.0.0.2");
  }

  /** An HTTP listener on the port of a new load balancer whose name resolves to the addresses. */
  private Integration listener(int port, String... addresses) {
    String name = "conformance-" + ++balancers;
    LoadBalancer balancer = moto.loadBalancer(name, LoadBalancerTypeEnum.APPLICATION);
    dns.answer(balancer.dnsName(), Duration.ofSeconds(1), addresses);
    String listener = moto.listener(balancer, ProtocolEnum.HTTP, port, moto.targetGroup(name, port));
    return Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1").uri(listener)
        .build();
  }
}
