package dev.gatelink.nlb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.targets.ListenerTargetTestBase;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * A network load balancer's listener through {@link NlbTargetProvider}, spec 2.4's table row by row, against moto's
 * ELBv2 (which writes {@code app} in NLB ARNs too: the integrations carry {@link NlbOptions}, and the type comes
 * from DescribeLoadBalancers), with the load balancer's name served by a DNS server on loopback and backends
 * behind its addresses. The backends stand for what answers at the listener's port: the targets themselves
 * through a TCP listener (TLS passes through, so the target's certificate is the one verified), the load balancer
 * ending TLS for a TLS listener (its certificate is the one verified).
 */
class NetworkListenerTest extends ListenerTargetTestBase {
  private static final String ORDERS = "orders.internal";
  /** The certificate of what answers at the listener's port, for {@value #ORDERS}, made for each test. */
  private final SelfSignedCertificate certificate = SelfSignedCertificate.create(ORDERS);
  /** Options that trust {@link #certificate}. */
  private final NlbOptions trusting = NlbOptions.builder()
      .trustedCertificate(Path.of(certificate.certificatePath())).build();

  NetworkListenerTest() {
    super(LoadBalancerTypeEnum.NETWORK, NlbTargetProvider::builder);
  }

  @Test
  void aTcpListenerWithoutTlsConfigGetsPlainHttp(MotoServer server) throws Exception {
    serve(server, ProtocolEnum.TCP, null, null, NlbOptions.builder().build(), "127.0.0.2", "127.0.0.3");

    assertThat(spread(4)).isEqualTo(Map.of("node-a", 2, "node-b", 2));
    assertThat(backends.get(0).next().uri()).isEqualTo("/orders/0");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aTcpListenerWithTlsConfigGetsTlsEndToEndVerifiedAgainstTheTargetsCertificate(MotoServer server)
      throws Exception {
    serve(server, ProtocolEnum.TCP, certificate, ORDERS, trusting, "127.0.0.2");

    assertThat(spread(2)).isEqualTo(Map.of("node-a", 2));
    assertThat(warnings).isEmpty();
  }

  @Test
  void aTcpListenerWithTlsConfigFailsWhenTheTargetsCertificateIsNotForServerNameToVerify(MotoServer server)
      throws Exception {
    serve(server, ProtocolEnum.TCP, certificate, "billing.internal", trusting, "127.0.0.2");

    // A TLS verification failure is a configuration error: API Gateway's 500 (spec 2.5); no request reaches the target.
    assertEveryAnswer(500, "{\"message\":\"Internal Server Error\"}", "/orders/3", "/orders/4");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aTlsListenerWithTlsConfigGetsTlsEndedAtTheLoadBalancer(MotoServer server) throws Exception {
    serve(server, ProtocolEnum.TLS, certificate, ORDERS, trusting, "127.0.0.2");

    assertThat(get("/orders/5").body()).isEqualTo("node-a GET /orders/5");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aTlsListenerWithoutTlsConfigIsAnIntegrationErrorLoggedOnce(MotoServer server) throws Exception {
    String listener = serve(server, ProtocolEnum.TLS, certificate, null, NlbOptions.builder().build(), "127.0.0.2");

    // Plain HTTP to a TLS port: the listener closes the connection, API Gateway's 503 for a connection failure.
    assertEveryAnswer(503, "{\"message\":\"Service Unavailable\"}", "/orders/6", "/orders/7");
    assertThat(warnings).containsExactly("integration '" + listener + "' (VPC link vpclink-1): TLS listener on "
        + "port " + backends.get(0).port() + " of network load balancer orders-1.us-east-1.elb.amazonaws.com is TLS, "
        + "but the integration has no tlsConfig: like API Gateway, Gatelink speaks plain HTTP to it, which fails (an "
        + "integration error); add tlsConfig.serverNameToVerify with the name on the listener's certificate, or "
        + "point the integration at a TCP listener");
  }
}
