package dev.gatelink.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.LoopbackBackend;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * The runner with an OpenAPI file written for API Gateway whose integration is an ALB listener ARN, resolved in
 * moto through {@code --aws-endpoint}, the load balancer's name mapped to a loopback backend with
 * {@code --resolve}: over HTTP, and over HTTPS with {@code tlsConfig.serverNameToVerify}.
 */
@ExtendWith({MotoServerExtension.class, RunnerAwsCredentials.class})
class GatewayRunnerAlbTest {
  private Vertx vertx;
  private ElasticLoadBalancingV2Client elb;
  private Ec2Client ec2;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start(MotoServer moto) throws Exception {
    moto.reset();
    vertx = Vertx.vertx();
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test",
        "test"));
    elb = ElasticLoadBalancingV2Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_2)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    ec2 = Ec2Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_2)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
  }

  @AfterEach
  void stop() throws Exception {
    elb.close();
    ec2.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** An application load balancer with an HTTP listener (moto wants a certificate for HTTPS: its protocol does not matter here). */
  private String[] listener(int port) {
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    List<String> subnets = List.of(
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-2a")).subnet().subnetId(),
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-2b")).subnet().subnetId());
    LoadBalancer balancer = elb.createLoadBalancer(r -> r.name("orders").subnets(subnets).scheme("internal"))
        .loadBalancers().get(0);
    String group = elb.createTargetGroup(r -> r.name("orders").protocol(ProtocolEnum.HTTP).port(port).vpcId(vpc))
        .targetGroups().get(0).targetGroupArn();
    String listener = elb.createListener(r -> r.loadBalancerArn(balancer.loadBalancerArn()).protocol(ProtocolEnum.HTTP)
        .port(port).defaultActions(a -> a.type("forward").targetGroupArn(group))).listeners().get(0).listenerArn();
    return new String[] {listener, balancer.dnsName()};
  }

  private String get(GatewayRunner runner, String path) throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(runner.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static String api(String listener, String tls) {
    return "openapi: 3.0.1\n"
        + "info: {title: orders, version: \"1\"}\n"
        + "paths:\n"
        + "  /orders/{proxy+}:\n"
        + "    x-amazon-apigateway-any-method:\n"
        + "      x-amazon-apigateway-integration:\n"
        + "        type: http_proxy\n"
        + "        connectionType: VPC_LINK\n"
        + "        connectionId: vl-1234ab\n"
        + "        httpMethod: ANY\n"
        + "        uri: " + listener + "\n"
        + "        payloadFormatVersion: \"1.0\"\n"
        + tls;
  }

  @Test
  void anAlbListenerArnIsResolvedThroughTheAwsEndpointAndItsNameThroughResolve(MotoServer moto, @TempDir Path dir)
      throws Exception {
    LoopbackBackend backend = LoopbackBackend.start(vertx, "orders");
    String[] listener = listener(backend.port());
    Path api = Files.writeString(dir.resolve("api.yaml"), api(listener[0], ""));
    GatewayRunner runner = GatewayRunner.start(RunnerOptions.parse(List.of("--api", api.toString(), "--port", "0",
        "--aws-endpoint", moto.endpoint().toString(), "--aws-region", "us-east-2",
        "--resolve", listener[1] + "=127.0.0.1:" + backend.port()), Map.of()), System.err);
    try {
      assertThat(get(runner, "/orders/7")).isEqualTo("200 orders GET /orders/7");
    } finally {
      assertThat(runner.stop()).isTrue();
    }
  }

  @Test
  void anHttpsIntegrationVerifiesServerNameToVerify(MotoServer moto, @TempDir Path dir) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("orders.internal");
    LoopbackBackend backend = LoopbackBackend.startAt(vertx, "orders", "127.0.0.1", 0, certificate);
    String[] listener = listener(backend.port());
    Path api = Files.writeString(dir.resolve("api.yaml"), api(listener[0],
        "        tlsConfig:\n"
        + "          serverNameToVerify: orders.internal\n"
        + "      x-gatelink-target:\n"
        + "        trustedCertificates: " + certificate.certificatePath() + "\n"));
    GatewayRunner runner = GatewayRunner.start(RunnerOptions.parse(List.of("--api", api.toString(), "--port", "0",
        "--aws-endpoint", moto.endpoint().toString(), "--aws-region", "us-east-2",
        "--resolve", listener[1] + "=127.0.0.1:" + backend.port()), Map.of()), System.err);
    try {
      assertThat(get(runner, "/orders/8")).isEqualTo("200 orders GET /orders/8");
      assertThat(backend.next().headers().get("Host")).isEqualTo(URI.create(runner.url()).getAuthority());
    } finally {
      assertThat(runner.stop()).isTrue();
    }
  }
}
