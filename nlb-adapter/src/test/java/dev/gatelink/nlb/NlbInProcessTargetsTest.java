package dev.gatelink.nlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.targets.ListenerTargetTestBase;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * In-process targets against moto's ELBv2: the listener's default forward, its target groups (of ip or instance
 * targets on loopback) and their targets' health are read by Gatelink, which sends each request straight to a
 * target. The load balancer's DNS name resolves nowhere here: nothing goes through it.
 */
class NlbInProcessTargetsTest extends ListenerTargetTestBase {
  private LoadBalancer balancer;

  NlbInProcessTargetsTest() {
    super(LoadBalancerTypeEnum.NETWORK, NlbTargetProvider::builder);
  }

  @BeforeEach
  void balancer() {
    balancer = moto.loadBalancer("orders", LoadBalancerTypeEnum.NETWORK);
  }

  /** Targets named by the test, each on a loopback address of its own, on a port of its own. */
  private LoopbackBackend target(String name, String address, @Nullable SelfSignedCertificate certificate)
      throws Exception {
    LoopbackBackend target = LoopbackBackend.startAt(vertx, name, address, 0, certificate);
    backends.add(target);
    return target;
  }

  /** A TCP listener whose default action forwards as given, served with in-process targets. */
  private String serve(MotoServer server, Action forward) throws Exception {
    String listener = moto.listener(balancer, ProtocolEnum.TCP, 80, forward);
    startGateway(server, integration(listener, null, NlbOptions.builder().inProcessTargets(true).build()));
    return listener;
  }

  private static Action forwardTo(String targetGroup) {
    return Action.builder().type("forward").targetGroupArn(targetGroup).build();
  }

  /** Serves a forward to two target groups of one target each, {@code orders} and {@code billing}, by weight. */
  private void serveWeighted(MotoServer server, int orders, int billing) throws Exception {
    String ordersGroup = moto.ipTargetGroup("orders", ProtocolEnum.TCP, target("orders", "127.0.0.2", null));
    String billingGroup = moto.ipTargetGroup("billing", ProtocolEnum.TCP, target("billing", "127.0.0.3", null));
    serve(server, Action.builder().type("forward").forwardConfig(f -> f.targetGroups(
        t -> t.targetGroupArn(ordersGroup).weight(orders), t -> t.targetGroupArn(billingGroup).weight(billing)))
        .build());
  }

  @Test
  void requestsGoStraightToTheTargetGroupsTargetsWithTheClientsHost(MotoServer server) throws Exception {
    LoopbackBackend a = target("target-a", "127.0.0.2", null);
    serve(server, forwardTo(moto.ipTargetGroup("orders", ProtocolEnum.TCP, a, target("target-b", "127.0.0.3",
        null))));

    assertThat(spread(4)).isEqualTo(Map.of("target-a", 2, "target-b", 2));
    assertThat(a.next().headers().get("Host")).isEqualTo("127.0.0.1:" + front.actualPort());
    assertThat(dns.queries(balancer.dnsName())).isZero();
    assertThat(warnings).isEmpty();
  }

  @Test
  void unhealthyAndDrainingTargetsAreSkippedAndAGroupWithNoneHealthyFailsOpen(MotoServer server) throws Exception {
    LoopbackBackend a = target("target-a", "127.0.0.2", null);
    LoopbackBackend b = target("target-b", "127.0.0.3", null);
    LoopbackBackend c = target("target-c", "127.0.0.4", null);
    health.set("127.0.0.2", TargetHealthStateEnum.UNHEALTHY);
    health.set("127.0.0.3", TargetHealthStateEnum.DRAINING);
    serve(server, forwardTo(moto.ipTargetGroup("orders", ProtocolEnum.TCP, a, b, c)));

    assertThat(spread(4)).isEqualTo(Map.of("target-c", 4));

    // None healthy: every target but the draining one gets requests, as the load balancer fails open.
    health.set("127.0.0.4", TargetHealthStateEnum.UNHEALTHY);
    await().atMost(Duration.ofSeconds(10)).until(() -> spread(4).size() == 2);
    assertThat(spread(4)).isEqualTo(Map.of("target-a", 2, "target-c", 2));
    assertThat(b.seen()).isEmpty();
  }

  @Test
  void aForwardToWeightedTargetGroupsSpreadsRequestsByWeight(MotoServer server) throws Exception {
    serveWeighted(server, 1, 3);

    Map<String, Integer> spread = spread(80);

    assertThat(spread.keySet()).containsExactly("billing", "orders");
    assertThat(spread.get("billing")).isGreaterThan(spread.get("orders"));
  }

  @Test
  void aTargetGroupOfWeightZeroGetsNoRequest(MotoServer server) throws Exception {
    serveWeighted(server, 0, 5);

    assertThat(spread(6)).isEqualTo(Map.of("billing", 6));
    assertThat(backends.get(0).seen()).isEmpty();
  }

  @Test
  void instanceTargetsAreReachedAtTheirInstancesPrivateAddresses(MotoServer server) throws Exception {
    LoopbackBackend a = target("instance-a", "127.0.0.5", null);
    LoopbackBackend b = target("instance-b", "127.0.0.6", null);
    serve(server, forwardTo(moto.instanceTargetGroup("orders", ProtocolEnum.TCP, a, b)));

    assertThat(spread(4)).isEqualTo(Map.of("instance-a", 2, "instance-b", 2));
  }

  @Test
  void aTargetGroupWithNoTargetToSendToIsServiceUnavailable(MotoServer server) throws Exception {
    LoopbackBackend a = target("target-a", "127.0.0.2", null);
    health.set("127.0.0.2", TargetHealthStateEnum.DRAINING);
    serve(server, forwardTo(moto.ipTargetGroup("orders", ProtocolEnum.TCP, a)));

    // As API Gateway answers a load balancer that has no target to open a connection to (spec 2.5 [INF]).
    assertEveryAnswer(503, "{\"message\":\"Service Unavailable\"}", "/orders/1", "/orders/2");
  }

  @Test
  void withTlsConfigTheTargetsAreCalledOverTlsVerifyingServerNameToVerify(MotoServer server) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("orders.internal");
    LoopbackBackend a = target("target-a", "127.0.0.2", certificate);
    String listener = moto.listener(balancer, ProtocolEnum.TCP, 443, forwardTo(moto.ipTargetGroup("orders",
        ProtocolEnum.TCP, a)));
    startGateway(server, integration(listener, "orders.internal", NlbOptions.builder().inProcessTargets(true)
        .trustedCertificate(Path.of(certificate.certificatePath())).build()));

    assertThat(spread(2)).isEqualTo(Map.of("target-a", 2));
    assertThat(a.connections()).isEqualTo(1);
    assertThat(warnings).isEmpty();
  }

  @Test
  void aTargetGroupAddedToTheForwardIsPickedUpByTheBackgroundRefresh(MotoServer server) throws Exception {
    String orders = moto.ipTargetGroup("orders", ProtocolEnum.TCP, target("orders", "127.0.0.2", null));
    String listener = serve(server, forwardTo(orders));
    assertThat(spread(2)).isEqualTo(Map.of("orders", 2));

    String billing = moto.ipTargetGroup("billing", ProtocolEnum.TCP, target("billing", "127.0.0.3", null));
    moto.elb().modifyListener(r -> r.listenerArn(listener).defaultActions(forwardTo(billing)));

    await().atMost(Duration.ofSeconds(10)).until(() -> spread(1).containsKey("billing"));
    assertThat(spread(4)).isEqualTo(Map.of("billing", 4));
  }
}
