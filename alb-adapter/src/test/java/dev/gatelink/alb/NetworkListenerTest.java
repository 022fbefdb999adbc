package dev.gatelink.alb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.aws.AwsOptions;
import dev.gatelink.aws.ElbListenerTarget;
import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.target.DnsSettings;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.LoopbackDnsServer;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * A network load balancer's listener through the shared listener target, spec 2.4's table row by row, against
 * moto's ELBv2 (which writes {@code app} in NLB ARNs too: the type comes from DescribeLoadBalancers), with the
 * load balancer's name served by a DNS server on loopback and a backend behind its address. The backend stands
 * for what answers at the listener's port: the targets themselves through a TCP listener (TLS passes through),
 * the load balancer ending TLS for a TLS listener.
 */
class NetworkListenerTest extends ListenerTargetTestBase {
  @Override
  LoadBalancerTypeEnum type() {
    return LoadBalancerTypeEnum.NETWORK;
  }

  @Test
  void aTcpListenerWithoutTlsConfigGetsPlainHttp(MotoServer server) throws Exception {
    int port = nodes(null, "127.0.0.2");
    String listener = listener(ProtocolEnum.TCP, port, "127.0.0.2");
    startGateway(server, integration(listener, null, AlbOptions.builder().build()));

    HttpResponse<String> response = get("/orders/1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("node-a GET /orders/1");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aTcpListenerWithTlsConfigGetsTlsEndToEndVerifiedAgainstTheTargetsCertificate(MotoServer server)
      throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("orders.internal");
    int port = nodes(certificate, "127.0.0.2");
    String listener = listener(ProtocolEnum.TCP, port, "127.0.0.2");
    startGateway(server, integration(listener, "orders.internal",
        AlbOptions.builder().trustedCertificate(Path.of(certificate.certificatePath())).build()));

    assertThat(get("/orders/2").body()).isEqualTo("node-a GET /orders/2");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aTlsListenerWithTlsConfigGetsTlsEndedAtTheLoadBalancer(MotoServer server) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("orders.internal");
    int port = nodes(certificate, "127.0.0.2");
    String listener = listener(ProtocolEnum.TLS, port, "127.0.0.2");
    startGateway(server, integration(listener, "orders.internal",
        AlbOptions.builder().trustedCertificate(Path.of(certificate.certificatePath())).build()));

    assertThat(get("/orders/3").body()).isEqualTo("node-a GET /orders/3");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aTlsListenerWithoutTlsConfigIsAnIntegrationErrorLoggedOnce(MotoServer server) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("orders.internal");
    int port = nodes(certificate, "127.0.0.2");
    String listener = listener(ProtocolEnum.TLS, port, "127.0.0.2");
    startGateway(server, integration(listener, null, AlbOptions.builder().build()));

    HttpResponse<String> first = get("/orders/4");
    HttpResponse<String> second = get("/orders/5");

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(first.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(warnings).containsExactly("integration '" + listener + "' (VPC link vpclink-1): TLS listener on "
        + "port " + port + " of network load balancer orders-1.us-east-1.elb.amazonaws.com is TLS, but the "
        + "integration has no tlsConfig: like API Gateway, Gatelink speaks plain HTTP to it, which fails (an "
        + "integration error); add tlsConfig.serverNameToVerify with the name on the listener's certificate, or "
        + "point the integration at a TCP listener");
  }
}
