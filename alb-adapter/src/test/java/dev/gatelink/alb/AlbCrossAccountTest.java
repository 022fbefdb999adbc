package dev.gatelink.alb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.aws.AwsOptions;
import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.target.DnsSettings;
import dev.gatelink.testing.AwsCallRecorder;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.LoopbackDnsServer;
import dev.gatelink.testing.MotoElb;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The cross-account pattern: the load balancer lives in another account (111111111111, which moto keeps apart
 * from the caller's 123456789012 by the credentials' account), and the integration assumes a role there. Every
 * call of the clients Gatelink builds is recorded with the access key that signed it.
 */
@ExtendWith(MotoServerExtension.class)
class AlbCrossAccountTest {
  private static final String ROLE = "arn:aws:iam::111111111111:role/elb-reader";
  private static final String CALLER_KEY = "AKIACALLER0000000000";
  private final AwsCallRecorder calls = new AwsCallRecorder();
  private Vertx vertx;
  private LoopbackDnsServer dns;
  private LoopbackBackend backend;
  private Gateway gateway;
  private HttpServer front;

  @BeforeEach
  void start(MotoServer moto) throws Exception {
    moto.reset();
    vertx = Vertx.vertx();
    dns = LoopbackDnsServer.start();
    backend = LoopbackBackend.startAt(vertx, "shared", "127.0.0.2", 0, null);
  }

  @AfterEach
  void stop() throws Exception {
    if (front != null) {
      front.close().await(10, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close().await(10, TimeUnit.SECONDS);
    }
    backend.close();
    dns.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Creates the load balancer and its listener in the other account, with the role's own credentials. */
  private String listenerInOtherAccount(MotoServer moto) {
    Credentials role;
    try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoElb.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(CALLER_KEY, "x")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      role = sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("setup")).credentials();
    }
    try (MotoElb other = new MotoElb(moto, StaticCredentialsProvider.create(AwsSessionCredentials.create(
        role.accessKeyId(), role.secretAccessKey(), role.sessionToken())))) {
      LoadBalancer balancer = other.loadBalancer("shared", LoadBalancerTypeEnum.APPLICATION);
      dns.answer(balancer.dnsName(), Duration.ofSeconds(1), "127.0.0.2");
      return other.listener(balancer, ProtocolEnum.HTTP, backend.port(), other.targetGroup("shared",
          backend.port()));
    }
  }

  @Test
  void aListenerInAnotherAccountIsDescribedUnderTheAssumedRole(MotoServer moto) throws Exception {
    String listener = listenerInOtherAccount(moto);
    ApiDefinition api = ApiDefinition.builder().route("ANY /{proxy+}", Integration.builder()
        .connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1").uri(listener)
        .targetOptions(AlbOptions.builder().assumeRole(ROLE, "gatelink-test").build()).build()).build();
    gateway = Gateway.builder(vertx, api)
        .targetProvider(AlbTargetProvider.builder()
            .aws(AwsOptions.builder()
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(CALLER_KEY, "x")))
                .clientConfiguration(c -> c.addExecutionInterceptor(calls))
                .endpoint(moto.endpoint())
                .build())
            .dns(DnsSettings.builder().nameServers(List.of(dns.address())).ipv6(false).build())
            .build())
        .start().await(20, TimeUnit.SECONDS);
    front = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)).requestHandler(gateway)
        .listen().await(10, TimeUnit.SECONDS);

    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + front.actualPort() + "/orders/7")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("shared GET /orders/7");
    assertThat(calls.assumeRoleCalls()).containsExactly(ROLE + " externalId=gatelink-test session=gatelink");
    assertThat(calls.assumedKeys()).hasSize(1);
    String assumedKey = calls.assumedKeys().get(0);
    assertThat(assumedKey).isNotEqualTo(CALLER_KEY);
    assertThat(calls.signedBy()).isEqualTo(Map.of(
        "AssumeRole", Set.of(CALLER_KEY),
        "DescribeListeners", Set.of(assumedKey),
        "DescribeLoadBalancers", Set.of(assumedKey)));
  }
}
