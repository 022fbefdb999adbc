package dev.gatelink.alb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.target.WrittenTargetOptions;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.LoopbackDnsServer;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.targets.ListenerTargetTestBase;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * ALB listener targets against moto's ELBv2, with the load balancer's name served by a DNS server on loopback
 * (two node addresses, 127.0.0.2 and 127.0.0.3, on the listener's port) and a backend behind each address.
 */
class AlbTargetTest extends ListenerTargetTestBase {
  AlbTargetTest() {
    super(LoadBalancerTypeEnum.APPLICATION, AlbTargetProvider::builder);
  }

  @Test
  void requestsGoToEveryAddressOfTheLoadBalancersNameWithTheClientsHost(MotoServer server) throws Exception {
    int port = nodes(null, "127.0.0.2", "127.0.0.3");
    String listener = listener(ProtocolEnum.HTTP, port, "127.0.0.2", "127.0.0.3");
    startGateway(server, integration(listener, null, AlbOptions.builder().build()));

    HttpResponse<String> first = get("/orders/7?page=2");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo(first.headers().firstValue("x-backend").orElseThrow()
        + " GET /orders/7?page=2");
    LoopbackBackend.Seen seen = backends.get(first.body().startsWith("node-a") ? 0 : 1).next();
    assertThat(seen.headers().get("Host")).isEqualTo("127.0.0.1:" + front.actualPort());
    assertThat(spread(4)).isEqualTo(Map.of("node-a", 2, "node-b", 2));
  }

  @Test
  void anHttpsListenerIsCalledOverTlsVerifyingServerNameToVerify(MotoServer server) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("orders.internal");
    int port = nodes(certificate, "127.0.0.2", "127.0.0.3");
    String listener = listener(ProtocolEnum.HTTPS, port, "127.0.0.2", "127.0.0.3");
    startGateway(server, integration(listener, "orders.internal",
        AlbOptions.builder().trustedCertificate(Path.of(certificate.certificatePath())).build()));

    assertThat(spread(4)).isEqualTo(Map.of("node-a", 2, "node-b", 2));
    assertThat(warnings).isEmpty();
  }

  @Test
  void aServerNameToVerifyThatIsNotTheCertificatesFailsEveryRequest(MotoServer server) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("orders.internal");
    int port = nodes(certificate, "127.0.0.2");
    String listener = listener(ProtocolEnum.HTTPS, port, "127.0.0.2");
    startGateway(server, integration(listener, "billing.internal",
        AlbOptions.builder().trustedCertificate(Path.of(certificate.certificatePath())).build()));

    HttpResponse<String> response = get("/orders/1");

    // A TLS verification failure is a configuration error: API Gateway's 500 (spec 2.5).
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    assertThat(backends.get(0).seen()).isEmpty();
  }

  @Test
  void anHttpsListenerWithoutTlsConfigIsLoggedOnceAndItsRequestsFail(MotoServer server) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("orders.internal");
    int port = nodes(certificate, "127.0.0.2");
    String listener = listener(ProtocolEnum.HTTPS, port, "127.0.0.2");
    startGateway(server, integration(listener, null, AlbOptions.builder().build()));

    HttpResponse<String> first = get("/orders/1");
    HttpResponse<String> second = get("/orders/2");

    // Plain HTTP to a TLS port: the listener closes the connection, a 503 as for any connection failure.
    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(first.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(warnings).containsExactly("integration '" + listener + "' (VPC link vpclink-1): HTTPS listener on "
        + "port " + port + " of application load balancer orders-1.us-east-1.elb.amazonaws.com is HTTPS, but the "
        + "integration has no tlsConfig: like API Gateway, Gatelink speaks plain HTTP to it, which fails; add "
        + "tlsConfig.serverNameToVerify with the name on the listener's certificate");
  }

  @Test
  void anHttpListenerWithTlsConfigIsLoggedOnceAndItsRequestsFail(MotoServer server) throws Exception {
    int port = nodes(null, "127.0.0.2");
    String listener = listener(ProtocolEnum.HTTP, port, "127.0.0.2");
    startGateway(server, integration(listener, "orders.internal", AlbOptions.builder().build()));

    HttpResponse<String> first = get("/orders/1");
    HttpResponse<String> second = get("/orders/2");

    // A TLS handshake with a plain HTTP port fails: API Gateway's 500, as for any TLS failure (spec 2.5).
    assertThat(first.statusCode()).isEqualTo(500);
    assertThat(first.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    assertThat(second.statusCode()).isEqualTo(500);
    assertThat(backends.get(0).seen()).isEmpty();
    assertThat(warnings).containsExactly("integration '" + listener + "' (VPC link vpclink-1): HTTP listener on "
        + "port " + port + " of application load balancer orders-1.us-east-1.elb.amazonaws.com is HTTP, but the "
        + "integration has tlsConfig.serverNameToVerify 'orders.internal': like API Gateway, Gatelink opens TLS to "
        + "it, which fails; remove tlsConfig, or point the integration at an HTTPS listener");
  }

  @Test
  void aListenerThatDoesNotExistFailsTheStart(MotoServer server) throws Exception {
    int port = nodes(null, "127.0.0.2");
    String listener = listener(ProtocolEnum.HTTP, port, "127.0.0.2");
    String missing = listener.substring(0, listener.length() - 4) + "0000";

    assertThatThrownBy(() -> startGateway(server, integration(missing, null, AlbOptions.builder().build())))
        .hasMessage("ALB listener " + missing + " cannot be resolved: listener " + missing + " was not found: "
            + "expected the ARN of an existing listener, in the region and account of its ARN (aws elbv2 "
            + "describe-listeners --listener-arns ...)");
  }

  @Test
  void inProcessRulesOnANetworkLoadBalancersListenerAreRefusedWhateverItsArnSays(MotoServer server)
      throws Exception {
    LoadBalancer network = moto.loadBalancer("orders-net", LoadBalancerTypeEnum.NETWORK);
    String listener = moto.listener(network, ProtocolEnum.TCP, 8080, moto.targetGroup("orders", 8080));

    assertThat(listener).contains(":listener/app/");
    assertThatThrownBy(() -> startGateway(server, integration(listener, null,
        AlbOptions.builder().inProcessRules(true).build())))
        .hasMessage("ALB listener " + listener + " belongs to a network load balancer (" + network.dnsName()
            + "), but in-process listener rules apply to an application load balancer's listener only: for a "
            + "network load balancer's listener use NlbOptions.inProcessTargets (gatelink-nlb), or no in-process "
            + "routing");
  }

  @Test
  void aNetworkLoadBalancersListenerWithOptionsFromAFileIsServedAsSpec24Says(MotoServer server) throws Exception {
    int port = nodes(null, "127.0.0.2");
    String listener = listener(moto, dns, "orders-net", LoadBalancerTypeEnum.NETWORK, ProtocolEnum.TCP, port,
        "127.0.0.2");
    startGateway(server, integration(listener, null, WrittenTargetOptions.of(Map.of("loadBalancing",
        "least_outstanding_requests"))));

    // moto writes app in the ARN, so options from a file go to this provider, which takes the type from ELBv2.
    assertThat(listener).contains(":listener/app/");
    assertThat(get("/orders/3").body()).isEqualTo("node-a GET /orders/3");
    assertThat(warnings).isEmpty();
  }

  /** Sends requests from {@code clients} threads until {@code until} says stop (at most 60 s); returns the answers. */
  private List<HttpResponse<String>> load(int clients, java.util.function.BooleanSupplier until) throws Exception {
    List<HttpResponse<String>> answers = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread thread = new Thread(() -> {
        while (!until.getAsBoolean() && System.nanoTime() < deadline && errors.isEmpty()) {
          try {
            answers.add(get("/orders/load"));
          } catch (Exception e) {
            errors.add(e);
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(90));
    }
    assertThat(errors).isEmpty();
    return answers;
  }

  @Test
  void addressesThatChangeUnderLoadLoseNoRequest(MotoServer server) throws Exception {
    int port = nodes(null, "127.0.0.2", "127.0.0.3", "127.0.0.4");
    String listener = listener(ProtocolEnum.HTTP, port, "127.0.0.2", "127.0.0.3");
    startGateway(server, integration(listener, null, AlbOptions.builder().build()));
    String name = moto.elb().describeLoadBalancers().loadBalancers().get(0).dnsName();
    LoopbackBackend a = backends.get(0);
    LoopbackBackend c = backends.get(2);

    List<HttpResponse<String>> before = load(4, () -> a.seen().size() >= 20);
    dns.answer(name, Duration.ofSeconds(1), "127.0.0.3", "127.0.0.4");
    List<HttpResponse<String>> during = load(4, () -> c.seen().size() >= 20);
    int aAfterSwitch = a.seen().size();
    List<HttpResponse<String>> after = load(4, () -> c.seen().size() >= 60);

    for (List<HttpResponse<String>> answers : List.of(before, during, after)) {
      assertThat(answers).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
    }
    assertThat(a.seen().size()).isEqualTo(aAfterSwitch);
    assertThat(c.seen().size()).isGreaterThanOrEqualTo(60);
  }

  @Test
  void whileDnsFailsTheLastGoodAnswerKeepsServing(MotoServer server) throws Exception {
    int port = nodes(null, "127.0.0.2", "127.0.0.3");
    String listener = listener(ProtocolEnum.HTTP, port, "127.0.0.2", "127.0.0.3");
    startGateway(server, integration(listener, null, AlbOptions.builder().build()));
    String name = moto.elb().describeLoadBalancers().loadBalancers().get(0).dnsName();
    int queriesBefore = dns.queries(name);

    dns.fail(name, LoopbackDnsServer.Failure.SERVFAIL);
    List<HttpResponse<String>> answers = load(2, () -> dns.queries(name) >= queriesBefore + 3);

    assertThat(answers).isNotEmpty().allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
    assertThat(spread(4)).isEqualTo(Map.of("node-a", 2, "node-b", 2));
    assertThat(warnings).anySatisfy(warning -> assertThat(warning).startsWith("ALB listener " + listener
        + ": DNS name " + name + ": lookup failed (1 in a row): "));
  }

  @Test
  void aListenerDeletedAtRunTimeKeepsItsLastGoodResolution(MotoServer server) throws Exception {
    int port = nodes(null, "127.0.0.2");
    String listener = listener(ProtocolEnum.HTTP, port, "127.0.0.2");
    startGateway(server, integration(listener, null, AlbOptions.builder().build()));

    moto.elb().deleteListener(r -> r.listenerArn(listener));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> warnings.stream()
        .anyMatch(warning -> warning.startsWith(listener + ": DescribeListeners failed (2 in a row): ")));

    assertThat(get("/orders/1").body()).isEqualTo("node-a GET /orders/1");
  }
}
