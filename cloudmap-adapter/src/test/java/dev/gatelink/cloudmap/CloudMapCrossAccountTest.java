package dev.gatelink.cloudmap;

import dev.gatelink.aws.AwsOptions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.gateway.Gateway;
import dev.gatelink.testing.AwsCallRecorder;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/**
 * The cross-account pattern: the namespace lives in a resource account (111111111111, which moto keeps apart
 * from the caller's 123456789012 by the credentials' account), and the integration assumes a role there. Every
 * call of the clients Gatelink builds is recorded with the access key that signed it.
 */
@ExtendWith(MotoServerExtension.class)
class CloudMapCrossAccountTest {
  private static final String ROLE = "arn:aws:iam::111111111111:role/cloudmap-reader";
  private static final String CALLER_KEY = "AKIACALLER0000000000";

  /** Access keys that signed each operation's calls, and the AssumeRole calls. */
  private final AwsCallRecorder calls = new AwsCallRecorder();
  private Vertx vertx;
  private HttpServer backend;
  private Gateway gateway;
  private HttpServer front;

  @BeforeEach
  void start(MotoServer moto) throws Exception {
    moto.reset();
    vertx = Vertx.vertx();
    backend = vertx.createHttpServer().requestHandler(request -> request.response().end("shared " + request.path()))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (front != null) {
      front.close().await(10, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Creates the service and its instance in the resource account, with the role's own credentials. */
  private String serviceInResourceAccount(MotoServer moto) {
    StaticCredentialsProvider caller = StaticCredentialsProvider.create(AwsBasicCredentials.create(CALLER_KEY, "x"));
    Credentials role;
    try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(MotoCloudMap.REGION)
        .credentialsProvider(caller).httpClient(UrlConnectionHttpClient.create()).build()) {
      role = sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("setup")).credentials();
    }
    try (ServiceDiscoveryClient cloudMap = ServiceDiscoveryClient.builder()
        .endpointOverride(moto.endpoint()).region(MotoCloudMap.REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
            role.accessKeyId(), role.secretAccessKey(), role.sessionToken())))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build()) {
      cloudMap.createHttpNamespace(r -> r.name("shared.internal"));
      String namespaceId = cloudMap.listNamespaces(r -> { }).namespaces().get(0).id();
      var service = cloudMap.createService(r -> r.name("orders").namespaceId(namespaceId)).service();
      cloudMap.registerInstance(r -> r.serviceId(service.id()).instanceId("i-1").attributes(Map.of(
          "AWS_INSTANCE_IPV4", "127.0.0.1", "AWS_INSTANCE_PORT", Integer.toString(backend.actualPort()))));
      return service.arn();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + front.actualPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anIntegrationWithARoleDiscoversInTheRolesAccountWithTheRolesCredentials(MotoServer moto) throws Exception {
    String arn = serviceInResourceAccount(moto);
    Integration shared = Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1")
        .uri(arn).targetOptions(CloudMapOptions.builder().assumeRole(ROLE, "gatelink-test").build())
        .build();
    ApiDefinition api = ApiDefinition.builder()
        .route("ANY /shared/{proxy+}", shared)
        .route("ANY /own/{proxy+}", Integration.builder().connectionType(ConnectionType.VPC_LINK)
            .connectionId("vpclink-1").uri(arn).build())
        .build();
    gateway = Gateway.builder(vertx, api)
        .targetProvider(CloudMapTargetProvider.builder()
            .aws(AwsOptions.builder()
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(CALLER_KEY, "x")))
                .clientConfiguration(c -> c.addExecutionInterceptor(calls))
                .endpoint(moto.endpoint())
                .build())
            .build())
        .start().await(10, TimeUnit.SECONDS);
    front = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)).requestHandler(gateway)
        .listen().await(10, TimeUnit.SECONDS);

    HttpResponse<String> viaRole = get("/shared/orders/7");
    HttpResponse<String> withoutRole = get("/own/orders/7");

    assertThat(viaRole.statusCode()).isEqualTo(200);
    assertThat(viaRole.body()).isEqualTo("shared /shared/orders/7");
    assertThat(withoutRole.statusCode()).isEqualTo(503);
    assertThat(withoutRole.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    assertThat(calls.assumeRoleCalls()).containsExactly(ROLE + " externalId=gatelink-test session=gatelink");
    assertThat(calls.assumedKeys()).hasSize(1);
    String assumedKey = calls.assumedKeys().get(0);
    assertThat(assumedKey).isNotEqualTo(CALLER_KEY);
    assertThat(calls.signedBy()).isEqualTo(Map.of(
        "AssumeRole", Set.of(CALLER_KEY),
        "GetService", Set.of(assumedKey, CALLER_KEY),
        "GetNamespace", Set.of(assumedKey),
        "DiscoverInstancesRevision", Set.of(assumedKey),
        "DiscoverInstances", Set.of(assumedKey)));
  }

  @Test
  void theStsEndpointPropertySendsAssumeRoleElsewhere(MotoServer moto) throws Exception {
    String arn = serviceInResourceAccount(moto);
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    ApiDefinition api = ApiDefinition.builder().route("ANY /shared/{proxy+}", Integration.builder()
        .connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1").uri(arn)
        .targetOptions(CloudMapOptions.builder().assumeRole(ROLE, null).build()).build()).build();
    gateway = Gateway.builder(vertx, api)
        .targetProvider(CloudMapTargetProvider.builder()
            .aws(AwsOptions.builder()
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(CALLER_KEY, "x")))
                .clientConfiguration(c -> c.addExecutionInterceptor(calls))
                .endpoint(moto.endpoint())
                .stsEndpoint(java.net.URI.create("http://127.0.0.1:" + closedPort))
                .build())
            .build())
        .start().await(10, TimeUnit.SECONDS);
    front = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)).requestHandler(gateway)
        .listen().await(10, TimeUnit.SECONDS);

    HttpResponse<String> response = get("/shared/orders/7");

    // AssumeRole went to the closed port, so no credentials came and no Cloud Map call was signed or sent.
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    // (The refresh loop may have retried by now: every attempt is the same AssumeRole.)
    assertThat(calls.assumeRoleCalls()).isNotEmpty().containsOnly(ROLE + " externalId=null session=gatelink");
    assertThat(calls.assumedKeys()).isEmpty();
    assertThat(calls.signedBy().keySet()).containsExactly("AssumeRole");
  }
}
