package dev.gatelink.alb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.aws.AwsOptions;
import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.target.DnsSettings;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.LoopbackDnsServer;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
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
  private static final Pattern SIGNING_KEY = Pattern.compile("Credential=([A-Z0-9]+)/");

  private final Map<String, Set<String>> signedBy = new ConcurrentHashMap<>();
  private final List<String> assumeRoleCalls = new CopyOnWriteArrayList<>();
  private final List<String> assumedKeys = new CopyOnWriteArrayList<>();
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

  private ExecutionInterceptor recorder() {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof AssumeRoleRequest request) {
          assumeRoleCalls.add(request.roleArn() + " externalId=" + request.externalId() + " session="
              + request.roleSessionName());
        }
      }

      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Matcher key = SIGNING_KEY.matcher(context.httpRequest().firstMatchingHeader("Authorization").orElse(""));
        signedBy.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
            name -> ConcurrentHashMap.newKeySet()).add(key.find() ? key.group(1) : "unsigned");
      }

      @Override
      public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
        if (context.response() instanceof AssumeRoleResponse response) {
          assumedKeys.add(response.credentials().accessKeyId());
        }
      }
    };
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
                .clientConfiguration(c -> c.addExecutionInterceptor(recorder()))
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
    assertThat(assumeRoleCalls).containsExactly(ROLE + " externalId=gatelink-test session=gatelink");
    assertThat(assumedKeys).hasSize(1);
    String assumedKey = assumedKeys.get(0);
    assertThat(assumedKey).isNotEqualTo(CALLER_KEY);
    assertThat(signedBy).isEqualTo(Map.of(
        "AssumeRole", Set.of(CALLER_KEY),
        "DescribeListeners", Set.of(assumedKey),
        "DescribeLoadBalancers", Set.of(assumedKey)));
  }
}
