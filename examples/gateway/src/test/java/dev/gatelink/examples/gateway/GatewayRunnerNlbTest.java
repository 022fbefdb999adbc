package dev.gatelink.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.LoopbackDnsServer;
import dev.gatelink.testing.MotoElb;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * The runner with an OpenAPI file written for API Gateway whose integrations are a network load balancer's
 * listeners, described by moto through {@code --aws-endpoint}, the load balancer's DNS name answered by a DNS
 * server on loopback ({@code --dns-server}): each row of spec 2.4's table. Backends on loopback stand for what
 * answers at each listener's port: the target itself behind a TCP listener (TLS passes through, so its certificate
 * is the one verified), the load balancer ending TLS behind a TLS listener.
 */
@ExtendWith({MotoServerExtension.class, RunnerAwsCredentials.class})
class GatewayRunnerNlbTest {
  private static final String NAME = "orders.internal";
  private Vertx vertx;
  private MotoElb elb;
  private LoopbackDnsServer dns;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start(MotoServer moto) throws Exception {
    moto.reset();
    vertx = Vertx.vertx();
    elb = new MotoElb(moto);
    dns = LoopbackDnsServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    dns.close();
    elb.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String route(String path, String listener, @Nullable String serverName, @Nullable Path trust) {
    return "  " + path + ":\n"
        + "    x-amazon-apigateway-any-method:\n"
        + "      x-amazon-apigateway-integration:\n"
        + "        type: http_proxy\n"
        + "        connectionType: VPC_LINK\n"
        + "        connectionId: vl-1234ab\n"
        + "        httpMethod: ANY\n"
        + "        uri: " + listener + "\n"
        + "        payloadFormatVersion: \"1.0\"\n"
        + (serverName == null ? "" : "        tlsConfig:\n          serverNameToVerify: " + serverName + "\n")
        + (trust == null ? "" : "      x-gatelink-target:\n        trustedCertificates: " + trust + "\n");
  }

  private String get(GatewayRunner runner, String path) throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(runner.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  @Test
  void eachRowOfTheProtocolTableThroughTheRunner(MotoServer moto, @TempDir Path dir) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create(NAME);
    Path trust = Path.of(certificate.certificatePath());
    LoopbackBackend plain = LoopbackBackend.start(vertx, "plain-target");
    LoopbackBackend passedThrough = LoopbackBackend.startAt(vertx, "tls-target", "127.0.0.1", 0, certificate);
    LoopbackBackend endedAtTheBalancer = LoopbackBackend.startAt(vertx, "tls-listener", "127.0.0.1", 0, certificate);
    LoadBalancer balancer = elb.loadBalancer("orders", LoadBalancerTypeEnum.NETWORK);
    dns.answer(balancer.dnsName(), Duration.ofSeconds(60), "127.0.0.1");
    String group = elb.targetGroup("orders", 443);
    String tcp = elb.listener(balancer, ProtocolEnum.TCP, plain.port(), group);
    String tcpToTls = elb.listener(balancer, ProtocolEnum.TCP, passedThrough.port(), group);
    String tls = elb.listener(balancer, ProtocolEnum.TLS, endedAtTheBalancer.port(), group);
    Path api = Files.writeString(dir.resolve("api.yaml"), "openapi: 3.0.1\n"
        + "info: {title: orders, version: \"1\"}\n"
        + "paths:\n"
        + route("/tcp/{proxy+}", tcp, null, null)
        + route("/tcp-tls/{proxy+}", tcpToTls, NAME, trust)
        + route("/tls/{proxy+}", tls, NAME, trust)
        + route("/tls-plain/{proxy+}", tls, null, null));
    GatewayRunner runner = GatewayRunner.start(RunnerOptions.parse(List.of("--api", api.toString(), "--port", "0",
        "--aws-endpoint", moto.endpoint().toString(), "--aws-region", MotoElb.REGION,
        "--dns-server", "127.0.0.1:" + dns.address().getPort()), Map.of()), System.err);
    try {
      // TCP without tlsConfig: plain HTTP to the listener's port.
      assertThat(get(runner, "/tcp/a")).isEqualTo("200 plain-target GET /tcp/a");
      // TCP with tlsConfig: TLS end to end, the target's certificate verified against serverNameToVerify.
      assertThat(get(runner, "/tcp-tls/b")).isEqualTo("200 tls-target GET /tcp-tls/b");
      // TLS with tlsConfig: TLS ended at the load balancer.
      assertThat(get(runner, "/tls/c")).isEqualTo("200 tls-listener GET /tls/c");
      // TLS without tlsConfig: plain HTTP to a TLS port, an integration error: API Gateway's 503.
      assertThat(get(runner, "/tls-plain/d")).isEqualTo("503 {\"message\":\"Service Unavailable\"}");
      assertThat(endedAtTheBalancer.seen()).hasSize(1);
    } finally {
      assertThat(runner.stop()).isTrue();
    }
  }
}
