package dev.gatelink.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gatelink.nlb.passthrough.ConnectionLog;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;

/**
 * The runner's TLS-passthrough listener, from its flags and from the API file's {@code x-gatelink-passthrough}:
 * TLS connections routed by server name to loopback backends holding their own certificates, which the client
 * sees (Gatelink never ends TLS), with static {@code HOST:PORT} targets, an NLB listener ARN and a Cloud Map
 * service discovered in moto.
 */
@ExtendWith({MotoServerExtension.class, RunnerAwsCredentials.class})
class GatewayRunnerPassthroughTest {
  private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
      AwsBasicCredentials.create("test", "test"));
  private Vertx vertx;
  private final List<GatewayRunner> runners = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    for (GatewayRunner runner : runners) {
      assertThat(runner.stop()).isTrue();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private GatewayRunner run(String... args) throws Exception {
    GatewayRunner runner = GatewayRunner.start(RunnerOptions.parse(List.of(args), Map.of()), System.err);
    runners.add(runner);
    return runner;
  }

  /** What a client saw through the listener: the certificate's subject, then the backend's answer. */
  static String call(int port, String serverName, String path) throws IOException {
    X509Certificate[] seen = new X509Certificate[1];
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
          seen[0] = chain[0];
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      plain.setSoTimeout(10_000);
      SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, false);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + serverName
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
      String status = response.substring(0, response.indexOf("\r\n"));
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      return seen[0].getSubjectX500Principal().getName() + " | " + status + " | " + body;
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      all.write(buffer, 0, n);
    }
    return all.toByteArray();
  }

  @Test
  void flagsRouteByServerNameExactWildcardAndDefaultAndTheClientSeesEachBackendsCertificate() throws Exception {
    LoopbackBackend orders = LoopbackBackend.startTls(vertx, "orders", "orders.example.com");
    LoopbackBackend stock = LoopbackBackend.startTls(vertx, "stock", "eu.stock.example.com");
    LoopbackBackend fallback = LoopbackBackend.startTls(vertx, "fallback", "fallback.example.com");
    GatewayRunner runner = run("--port", "0", "--tls-passthrough-port", "0",
        "--sni-route", "orders.example.com=127.0.0.1:" + orders.port(),
        "--sni-route", "*.stock.example.com=localhost:" + stock.port(),
        "--sni-default", "127.0.0.1:" + fallback.port());
    int port = runner.passthrough().port();

    assertThat(runner.passthroughAuthority()).isEqualTo("127.0.0.1:" + port);
    assertThat(call(port, "orders.example.com", "/orders/1"))
        .isEqualTo("CN=orders.example.com | HTTP/1.1 200 OK | orders GET /orders/1");
    assertThat(call(port, "eu.stock.example.com", "/stock/2"))
        .isEqualTo("CN=eu.stock.example.com | HTTP/1.1 200 OK | stock GET /stock/2");
    assertThat(call(port, "unknown.example.net", "/x"))
        .isEqualTo("CN=fallback.example.com | HTTP/1.1 200 OK | fallback GET /x");
    // The listener accounts for a connection once both its sides are closed, just after the client sees the end.
    await().atMost(Duration.ofSeconds(10)).until(() -> runner.passthrough().listener().openConnections() == 0);
  }

  @Test
  void withoutADefaultAnUnknownServerNameIsClosedWithoutReachingABackend() throws Exception {
    LoopbackBackend orders = LoopbackBackend.startTls(vertx, "orders", "orders.example.com");
    GatewayRunner runner = run("--port", "0", "--tls-passthrough-port", "0",
        "--sni-route", "orders.example.com=127.0.0.1:" + orders.port());

    assertThatThrownBy(() -> call(runner.passthrough().port(), "other.example.com", "/"))
        .isInstanceOf(IOException.class);
    assertThat(orders.connections()).isZero();
  }

  @Test
  void theFilesExtensionGivesPortRoutesAndDefaultAndTheFlagsWin(@TempDir Path dir) throws Exception {
    LoopbackBackend orders = LoopbackBackend.startTls(vertx, "orders", "orders.example.com");
    LoopbackBackend moved = LoopbackBackend.startTls(vertx, "moved", "orders.example.com");
    LoopbackBackend fallback = LoopbackBackend.startTls(vertx, "fallback", "fallback.example.com");
    LoopbackBackend stock = LoopbackBackend.startTls(vertx, "stock", "stock.example.com");
    Path api = Files.writeString(dir.resolve("api.yaml"), "openapi: 3.0.1\n"
        + "info: {title: shop, version: \"1\"}\n"
        + "x-gatelink-passthrough:\n"
        + "  port: 0\n"
        + "  routes:\n"
        + "    orders.example.com: 127.0.0.1:" + orders.port() + "\n"
        + "    stock.example.com: 127.0.0.1:" + stock.port() + "\n"
        + "  default: 127.0.0.1:" + fallback.port() + "\n"
        + "  helloTimeoutMillis: 5000\n"
        + "paths:\n"
        + "  /health:\n"
        + "    get:\n"
        + "      x-amazon-apigateway-integration:\n"
        + "        type: http_proxy\n"
        + "        uri: " + orders.url().replace("https:", "http:") + "\n"
        + "        payloadFormatVersion: \"1.0\"\n");
    GatewayRunner runner = run("--api", api.toString(), "--port", "0",
        "--sni-route", "orders.example.com=127.0.0.1:" + moved.port());
    int port = runner.passthrough().port();

    assertThat(runner.passthrough().listener().options().helloTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(call(port, "orders.example.com", "/a")).isEqualTo("CN=orders.example.com | HTTP/1.1 200 OK | moved GET /a");
    assertThat(call(port, "stock.example.com", "/b")).isEqualTo("CN=stock.example.com | HTTP/1.1 200 OK | stock GET /b");
    assertThat(call(port, "nobody.example.com", "/c"))
        .isEqualTo("CN=fallback.example.com | HTTP/1.1 200 OK | fallback GET /c");
    assertThat(orders.connections()).isZero();
  }

  @Test
  void aBadExtensionIsAUsageErrorNamingTheFileAndPointer(@TempDir Path dir) throws Exception {
    Path api = Files.writeString(dir.resolve("api.yaml"), "openapi: 3.0.1\n"
        + "info: {title: shop, version: \"1\"}\n"
        + "x-gatelink-passthrough:\n"
        + "  port: 0\n"
        + "  routes:\n"
        + "    orders.example.com: orders\n"
        + "paths: {}\n");

    assertThatThrownBy(() -> run("--api", api.toString(), "--port", "0"))
        .isInstanceOf(UsageException.class)
        .hasMessage(api + ": /x-gatelink-passthrough/routes/orders.example.com: target 'orders' is not valid: "
            + "expected HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE");
  }

  @Test
  void aTargetNoProviderClaimsIsAUsageErrorListingWhoWasAsked() throws Exception {
    assertThatThrownBy(() -> run("--port", "0", "--tls-passthrough-port", "0",
        "--sni-route", "orders.example.com=consul://orders"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--sni-route 'orders.example.com=consul://orders': integration uri 'consul://orders' "
            + "is not claimed by any target provider: asked cloudmap (");
  }

  @Test
  void aPortInUseIsAStartFailure() throws Exception {
    LoopbackBackend orders = LoopbackBackend.startTls(vertx, "orders", "orders.example.com");

    assertThatThrownBy(() -> run("--port", "0", "--tls-passthrough-port", Integer.toString(orders.port()),
        "--sni-route", "orders.example.com=127.0.0.1:" + orders.port()))
        .isInstanceOf(StartException.class)
        .hasMessage("cannot listen for TLS passthrough on 127.0.0.1:" + orders.port() + ": Address already in use");
  }

  @Test
  void aCloudMapServiceIsDiscoveredInMoto(MotoServer moto) throws Exception {
    moto.reset();
    LoopbackBackend orders = LoopbackBackend.startTls(vertx, "orders", "orders.example.com");
    try (ServiceDiscoveryClient cloudMap = ServiceDiscoveryClient.builder().endpointOverride(moto.endpoint())
        .region(Region.EU_WEST_1).credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build()) {
      cloudMap.createHttpNamespace(r -> r.name("shop.internal"));
      String namespaceId = cloudMap.listNamespaces(r -> { }).namespaces().get(0).id();
      String serviceId = cloudMap.createService(r -> r.name("orders").namespaceId(namespaceId)).service().id();
      cloudMap.registerInstance(r -> r.serviceId(serviceId).instanceId("i-1").attributes(Map.of(
          "AWS_INSTANCE_IPV4", "127.0.0.1", "AWS_INSTANCE_PORT", Integer.toString(orders.port()))));
    }
    GatewayRunner runner = run("--port", "0", "--aws-endpoint", moto.endpoint().toString(), "--aws-region",
        "eu-west-1", "--tls-passthrough-port", "0", "--sni-route",
        "orders.example.com=cloudmap://shop.internal/orders");

    assertThat(call(runner.passthrough().port(), "orders.example.com", "/orders/3"))
        .isEqualTo("CN=orders.example.com | HTTP/1.1 200 OK | orders GET /orders/3");
  }

  @Test
  void anNlbListenerArnIsResolvedInMotoAndItsNameThroughResolve(MotoServer moto) throws Exception {
    moto.reset();
    LoopbackBackend orders = LoopbackBackend.startTls(vertx, "orders", "orders.example.com");
    String[] listener;
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().endpointOverride(moto.endpoint())
        .region(Region.US_EAST_2).credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
        .build();
        Ec2Client ec2 = Ec2Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_2)
            .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
      String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-2a"))
          .subnet().subnetId();
      LoadBalancer balancer = elb.createLoadBalancer(r -> r.name("orders").subnets(subnet).scheme("internal")
          .type(LoadBalancerTypeEnum.NETWORK)).loadBalancers().get(0);
      String group = elb.createTargetGroup(r -> r.name("orders").protocol(ProtocolEnum.TCP).port(orders.port())
          .vpcId(vpc)).targetGroups().get(0).targetGroupArn();
      listener = new String[] {elb.createListener(r -> r.loadBalancerArn(balancer.loadBalancerArn())
          .protocol(ProtocolEnum.TCP).port(orders.port()).defaultActions(a -> a.type("forward")
              .targetGroupArn(group))).listeners().get(0).listenerArn(), balancer.dnsName()};
    }
    GatewayRunner runner = run("--port", "0", "--aws-endpoint", moto.endpoint().toString(), "--aws-region",
        "us-east-2", "--resolve", listener[1] + "=127.0.0.1:" + orders.port(), "--tls-passthrough-port", "0",
        "--sni-route", "orders.example.com=" + listener[0]);

    assertThat(call(runner.passthrough().port(), "orders.example.com", "/orders/4"))
        .isEqualTo("CN=orders.example.com | HTTP/1.1 200 OK | orders GET /orders/4");
  }

  @Test
  void theAccessLogLineIsOneJsonObjectPerConnection() {
    ConnectionLog relayed = new ConnectionLog(new InetSocketAddress("127.0.0.1", 50_000), "orders.example.com",
        List.of("h2", "http/1.1"), "orders.example.com", "h2", Endpoint.of("10.0.0.5", 443), 517, 4096, true,
        Duration.ofMillis(12), Outcome.SUCCESS, null);
    ConnectionLog refused = new ConnectionLog(new InetSocketAddress("::1", 50_001), "a\"b", List.of(), null, null,
        null, 0, 0, false, Duration.ofMillis(1), null, ConnectionLog.Refusal.NO_ROUTE);

    assertThat(RunnerPassthrough.json(relayed)).isEqualTo("{\"sourceIp\":\"127.0.0.1\",\"sourcePort\":50000,"
        + "\"serverName\":\"orders.example.com\",\"offeredAlpn\":[\"h2\",\"http/1.1\"],\"route\":\"orders.example.com\","
        + "\"routeAlpn\":\"h2\",\"endpoint\":\"10.0.0.5:443\",\"bytesFromClient\":517,\"bytesToClient\":4096,"
        + "\"zeroCopy\":true,\"durationMillis\":12,\"outcome\":\"SUCCESS\",\"refusal\":null}");
    assertThat(RunnerPassthrough.json(refused)).isEqualTo("{\"sourceIp\":\"0:0:0:0:0:0:0:1\",\"sourcePort\":50001,"
        + "\"serverName\":\"a\\\"b\",\"offeredAlpn\":[],\"route\":null,\"routeAlpn\":null,\"endpoint\":null,"
        + "\"bytesFromClient\":0,\"bytesToClient\":0,\"zeroCopy\":false,\"durationMillis\":1,\"outcome\":null,"
        + "\"refusal\":\"NO_ROUTE\"}");
  }
}
