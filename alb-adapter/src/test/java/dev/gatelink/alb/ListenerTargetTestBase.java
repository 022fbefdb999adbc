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
 * What the listener target tests share: moto's ELBv2, the load balancer's name served by a DNS server on loopback
 * (node addresses 127.0.0.2, 127.0.0.3, ... on the listener's port), a backend behind each address, a gateway
 * with the ALB provider (which serves either type of listener), and the target's warnings.
 */
@ExtendWith(MotoServerExtension.class)
abstract class ListenerTargetTestBase {
  static final Logger TARGET_LOG = Logger.getLogger(ElbListenerTarget.class.getName());

  final List<String> warnings = new CopyOnWriteArrayList<>();
  final Handler recorder = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
        warnings.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  Vertx vertx;
  MotoElb moto;
  LoopbackDnsServer dns;
  final List<LoopbackBackend> backends = new ArrayList<>();
  Gateway gateway;
  HttpServer front;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start(MotoServer server) throws Exception {
    server.reset();
    vertx = Vertx.vertx();
    moto = new MotoElb(server);
    dns = LoopbackDnsServer.start();
    TARGET_LOG.addHandler(recorder);
  }

  @AfterEach
  void stop() throws Exception {
    TARGET_LOG.removeHandler(recorder);
    if (front != null) {
      front.close().await(10, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close().await(10, TimeUnit.SECONDS);
    }
    for (LoopbackBackend backend : backends) {
      backend.close();
    }
    dns.close();
    moto.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Backends on the given loopback addresses, all on one port; returns the port. */
  int nodes(@Nullable SelfSignedCertificate certificate, String... addresses) throws Exception {
    int port = 0;
    for (int i = 0; i < addresses.length; i++) {
      LoopbackBackend backend = LoopbackBackend.startAt(vertx, "node-" + (char) ('a' + i), addresses[i], port,
          certificate);
      port = backend.port();
      backends.add(backend);
    }
    return port;
  }

  /** {@return the type of load balancer the tests make} */
  abstract LoadBalancerTypeEnum type();

  /** A load balancer whose name resolves to the addresses, with a listener of the protocol on the port. */
  String listener(ProtocolEnum protocol, int port, String... addresses) {
    LoadBalancer balancer = moto.loadBalancer("orders", type());
    dns.answer(balancer.dnsName(), Duration.ofSeconds(1), addresses);
    return moto.listener(balancer, protocol, port, moto.targetGroup("orders", port));
  }

  AlbTargetProvider provider(MotoServer server) {
    return AlbTargetProvider.builder()
        .aws(AwsOptions.builder().endpoint(server.endpoint()).credentials(MotoElb.CREDENTIALS).build())
        .dns(DnsSettings.builder().nameServers(List.of(dns.address())).ipv6(false).build())
        .refresh(RefreshSettings.builder().refreshInterval(Duration.ofMillis(200)).maxAge(Duration.ofMillis(200))
            .maxStaleness(null).build())
        .build();
  }

  static Integration integration(String listenerArn, @Nullable String serverNameToVerify,
      AlbOptions options) {
    return Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1")
        .uri(listenerArn).serverNameToVerify(serverNameToVerify).targetOptions(options).build();
  }

  void startGateway(MotoServer server, Integration integration) throws Exception {
    gateway = Gateway.builder(vertx, ApiDefinition.builder().route("ANY /{proxy+}", integration).build())
        .targetProvider(provider(server))
        .start().await(20, TimeUnit.SECONDS);
    front = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)).requestHandler(gateway)
        .listen().await(10, TimeUnit.SECONDS);
  }

  HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.actualPort() + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends the requests one at a time; counts the answers by backend. */
  Map<String, Integer> spread(int requests) throws Exception {
    Map<String, Integer> byBackend = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = get("/orders/" + i);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      byBackend.merge(response.headers().firstValue("x-backend").orElseThrow(), 1, Integer::sum);
    }
    return byBackend;
  }

}
