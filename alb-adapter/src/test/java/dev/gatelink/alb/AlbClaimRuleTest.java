package dev.gatelink.alb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetOptions;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.target.WrittenTargetOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the ALB provider claims, the half of the claim rule it shares with gatelink-nlb's provider (whose half is
 * {@code NlbClaimRuleTest} there): {@link AlbOptions} whatever the ARN says; without typed options, every listener
 * ARN but {@code listener/net/} ones; never another provider's typed options ({@code NlbOptions}, say).
 */
class AlbClaimRuleTest {
  private static final String LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/%s/orders/"
      + "50dc6c495c0c9188/0467ef3c8400ae65";
  private final AlbTargetProvider provider = AlbTargetProvider.builder().build();

  /** Another provider's typed options, as {@code NlbOptions} are to this provider. */
  private record NlbLike() implements TargetOptions {
    @Override
    public Map<String, String> asMap() {
      return Map.of("inProcessTargets", "true");
    }
  }

  private boolean claims(String segment, TargetOptions options) {
    return provider.claims(new TargetSpec(String.format(LISTENER, segment), true, "vpclink-1", null, options));
  }

  @Test
  void albOptionsAreClaimedWhateverTheArnsTypeSegment() {
    for (String segment : List.of("app", "net", "gwy")) {
      assertThat(claims(segment, AlbOptions.builder().inProcessRules(true).build())).as(segment).isTrue();
    }
  }

  @Test
  void withoutTypedOptionsEveryListenerArnButANetOneIsClaimed() {
    TargetOptions file = WrittenTargetOptions.of(Map.of("inProcessRules", "true"));

    assertThat(claims("app", file)).isTrue();
    assertThat(claims("app", TargetOptions.none())).isTrue();
    assertThat(claims("gwy", TargetOptions.none())).isTrue();
    assertThat(provider.claims(new TargetSpec("arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/x",
        true, "vpclink-1", null))).as("a listener ARN that is not well formed, refused when created").isTrue();
    assertThat(claims("net", file)).isFalse();
    assertThat(claims("net", TargetOptions.none())).isFalse();
  }

  @Test
  void anotherProvidersTypedOptionsAreNeverClaimed() {
    assertThat(claims("net", new NlbLike())).isFalse();
    assertThat(claims("app", new NlbLike())).isFalse();
  }

  @Test
  void anNlbOptionWrittenForAnAppArnIsAnUnknownOptionOfTheAlbs() {
    assertThatThrownBy(() -> AlbOptions.of(WrittenTargetOptions.of(Map.of("inProcessTargets", "true"))))
        .isInstanceOf(TargetOptionException.class)
        .hasMessage("unknown target option 'inProcessTargets': expected region, roleArn, externalId, "
            + "roleSessionName, loadBalancing, inProcessRules, trustedCertificates or refreshIntervalMillis");
  }

  @Test
  void whatItAcceptsSaysExactlyThat() {
    assertThat(provider.name()).isEqualTo("alb");
    assertThat(provider.accepts()).isEqualTo("load balancer listener ARNs with AlbOptions; with options from a "
        + "file or none, listener ARNs other than listener/net/");
    assertThat(provider.claims(new TargetSpec("https://orders.internal", false, null, null))).isFalse();
  }
}
