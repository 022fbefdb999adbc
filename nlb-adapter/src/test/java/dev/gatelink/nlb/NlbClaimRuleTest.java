package dev.gatelink.nlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.target.TargetOptions;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.target.WrittenTargetOptions;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.targets.ListenerTargetTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * What the NLB provider claims, the half of the claim rule it shares with the ALB provider (the ALB's half is
 * gatelink-alb's {@code AlbClaimRuleTest}): typed options decide first, then the ARN's type segment; and what its
 * in-process targets say on a listener of the other type. The gateway here asks the provider registered in code,
 * then the one {@code ServiceLoader} finds (the same class), then the URL provider.
 */
class NlbClaimRuleTest extends ListenerTargetTestBase {
  private static final String PREFIX = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/";
  private static final String ACCEPTS = "load balancer listener ARNs with NlbOptions; with options from a file or "
      + "none, listener/net/ ARNs";

  NlbClaimRuleTest() {
    super(LoadBalancerTypeEnum.NETWORK, NlbTargetProvider::builder);
  }

  /** Another provider's typed options (a Cloud Map integration's, say). */
  private record OtherOptions() implements TargetOptions {
    @Override
    public Map<String, String> asMap() {
      return Map.of();
    }
  }

  private static TargetOptions options(String kind) {
    return switch (kind) {
      case "typed" -> NlbOptions.builder().build();
      case "file" -> WrittenTargetOptions.of(Map.of("inProcessTargets", "true"));
      case "none" -> TargetOptions.none();
      case "other" -> new OtherOptions();
      default -> throw new IllegalArgumentException(kind);
    };
  }

  @ParameterizedTest(name = "{0} with {1} options: claimed {2}")
  @CsvSource(delimiter = '|', textBlock = """
      net/orders/50dc6c495c0c9188/0467ef3c8400ae65 | typed | true
      app/orders/50dc6c495c0c9188/0467ef3c8400ae65 | typed | true
      gwy/orders/50dc6c495c0c9188/0467ef3c8400ae65 | typed | true
      net/orders/50dc6c495c0c9188/0467ef3c8400ae65 | file  | true
      net/orders/50dc6c495c0c9188/0467ef3c8400ae65 | none  | true
      net/orders                                   | none  | true
      app/orders/50dc6c495c0c9188/0467ef3c8400ae65 | file  | false
      app/orders/50dc6c495c0c9188/0467ef3c8400ae65 | none  | false
      gwy/orders/50dc6c495c0c9188/0467ef3c8400ae65 | none  | false
      orders                                       | none  | false
      net/orders/50dc6c495c0c9188/0467ef3c8400ae65 | other | false
      """)
  void typedOptionsDecideFirstThenTheArnsTypeSegment(String listener, String kind, boolean claimed) {
    TargetSpec spec = new TargetSpec(PREFIX + listener, true, "vpclink-1", null, options(kind));

    assertThat(NlbTargetProvider.builder().build().claims(spec)).isEqualTo(claimed);
  }

  @Test
  void otherUrisAreNeverClaimed() {
    NlbTargetProvider provider = NlbTargetProvider.builder().build();

    assertThat(provider.claims(new TargetSpec("arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1", true,
        "vpclink-1", null, NlbOptions.builder().build()))).isFalse();
    assertThat(provider.claims(new TargetSpec("http://orders.internal/", false, null, null))).isFalse();
    assertThat(provider.name()).isEqualTo("nlb");
    assertThat(provider.accepts()).isEqualTo(ACCEPTS);
  }

  @Test
  void aNetArnWithOptionsFromAFileIsTheNlbProvidersWhichReadsThem(MotoServer server) {
    String arn = PREFIX + "net/orders/50dc6c495c0c9188/0467ef3c8400ae65";

    assertThatThrownBy(() -> startGateway(server, integration(arn, null, WrittenTargetOptions.of(Map.of(
        "inProcessTargets", "true", "loadBalancing", "least_outstanding_requests")))))
        .hasMessage("NLB listener " + arn + " cannot be resolved: listener " + arn + " was not found: expected the "
            + "ARN of an existing listener, in the region and account of its ARN (aws elbv2 describe-listeners "
            + "--listener-arns ...)");
  }

  @Test
  void anAppArnWithoutTypedOptionsIsLeftToTheAlbProvider(MotoServer server) {
    LoadBalancer balancer = moto.loadBalancer("orders", LoadBalancerTypeEnum.NETWORK);
    String arn = moto.listener(balancer, ProtocolEnum.TCP, 80, moto.targetGroup("orders", 80));

    assertThat(arn).startsWith(PREFIX + "app/");
    assertThatThrownBy(() -> startGateway(server, integration(arn, null, TargetOptions.none())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage '$default', route 'ANY /{proxy+}': integration uri '" + arn + "' is not claimed by any "
            + "target provider: asked nlb (" + ACCEPTS + "); nlb (" + ACCEPTS + "); url (http:// and https:// URLs)");
  }

  @Test
  void anotherProvidersTypedOptionsAreNotClaimed(MotoServer server) {
    String arn = PREFIX + "net/orders/50dc6c495c0c9188/0467ef3c8400ae65";

    assertThatThrownBy(() -> startGateway(server, integration(arn, null, new OtherOptions())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage '$default', route 'ANY /{proxy+}': integration uri '" + arn + "' is not claimed by any "
            + "target provider: asked nlb (" + ACCEPTS + "); nlb (" + ACCEPTS + "); url (http:// and https:// URLs)");
  }

  @Test
  void inProcessTargetsOnAnApplicationLoadBalancersListenerFailTheStartNamingWhatToUse(MotoServer server) {
    LoadBalancer application = moto.loadBalancer("orders-app", LoadBalancerTypeEnum.APPLICATION);
    String listener = moto.listener(application, ProtocolEnum.HTTP, 8080, moto.targetGroup("orders", 8080));

    assertThatThrownBy(() -> startGateway(server, integration(listener, null,
        NlbOptions.builder().inProcessTargets(true).build())))
        .hasMessage("NLB listener " + listener + " belongs to an application load balancer ("
            + application.dnsName() + "), but in-process targets apply to a network load balancer's listener only: "
            + "for an application load balancer's listener use AlbOptions.inProcessRules (gatelink-alb), or no "
            + "in-process routing");
  }

  @Test
  void anApplicationLoadBalancersListenerWithoutInProcessTargetsIsServed(MotoServer server) throws Exception {
    String listener = listener(moto, dns, "orders-app", LoadBalancerTypeEnum.APPLICATION, ProtocolEnum.HTTP,
        nodes(null, "127.0.0.2"), "127.0.0.2");
    startGateway(server, integration(listener, null, NlbOptions.builder().build()));

    assertThat(get("/orders/1").body()).isEqualTo("node-a GET /orders/1");
    assertThat(warnings).isEmpty();
  }
}
