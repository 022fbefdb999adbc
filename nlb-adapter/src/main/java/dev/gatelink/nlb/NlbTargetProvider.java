package dev.gatelink.nlb;

import dev.gatelink.aws.AwsOptions;
import dev.gatelink.aws.ElbListenerTargetProvider;
import dev.gatelink.aws.ElbListeners;
import dev.gatelink.aws.InProcessRouting;
import dev.gatelink.target.DnsSettings;
import dev.gatelink.target.OutlierSettings;
import dev.gatelink.target.RefreshSettings;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * The target provider of Network Load Balancer listeners, found with {@code ServiceLoader}.
 *
 * <p>What it claims (the claim rule it shares with {@code AlbTargetProvider} of gatelink-alb, so that exactly one
 * of them claims a listener ARN, whichever the gateway asks first; {@link ElbListenerTargetProvider}): an
 * Elastic Load Balancing listener ARN whose integration has {@link NlbOptions}, whatever the ARN says; or, with
 * options written in a file or none, a {@code listener/net/...} ARN. It declines {@code AlbOptions} and any other
 * provider's typed options, and every other listener ARN without typed options (those are the ALB provider's).
 *
 * <p>The listener's load balancer type comes from {@code DescribeLoadBalancers}, never from the ARN (moto writes
 * {@code app} in every ARN), and requests follow spec 2.4's table: a TCP listener gets plain HTTP without
 * {@code tlsConfig}, TLS end to end to the targets with it (their certificate must match
 * {@code serverNameToVerify}); a TLS listener gets TLS ended at the load balancer with {@code tlsConfig}, and
 * without it fails as API Gateway's would (logged once, saying what to change). An application load balancer's
 * listener is served too (HTTP, HTTPS); a gateway load balancer's fails the start.
 * {@link NlbOptions#inProcessTargets() In-process targets} apply to a network load balancer's listener only: on an
 * application load balancer's they fail the start, naming {@code AlbOptions.inProcessRules}.
 *
 * <p>Registered in code ({@code Gateway.Builder.targetProvider}) it takes typed settings: {@link AwsOptions} for
 * the ELBv2 (and EC2) calls (endpoint override, credentials; a listener ARN's own region always applies), the
 * {@link DnsSettings} the load balancer's name is resolved with, the listener's {@link RefreshSettings}, and the
 * {@link OutlierSettings} of passive ejection:
 *
 * <pre>{@code
 * Gateway.builder(vertx, api)
 *     .targetProvider(NlbTargetProvider.builder()
 *         .aws(AwsOptions.builder().region("us-east-2").build())
 *         .dns(DnsSettings.builder().build())
 *         .build())
 *     .start();
 * }</pre>
 */
public final class NlbTargetProvider extends ElbListenerTargetProvider<NlbOptions> {
  /** Used by {@code ServiceLoader}: the SDK's chains, Vert.x's name servers, the default timing. */
  public NlbTargetProvider() {
    this(builder());
  }

  private NlbTargetProvider(Builder builder) {
    super(builder, LoadBalancerTypeEnum.NETWORK, NlbOptions.class, NlbOptions::of, "NLB listener");
  }

  /** {@return a builder of a provider to register in code with {@code Gateway.Builder.targetProvider}} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected @Nullable InProcessRouting inProcessRouting(NlbOptions options, InProcessRouting.Setup setup) {
    return options.inProcessTargets() ? new InProcessTargets(setup) : null;
  }

  /**
   * Builds an {@link NlbTargetProvider}: {@code aws}, {@code dns}, {@code refresh} and {@code outliers}, each
   * described on {@link ElbListenerTargetProvider.Builder}; by default the SDK's chains, Vert.x's name servers,
   * listeners described every 60 s ({@link ElbListeners#REFRESH}) and the default ejection.
   */
  public static final class Builder extends ElbListenerTargetProvider.Builder<Builder, NlbTargetProvider> {
    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    public NlbTargetProvider build() {
      return new NlbTargetProvider(this);
    }
  }
}
