package dev.gatelink.alb;

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
 * The target provider of Application Load Balancer listeners, found with {@code ServiceLoader}.
 *
 * <p>What it claims (the claim rule it shares with {@code NlbTargetProvider} of gatelink-nlb, so that exactly one
 * of them claims a listener ARN, whichever the gateway asks first; {@link ElbListenerTargetProvider}): an
 * Elastic Load Balancing listener ARN whose integration has {@link AlbOptions}, whatever the ARN says; or, with
 * options written in a file or none, a listener ARN whose type segment is not {@code net}
 * ({@code listener/app/...}, and ARNs that are not well formed, which it refuses naming what is wrong). It declines
 * {@code NlbOptions} and any other provider's typed options, and {@code listener/net/...} ARNs without typed
 * options.
 *
 * <p>The listener's load balancer type comes from {@code DescribeLoadBalancers}, never from the ARN (moto writes
 * {@code app} in every ARN): a network load balancer's listener is served too, as spec 2.4's table says (a TCP
 * listener passes TLS through to the targets, a TLS listener ends it), and a gateway load balancer's fails the
 * start. {@link AlbOptions#inProcessRules() In-process rules} apply to an application load balancer's listener
 * only: on a network load balancer's they fail the start, naming {@code NlbOptions.inProcessTargets}.
 *
 * <p>Registered in code ({@code Gateway.Builder.targetProvider}) it takes typed settings: {@link AwsOptions} for
 * the ELBv2 calls (endpoint override, credentials; a listener ARN's own region always applies), the
 * {@link DnsSettings} the load balancer's name is resolved with, the listener's {@link RefreshSettings}, and
 * the {@link OutlierSettings} of passive ejection. Each integration's {@link AlbOptions} can set a role (a
 * listener in another account), load balancing, in-process rules and trusted certificates.
 */
public final class AlbTargetProvider extends ElbListenerTargetProvider<AlbOptions> {
  /** Used by {@code ServiceLoader}: the SDK's chains, Vert.x's name servers, the default timing. */
  public AlbTargetProvider() {
    this(builder());
  }

  private AlbTargetProvider(Builder builder) {
    super(builder, LoadBalancerTypeEnum.APPLICATION, AlbOptions.class, AlbOptions::of, "ALB listener");
  }

  /** {@return a builder of a provider to register in code with {@code Gateway.Builder.targetProvider}} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected @Nullable InProcessRouting inProcessRouting(AlbOptions options, InProcessRouting.Setup setup) {
    return options.inProcessRules() ? new InProcessRules(setup) : null;
  }

  /**
   * Builds an {@link AlbTargetProvider}: {@code aws}, {@code dns}, {@code refresh} and {@code outliers}, each
   * described on {@link ElbListenerTargetProvider.Builder}; by default the SDK's chains, Vert.x's name servers,
   * listeners described every 60 s ({@link ElbListeners#REFRESH}) and the default ejection.
   */
  public static final class Builder extends ElbListenerTargetProvider.Builder<Builder, AlbTargetProvider> {
    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    public AlbTargetProvider build() {
      return new AlbTargetProvider(this);
    }
  }
}
