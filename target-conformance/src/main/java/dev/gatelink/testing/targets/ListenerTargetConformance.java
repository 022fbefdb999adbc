package dev.gatelink.testing.targets;

import dev.gatelink.aws.ElbListenerTargetProvider;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.target.TargetOptions;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.LoopbackDnsServer;
import dev.gatelink.testing.MotoElb;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * The conformance suite for load balancer listener targets (the ALB's and the NLB's): each integration is a
 * listener of a load balancer of its own in moto (HTTP for an application load balancer, TCP for a network one),
 * whose DNS name a loopback DNS server resolves to its group of backends, the load balancer's nodes: one port, on
 * 127.0.0.2, 127.0.0.3, ...
 *
 * <p>Extend it with the type of load balancer and the provider's builder
 * ({@code super(LoadBalancerTypeEnum.APPLICATION, AlbTargetProvider::builder)}), and, if the provider needs them to
 * claim the integrations, their target options ({@link #options()}). The provider is on moto and the DNS server
 * ({@link ListenerTargetTestBase#onMoto}).
 */
@ExtendWith(MotoServerExtension.class)
public abstract class ListenerTargetConformance extends TargetConformance {
  private MotoServer server;
  private MotoElb moto;
  private LoopbackDnsServer dns;
  private int balancers;
  private final LoadBalancerTypeEnum type;
  private final Supplier<? extends ElbListenerTargetProvider.Builder<?, ?>> provider;

  /**
   * For subclasses, one per listener provider.
   *
   * @param type the type of load balancer each integration's listener belongs to
   * @param provider makes a builder of the provider under test, such as {@code AlbTargetProvider::builder}
   */
  protected ListenerTargetConformance(LoadBalancerTypeEnum type,
      Supplier<? extends ElbListenerTargetProvider.Builder<?, ?>> provider) {
    this.type = type;
    this.provider = provider;
  }

  /**
   * {@return the target options of every integration: none by default (moto's listener ARNs all read
   * {@code listener/app/}, so a provider that claims other ARNs by their type segment needs its typed options)}
   */
  protected TargetOptions options() {
    return TargetOptions.none();
  }

  /**
   * Resets moto, starts the moto clients and the DNS server.
   *
   * @param motoServer moto
   * @throws Exception if one cannot be started
   */
  @BeforeEach
  protected void startListeners(MotoServer motoServer) throws Exception {
    motoServer.reset();
    server = motoServer;
    moto = new MotoElb(motoServer);
    dns = LoopbackDnsServer.start();
  }

  /**
   * Closes the DNS server and the moto clients.
   *
   * @throws Exception if the DNS server cannot be closed
   */
  @AfterEach
  protected void stopListeners() throws Exception {
    dns.close();
    moto.close();
  }

  @Override
  protected TargetProvider provider() {
    return ListenerTargetTestBase.onMoto(provider.get(), server, dns);
  }

  /** The node addresses a group can have here: 127.0.0.2 to 127.0.0.9. */
  @Override
  protected int maxBackends() {
    return 8;
  }

  /** The load balancer's nodes: one port (the listener's), each on an address of its own from 127.0.0.2. */
  @Override
  protected List<LoopbackBackend> startBackends(List<String> names) throws Exception {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      addresses.add("127.0.0." + (2 + i));
    }
    return ListenerTargetTestBase.startNodes(vertx(), names, addresses, null);
  }

  @Override
  protected Integration integration(List<LoopbackBackend> backends) {
    return listener(backends.get(0).port(), backends.stream().map(LoopbackBackend::host).toArray(String[]::new));
  }

  @Override
  protected Integration refusingIntegration() throws Exception {
    return listener(closedPort(), "127.0.0.2");
  }

  /** A plain listener (HTTP or TCP) on the port of a new load balancer whose name resolves to the addresses. */
  private Integration listener(int port, String... addresses) {
    String listener = ListenerTargetTestBase.listener(moto, dns, "conformance-" + ++balancers, type,
        type == LoadBalancerTypeEnum.NETWORK ? ProtocolEnum.TCP : ProtocolEnum.HTTP, port, addresses);
    return Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1").uri(listener)
        .targetOptions(options()).build();
  }
}
