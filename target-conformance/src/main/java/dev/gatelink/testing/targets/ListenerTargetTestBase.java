package dev.gatelink.testing.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.aws.AwsOptions;
import dev.gatelink.aws.ElbListenerTarget;
import dev.gatelink.aws.ElbListenerTargetProvider;
import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.target.DnsSettings;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.TargetOptions;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.LoopbackDnsServer;
import dev.gatelink.testing.MotoElb;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import dev.gatelink.testing.TargetHealthOverrides;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * What the tests of load balancer listener targets share (the ALB's and the NLB's, whose providers are
 * {@link ElbListenerTargetProvider}s and whose targets are {@link ElbListenerTarget}s): moto's ELBv2
 * ({@link MotoElb}), the load balancer's name served by a DNS server on loopback (node addresses 127.0.0.2,
 * 127.0.0.3, ... on the listener's port), a backend behind each address, a gateway whose one route,
 * {@code ANY /{proxy+}}, goes to the integration through the provider under test (on moto, the DNS server, a
 * 200 ms refresh and {@link #health}), its front server on 127.0.0.1, and the listener target's warnings.
 *
 * <p>Extend it with the type of load balancer the tests make and the provider's builder:
 * {@code super(LoadBalancerTypeEnum.NETWORK, NlbTargetProvider::builder)}. Each test gets a new Vert.x instance,
 * moto reset, and everything closed after it.
 */
@ExtendWith(MotoServerExtension.class)
public abstract class ListenerTargetTestBase {
  /** Listeners described every 200 ms, the last good description kept for as long as refreshes fail. */
  public static final RefreshSettings REFRESH = RefreshSettings.builder().refreshInterval(Duration.ofMillis(200))
      .maxAge(Duration.ofMillis(200)).maxStaleness(null).build();

  /** The logger of {@link ElbListenerTarget}, whose warnings {@link #warnings} records. */
  protected static final Logger TARGET_LOG = Logger.getLogger(ElbListenerTarget.class.getName());

  /** The listener target's warnings (and worse) during the test, in order. */
  protected final List<String> warnings = new CopyOnWriteArrayList<>();
  /** Backends the test started ({@link #nodes}, or its own): closed after the test. */
  protected final List<LoopbackBackend> backends = new ArrayList<>();
  /** Target health the test rewrites in {@code DescribeTargetHealth}'s answers, for the provider's clients. */
  protected final TargetHealthOverrides health = new TargetHealthOverrides();
  /** The test's Vert.x instance. */
  protected Vertx vertx;
  /** moto's load balancers. */
  protected MotoElb moto;
  /** The DNS server that answers for the load balancers' names. */
  protected LoopbackDnsServer dns;
  /** The gateway, once {@link #startGateway} started it. */
  protected @Nullable Gateway gateway;
  /** The gateway's front server, once {@link #startGateway} started it. */
  protected @Nullable HttpServer front;

  private final Handler recorder = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final LoadBalancerTypeEnum type;
  private final Supplier<? extends ElbListenerTargetProvider.Builder<?, ?>> provider;

  /**
   * For subclasses.
   *
   * @param type the type of load balancer {@link #listener} makes
   * @param provider makes a builder of the provider under test, such as {@code NlbTargetProvider::builder}
   */
  protected ListenerTargetTestBase(LoadBalancerTypeEnum type,
      Supplier<? extends ElbListenerTargetProvider.Builder<?, ?>> provider) {
    this.type = type;
    this.provider = provider;
  }

  /** {@return the type of load balancer {@link #listener} makes} */
  protected final LoadBalancerTypeEnum type() {
    return type;
  }

  /**
   * The provider under test, on moto, {@link #dns} and {@link #health} ({@link #onMoto}).
   *
   * @param server moto
   * @return the provider
   */
  protected TargetProvider provider(MotoServer server) {
    return onMoto(provider.get(), server, dns, health);
  }

  /**
   * Builds a listener provider for the tests: moto's endpoint and credentials ({@link MotoElb#CREDENTIALS}), the
   * DNS server as its only name server ({@link #dnsSettings}), listeners described every 200 ms ({@link #REFRESH}),
   * and the interceptors on its AWS clients.
   *
   * @param builder a new builder of the provider
   * @param server moto
   * @param dns the DNS server that answers for the load balancers' names
   * @param interceptors added to its AWS clients
   * @return the provider
   */
  public static TargetProvider onMoto(ElbListenerTargetProvider.Builder<?, ?> builder, MotoServer server,
      LoopbackDnsServer dns, ExecutionInterceptor... interceptors) {
    builder.aws(AwsOptions.builder().endpoint(server.endpoint()).credentials(MotoElb.CREDENTIALS)
        .clientConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor)).build());
    builder.dns(dnsSettings(dns));
    builder.refresh(REFRESH);
    return builder.build();
  }

  /**
   * {@return DNS settings that ask the loopback DNS server only, for A records only}
   *
   * @param dns the server
   */
  public static DnsSettings dnsSettings(LoopbackDnsServer dns) {
    return DnsSettings.builder().nameServers(List.of(dns.address())).ipv6(false).build();
  }

  /**
   * Resets moto and starts the test's Vert.x instance, moto clients and DNS server.
   *
   * @param server moto
   * @throws Exception if one cannot be started
   */
  @BeforeEach
  protected void startListenerFixture(MotoServer server) throws Exception {
    server.reset();
    vertx = Vertx.vertx();
    moto = new MotoElb(server);
    dns = LoopbackDnsServer.start();
    TARGET_LOG.addHandler(recorder);
  }

  /**
   * Closes the front server, the gateway, the backends, the DNS server, the moto clients and Vert.x.
   *
   * @throws Exception if one cannot be closed within 10 s
   */
  @AfterEach
  protected void stopListenerFixture() throws Exception {
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

  /**
   * Starts a load balancer's nodes: backends named {@code node-a}, {@code node-b}, ... on the addresses, all on one
   * port (the listener's), closed after the test.
   *
   * @param certificate the certificate they serve TLS with, or null for plain HTTP
   * @param addresses loopback addresses such as {@code 127.0.0.2}
   * @return the port
   * @throws Exception if one cannot listen
   */
  protected int nodes(@Nullable SelfSignedCertificate certificate, String... addresses) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < addresses.length; i++) {
      names.add("node-" + (char) ('a' + i));
    }
    List<LoopbackBackend> started = startNodes(vertx, names, List.of(addresses), certificate);
    backends.addAll(started);
    return started.get(0).port();
  }

  /**
   * Starts backends on the addresses, all on one port: the first picks a free one, the others take it.
   *
   * @param vertx the Vert.x instance
   * @param names their names, one per address
   * @param addresses loopback addresses such as {@code 127.0.0.2}
   * @param certificate the certificate they serve TLS with, or null for plain HTTP
   * @return the backends, in the order of the addresses
   * @throws Exception if one cannot listen
   */
  public static List<LoopbackBackend> startNodes(Vertx vertx, List<String> names, List<String> addresses,
      @Nullable SelfSignedCertificate certificate) throws Exception {
    List<LoopbackBackend> nodes = new ArrayList<>();
    int port = 0;
    for (int i = 0; i < names.size(); i++) {
      LoopbackBackend node = LoopbackBackend.startAt(vertx, names.get(i), addresses.get(i), port, certificate);
      port = node.port();
      nodes.add(node);
    }
    return nodes;
  }

  /**
   * Starts nodes on the addresses (serving TLS with the certificate, if any), makes a load balancer of
   * {@link #type()} whose name resolves to them with a listener of the protocol on their port, and starts a gateway
   * whose one route goes to an integration of that listener.
   *
   * @param server moto
   * @param protocol the listener's protocol
   * @param certificate the nodes' certificate, or null for plain HTTP
   * @param serverNameToVerify the integration's {@code tlsConfig.serverNameToVerify}, or null for none
   * @param options the integration's target options
   * @param addresses the nodes' addresses
   * @return the listener's ARN
   * @throws Exception if a node cannot listen or the gateway does not start
   */
  protected String serve(MotoServer server, ProtocolEnum protocol, @Nullable SelfSignedCertificate certificate,
      @Nullable String serverNameToVerify, TargetOptions options, String... addresses) throws Exception {
    String listener = listener(protocol, nodes(certificate, addresses), addresses);
    startGateway(server, integration(listener, serverNameToVerify, options));
    return listener;
  }

  /**
   * Makes a load balancer of {@link #type()} named {@code orders}, whose name resolves to the addresses, with a
   * listener of the protocol on the port.
   *
   * @param protocol the listener's protocol
   * @param port its port
   * @param addresses the load balancer's node addresses
   * @return the listener's ARN
   */
  protected String listener(ProtocolEnum protocol, int port, String... addresses) {
    return listener(moto, dns, "orders", type(), protocol, port, addresses);
  }

  /**
   * Makes a load balancer whose name resolves to the addresses (for a second), with a listener of the protocol on
   * the port that forwards to a target group of its own.
   *
   * @param moto moto's load balancers
   * @param dns the DNS server that answers for the load balancer's name
   * @param name the load balancer's (and its target group's) name
   * @param type the load balancer's type
   * @param protocol the listener's protocol
   * @param port its port
   * @param addresses the load balancer's node addresses
   * @return the listener's ARN
   */
  public static String listener(MotoElb moto, LoopbackDnsServer dns, String name, LoadBalancerTypeEnum type,
      ProtocolEnum protocol, int port, String... addresses) {
    LoadBalancer balancer = moto.loadBalancer(name, type);
    dns.answer(balancer.dnsName(), Duration.ofSeconds(1), addresses);
    return moto.listener(balancer, protocol, port, moto.targetGroup(name, port));
  }

  /**
   * {@return a private integration ({@code VPC_LINK}, VPC link {@code vpclink-1}) to the listener}
   *
   * @param listenerArn the listener's ARN
   * @param serverNameToVerify its {@code tlsConfig.serverNameToVerify}, or null for none
   * @param options its target options
   */
  protected static Integration integration(String listenerArn, @Nullable String serverNameToVerify,
      TargetOptions options) {
    return Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1")
        .uri(listenerArn).serverNameToVerify(serverNameToVerify).targetOptions(options).build();
  }

  /**
   * Starts a gateway whose one route goes to the integration, with {@link #provider(MotoServer)}, and its front
   * server.
   *
   * @param server moto
   * @param integration the integration
   * @throws Exception if the gateway does not start within 20 s (the reason is the exception's)
   */
  protected void startGateway(MotoServer server, Integration integration) throws Exception {
    startGateway(provider(server), integration);
  }

  /**
   * Starts a gateway whose one route goes to the integration, with these providers asked first in this order, and
   * its front server.
   *
   * @param first the provider asked first
   * @param integration the integration
   * @param more providers asked next, in order
   * @throws Exception if the gateway does not start within 20 s (the reason is the exception's)
   */
  protected void startGateway(TargetProvider first, Integration integration, TargetProvider... more)
      throws Exception {
    Gateway.Builder builder = Gateway.builder(vertx, ApiDefinition.builder().route("ANY /{proxy+}", integration)
        .build()).targetProvider(first);
    for (TargetProvider provider : more) {
      builder.targetProvider(provider);
    }
    Gateway started = builder.start().await(20, TimeUnit.SECONDS);
    gateway = started;
    front = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)).requestHandler(started)
        .listen().await(10, TimeUnit.SECONDS);
  }

  /**
   * Sends a request to the front server and waits for its answer (at most 20 s).
   *
   * @param method the method
   * @param path the path and query
   * @param headers names and values, alternately
   * @return the answer
   * @throws Exception if it cannot be sent or does not come
   */
  protected HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpServer server = front;
    if (server == null) {
      throw new IllegalStateException("no gateway started: expected startGateway first");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
        + path)).method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends a GET to the front server and waits for its answer (at most 20 s).
   *
   * @param path the path and query
   * @return the answer
   * @throws Exception if it cannot be sent or does not come
   */
  protected HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  /**
   * Sends a GET of each path, checks each is answered by the gateway itself with the status and body, and that
   * no backend saw a request.
   *
   * @param status the status
   * @param body the body
   * @param paths the paths
   * @throws Exception if one cannot be sent
   */
  protected void assertEveryAnswer(int status, String body, String... paths) throws Exception {
    for (String path : paths) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as("status of %s", path).isEqualTo(status);
      assertThat(response.body()).as("body of %s", path).isEqualTo(body);
    }
    for (LoopbackBackend backend : backends) {
      assertThat(backend.seen()).as("requests %s saw", backend.name()).isEmpty();
    }
  }

  /**
   * Sends GETs of {@code /orders/0}, {@code /orders/1}, ... one at a time, checks each is answered 200, and counts
   * the answers by backend.
   *
   * @param requests how many
   * @return the counts by backend name ({@code x-backend})
   * @throws Exception if one cannot be sent
   */
  protected Map<String, Integer> spread(int requests) throws Exception {
    return spread(requests, null);
  }

  /**
   * Sends GETs of a path one at a time, checks each is answered 200, and counts the answers by backend.
   *
   * @param requests how many
   * @param path the path, or null for {@code /orders/0}, {@code /orders/1}, ...
   * @return the counts by backend name ({@code x-backend})
   * @throws Exception if one cannot be sent
   */
  protected Map<String, Integer> spread(int requests, @Nullable String path) throws Exception {
    Map<String, Integer> byBackend = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = get(path != null ? path : "/orders/" + i);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      byBackend.merge(response.headers().firstValue("x-backend").orElseThrow(), 1, Integer::sum);
    }
    return byBackend;
  }
}
