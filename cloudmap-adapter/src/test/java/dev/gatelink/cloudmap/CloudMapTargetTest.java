package dev.gatelink.cloudmap;

import dev.gatelink.target.TargetOptions;
import dev.gatelink.target.WrittenTargetOptions;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.OutlierSettings;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.aws.AwsOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gatelink.gateway.Gateway;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatus;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/**
 * The Cloud Map target end to end: services and instances created in moto with the AWS SDK, instances that
 * are loopback backends answering their own name, and the gateway in front.
 */
@ExtendWith(MotoServerExtension.class)
class CloudMapTargetTest {
  private static final String REGION = MotoCloudMap.REGION.id();
  private static Vertx vertx;
  private static ServiceDiscoveryClient cloudMap;
  private static final List<HttpServer> backends = new ArrayList<>();
  private static final Map<String, Integer> ports = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String serviceId;
  private String serviceArn;
  private Gateway gateway;
  private HttpServer front;

  @BeforeAll
  static void start(MotoServer moto) throws Exception {
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    vertx = Vertx.vertx();
    cloudMap = MotoCloudMap.client(moto);
    for (String name : List.of("blue-1", "blue-2", "green-1")) {
      HttpServer server = vertx.createHttpServer()
          .requestHandler(request -> request.response().end(name + " " + request.path()))
          .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      backends.add(server);
      ports.put(name, server.actualPort());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    cloudMap.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void service(MotoServer moto) throws Exception {
    moto.reset();
    cloudMap.createHttpNamespace(r -> r.name("orders.internal"));
    String namespaceId = cloudMap.listNamespaces(r -> { }).namespaces().get(0).id();
    var service = cloudMap.createService(r -> r.name("api").namespaceId(namespaceId)).service();
    serviceId = service.id();
    serviceArn = service.arn();
  }

  @AfterEach
  void stopGateway() throws Exception {
    if (front != null) {
      front.close().await(10, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close().await(10, TimeUnit.SECONDS);
    }
  }

  private void register(String name, String deployment) {
    cloudMap.registerInstance(r -> r.serviceId(serviceId).instanceId(name).attributes(Map.of(
        "AWS_INSTANCE_IPV4", "127.0.0.1", "AWS_INSTANCE_PORT", Integer.toString(ports.get(name)),
        "deployment", deployment)));
  }

  private void registerDead(String name, int port) {
    cloudMap.registerInstance(r -> r.serviceId(serviceId).instanceId(name).attributes(Map.of(
        "AWS_INSTANCE_IPV4", "127.0.0.1", "AWS_INSTANCE_PORT", Integer.toString(port))));
  }

  private void startGateway(MotoServer moto, String uri) throws Exception {
    startGateway(moto, ApiDefinition.builder().route("ANY /{proxy+}", integration(uri, Map.of())).build());
  }

  /** An integration with options as a file writes them. */
  private static Integration integration(String uri, Map<String, String> options) {
    return integration(uri, WrittenTargetOptions.of(options));
  }

  private static Integration integration(String uri, TargetOptions options) {
    return Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1").uri(uri)
        .targetOptions(options).build();
  }

  private void startGateway(MotoServer moto, ApiDefinition api) throws Exception {
    gateway = Gateway.builder(vertx, api)
        .targetProvider(CloudMapTargetProvider.builder()
            .aws(AwsOptions.builder().endpoint(moto.endpoint()).region(REGION).build())
            .refresh(RefreshSettings.builder().refreshInterval(Duration.ofMillis(100)).build())
            .outliers(OutlierSettings.builder().baseEjection(Duration.ofMillis(500)).build())
            .build())
        .start().await(10, TimeUnit.SECONDS);
    front = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)).requestHandler(gateway)
        .listen().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.actualPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> send(String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.actualPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Map<String, Integer> spread(int requests) throws Exception {
    return spread("", requests);
  }

  /** Sends the requests one after another under the prefix; counts the backends that answered. */
  private Map<String, Integer> spread(String prefix, int requests) throws Exception {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = get(prefix + "/orders/" + i);
      assertThat(response.statusCode()).isEqualTo(200);
      seen.merge(response.body().split(" ")[0], 1, Integer::sum);
    }
    return seen;
  }

  @Test
  void requestsGoRoundRobinOverTheServicesInstancesWithTheirPath(MotoServer moto) throws Exception {
    register("blue-1", "blue");
    register("blue-2", "blue");
    startGateway(moto, serviceArn);

    assertThat(get("/orders/42").body()).matches("blue-[12] /orders/42");
    assertThat(spread(10)).isEqualTo(Map.of("blue-1", 5, "blue-2", 5));
  }

  @Test
  void theShorthandAndTheQueryParametersChooseTheInstances(MotoServer moto) throws Exception {
    register("blue-1", "blue");
    register("green-1", "green");
    startGateway(moto, "cloudmap://orders.internal/api?deployment=green");

    assertThat(spread(4)).isEqualTo(Map.of("green-1", 4));
  }

  /**
   * With a query filter, moto computes the revision of DiscoverInstances over the filtered instances and that of
   * DiscoverInstancesRevision over all of them; a deregistration shows only as a move between two polls, which
   * must be seen at the next poll rather than at the maximum age (an hour here).
   */
  @Test
  void withAQueryFilterADeregistrationIsSeenAtTheNextPollNotAtTheMaximumAge(MotoServer moto) throws Exception {
    register("blue-1", "blue");
    register("blue-2", "blue");
    register("green-1", "green");
    startGateway(moto, ApiDefinition.builder().route("ANY /{proxy+}", integration(
        "cloudmap://orders.internal/api?deployment=blue",
        CloudMapOptions.builder().maxAge(Duration.ofHours(1)).build())).build());
    assertThat(spread(4)).isEqualTo(Map.of("blue-1", 2, "blue-2", 2));

    cloudMap.deregisterInstance(r -> r.serviceId(serviceId).instanceId("blue-1"));

    await().atMost(Duration.ofSeconds(5)).until(() -> spread(4).equals(Map.of("blue-2", 4)));
  }

  @Test
  void anInstanceRegisteredOrDeregisteredIsUsedOrDroppedAfterAPoll(MotoServer moto) throws Exception {
    register("blue-1", "blue");
    startGateway(moto, serviceArn);
    assertThat(spread(2)).isEqualTo(Map.of("blue-1", 2));

    register("blue-2", "blue");
    await().atMost(Duration.ofSeconds(5)).until(() -> spread(2).containsKey("blue-2"));
    cloudMap.deregisterInstance(r -> r.serviceId(serviceId).instanceId("blue-1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> spread(4).equals(Map.of("blue-2", 4)));
  }

  @Test
  void anInstanceThatRefusesConnectionsIsEjectedAndReadmitted(MotoServer moto) throws Exception {
    int deadPort = freePort();
    register("blue-1", "blue");
    registerDead("revived", deadPort);
    startGateway(moto, serviceArn);

    // Turns alternate: 3 of the first 6 requests reach the dead instance (503, API Gateway's answer for a
    // refused connection), which ejects it; then every request goes to blue-1.
    Map<Integer, Integer> statuses = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      statuses.merge(get("/orders/" + i).statusCode(), 1, Integer::sum);
    }
    assertThat(statuses).isEqualTo(Map.of(200, 3, 503, 3));
    assertThat(spread(6)).isEqualTo(Map.of("blue-1", 6));

    HttpServer revived = vertx.createHttpServer()
        .requestHandler(request -> request.response().end("revived " + request.path()))
        .listen(deadPort, "127.0.0.1").await(10, TimeUnit.SECONDS);
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> spread(2).containsKey("revived"));
    } finally {
      revived.close().await(10, TimeUnit.SECONDS);
    }
  }

  private void markUnhealthy(String instance) {
    cloudMap.updateInstanceCustomHealthStatus(r -> r.serviceId(serviceId).instanceId(instance)
        .status(CustomHealthStatus.UNHEALTHY));
  }

  private ApiDefinition byHealthFilter() {
    return ApiDefinition.builder()
        .route("ANY /healthy/{proxy+}", integration(serviceArn, Map.of()))
        .route("ANY /fallback/{proxy+}", integration(serviceArn, Map.of("healthStatus", "HEALTHY_OR_ELSE_ALL")))
        .route("ANY /all/{proxy+}", integration(serviceArn, Map.of("healthStatus", "ALL")))
        .build();
  }

  @Test
  void eachIntegrationDiscoversWithItsHealthFilter(MotoServer moto) throws Exception {
    register("blue-1", "blue");
    register("blue-2", "blue");
    markUnhealthy("blue-2");
    startGateway(moto, byHealthFilter());

    assertThat(spread("/healthy", 4)).isEqualTo(Map.of("blue-1", 4));
    assertThat(spread("/fallback", 4)).isEqualTo(Map.of("blue-1", 4));
    assertThat(spread("/all", 4)).isEqualTo(Map.of("blue-1", 2, "blue-2", 2));
  }

  @Test
  void healthyOrElseAllFailsOpenWhenNoInstanceIsHealthy(MotoServer moto) throws Exception {
    register("blue-1", "blue");
    register("blue-2", "blue");
    markUnhealthy("blue-1");
    markUnhealthy("blue-2");
    startGateway(moto, byHealthFilter());

    HttpResponse<String> healthy = get("/healthy/orders/1");
    assertThat(healthy.statusCode()).isEqualTo(503);
    assertThat(healthy.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    assertThat(spread("/fallback", 4)).isEqualTo(Map.of("blue-1", 2, "blue-2", 2));
  }

  @Test
  void optionalParametersNarrowTheInstancesOnlyWhenOneMatches(MotoServer moto) throws Exception {
    register("blue-1", "blue");
    register("green-1", "green");
    startGateway(moto, ApiDefinition.builder()
        .route("ANY /green/{proxy+}", integration(serviceArn, CloudMapOptions.builder()
            .optionalParameter("deployment", "green").build()))
        .route("ANY /red/{proxy+}", integration(serviceArn, Map.of("optionalParameters.deployment", "red")))
        .build());

    assertThat(spread("/green", 4)).isEqualTo(Map.of("green-1", 4));
    assertThat(spread("/red", 4)).isEqualTo(Map.of("blue-1", 2, "green-1", 2));
  }

  @Test
  void leastOutstandingRequestsAvoidsAnInstanceThatHoldsItsRequests(MotoServer moto) throws Exception {
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    HttpServer holding = vertx.createHttpServer().requestHandler(held::add).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    try {
      register("blue-1", "blue");
      registerDead("holding", holding.actualPort());
      startGateway(moto, ApiDefinition.builder().route("ANY /{proxy+}", integration(serviceArn,
          CloudMapOptions.builder().loadBalancing(LoadBalancing.LEAST_OUTSTANDING_REQUESTS).build()
              )).build());

      // With two instances, both are the two choices: a request goes to the one with fewer requests in flight.
      // Requests go one at a time until one is held; from then on the holding instance has one in flight and
      // blue-1 none, so every later request goes to blue-1 (round robin would send it every other one).
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      int sent = 0;
      while (held.isEmpty() && sent < 40) {
        CompletableFuture<HttpResponse<String>> answer = send("/orders/" + sent++);
        await().atMost(Duration.ofSeconds(10)).until(() -> answer.isDone() || !held.isEmpty());
        if (!answer.isDone()) {
          answers.add(answer);
        }
      }
      assertThat(held).hasSize(1);
      Map<String, Integer> answered = new HashMap<>();
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> response = send("/after/" + i).get(10, TimeUnit.SECONDS);
        answered.merge(response.body().split(" ")[0], 1, Integer::sum);
      }

      assertThat(answered).isEqualTo(Map.of("blue-1", 10));
      assertThat(held).hasSize(1);
      held.forEach(request -> request.response().end("holding " + request.path()));
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        assertThat(answer.get(10, TimeUnit.SECONDS).body()).startsWith("holding /orders/");
      }
    } finally {
      holding.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A service with a custom health check, as {@code UpdateInstanceCustomHealthStatus} needs. */
  private void customHealthService() {
    String namespaceId = cloudMap.listNamespaces(r -> { }).namespaces().get(0).id();
    var service = cloudMap.createService(r -> r.name("checked").namespaceId(namespaceId)
        .healthCheckCustomConfig(c -> { })).service();
    serviceId = service.id();
    serviceArn = service.arn();
  }

  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  @Test
  void reportHealthMarksAnEjectedInstanceUnhealthyAndHealthyOnceItAcceptsConnections(MotoServer moto)
      throws Exception {
    int deadPort = freePort();
    customHealthService();
    register("blue-1", "blue");
    registerDead("revived", deadPort);
    startGateway(moto, ApiDefinition.builder().route("ANY /{proxy+}", integration(serviceArn,
        Map.of("reportHealth", "true", "healthStatus", "ALL"))).build());

    for (int i = 0; i < 6; i++) {
      get("/orders/" + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> health().equals(Map.of(
        "blue-1", HealthStatus.HEALTHY, "revived", HealthStatus.UNHEALTHY)));

    HttpServer revived = vertx.createHttpServer()
        .requestHandler(request -> request.response().end("revived " + request.path()))
        .listen(deadPort, "127.0.0.1").await(10, TimeUnit.SECONDS);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> health().equals(Map.of(
          "blue-1", HealthStatus.HEALTHY, "revived", HealthStatus.HEALTHY)));
    } finally {
      revived.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void closingTheGatewayHandsBackTheInstancesItReportedUnhealthy(MotoServer moto) throws Exception {
    customHealthService();
    register("blue-1", "blue");
    registerDead("dead", freePort());
    startGateway(moto, ApiDefinition.builder().route("ANY /{proxy+}", integration(serviceArn,
        Map.of("reportHealth", "true", "healthStatus", "ALL"))).build());
    for (int i = 0; i < 6; i++) {
      get("/orders/" + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> health().get("dead") == HealthStatus.UNHEALTHY);

    front.close().await(10, TimeUnit.SECONDS);
    gateway.close().await(40, TimeUnit.SECONDS);
    front = null;
    gateway = null;

    // Nobody looks after the instance any more, so the gateway fails open: HEALTHY as soon as close completes.
    assertThat(health()).isEqualTo(Map.of("blue-1", HealthStatus.HEALTHY, "dead", HealthStatus.HEALTHY));
  }

  @Test
  void aRegionOptionOtherThanTheServiceArnsIsRefused(MotoServer moto) {
    ApiDefinition api = ApiDefinition.builder().route("ANY /{proxy+}",
        integration(serviceArn, Map.of("region", "us-east-1"))).build();

    assertThatThrownBy(() -> startGateway(moto, api))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage '$default', route 'ANY /{proxy+}': target provider cloudmap refused integration uri '"
            + serviceArn + "' with target options {region=us-east-1}: region 'us-east-1' is not the region of the "
            + "service ARN, 'eu-west-1': expected no region option, or 'eu-west-1'");
  }

  @Test
  void aClientOfYourOwnCannotComeWithCredentialsOrConfiguration(MotoServer moto) {
    try (ServiceDiscoveryAsyncClient own = MotoCloudMap.asyncClient(moto, vertx).build()) {
      assertThatThrownBy(() -> CloudMapTargetProvider.builder().client(own).aws(AwsOptions.defaults()).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a client of your own brings its own region, credentials and configuration: expected client, "
              + "or aws options, not both");
    }
  }

  private Map<String, HealthStatus> health() {
    return cloudMap.getInstancesHealthStatus(r -> r.serviceId(serviceId)).status();
  }

  @Test
  void integrationsWithTheSameRegionAndRoleShareOneClientAcrossReloads(MotoServer moto) throws Exception {
    register("blue-1", "blue");
    AtomicInteger clientsBuilt = new AtomicInteger();
    CloudMapTargetProvider provider = CloudMapTargetProvider.builder()
        .aws(AwsOptions.builder().endpoint(moto.endpoint()).region(REGION)
            .clientConfiguration(c -> clientsBuilt.incrementAndGet()).build())
        .build();
    gateway = Gateway.builder(vertx, byHealthFilter())
        .targetProvider(provider)
        .start().await(10, TimeUnit.SECONDS);
    front = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)).requestHandler(gateway)
        .listen().await(10, TimeUnit.SECONDS);

    assertThat(spread("/healthy", 1)).isEqualTo(Map.of("blue-1", 1));
    assertThat(spread("/all", 1)).isEqualTo(Map.of("blue-1", 1));
    gateway.update(byHealthFilter()).await(10, TimeUnit.SECONDS);
    assertThat(spread("/fallback", 1)).isEqualTo(Map.of("blue-1", 1));
    assertThat(clientsBuilt).hasValue(1);

    // Closing the gateway closes the shared client: the same provider builds a new one for the next gateway.
    front.close().await(10, TimeUnit.SECONDS);
    gateway.close().await(10, TimeUnit.SECONDS);
    gateway = Gateway.builder(vertx, byHealthFilter()).targetProvider(provider)
        .start().await(10, TimeUnit.SECONDS);
    front = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)).requestHandler(gateway)
        .listen().await(10, TimeUnit.SECONDS);
    assertThat(spread("/all", 1)).isEqualTo(Map.of("blue-1", 1));
    assertThat(clientsBuilt).hasValue(2);
  }

  @Test
  void reportHealthNeedsAServiceArn(MotoServer moto) {
    ApiDefinition api = ApiDefinition.builder().route("ANY /{proxy+}",
        integration("cloudmap://orders.internal/api", Map.of("reportHealth", "true"))).build();

    assertThatThrownBy(() -> startGateway(moto, api))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage '$default', route 'ANY /{proxy+}': target provider cloudmap refused integration uri "
            + "'cloudmap://orders.internal/api' with target options {reportHealth=true}: reportHealth needs the "
            + "service's id, which a cloudmap:// uri does not give: expected a service ARN");
  }

  @Test
  void anUnknownOptionIsRefusedWithTheOptionsExpected(MotoServer moto) {
    ApiDefinition api = ApiDefinition.builder().route("ANY /{proxy+}",
        integration(serviceArn, Map.of("healthFilter", "ALL"))).build();

    assertThatThrownBy(() -> startGateway(moto, api))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage '$default', route 'ANY /{proxy+}': target provider cloudmap refused integration uri '"
            + serviceArn + "' with target options {healthFilter=ALL}: unknown target option 'healthFilter': expected "
            + "healthStatus, optionalParameters.NAME, loadBalancing, region, roleArn, externalId, roleSessionName, "
            + "reportHealth, pollIntervalMillis, maxAgeMillis or maxStalenessMillis");
  }

  @Test
  void aServiceWithoutInstancesAnswers503(MotoServer moto) throws Exception {
    startGateway(moto, serviceArn);

    HttpResponse<String> response = get("/orders/1");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
  }
}
