package dev.gatelink.nlb;

import dev.gatelink.target.TargetOptions;
import dev.gatelink.testing.targets.ListenerTargetConformance;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * NLB listener targets pass the conformance suite: each integration is a TCP listener of a network load balancer
 * of its own in moto, whose DNS name a loopback DNS server resolves to its group of backends, which stand for what
 * answers at the listener's port: one port, on 127.0.0.2, 127.0.0.3, ... ({@link ListenerTargetConformance}).
 * moto's ARNs read {@code app}, so the integrations carry {@link NlbOptions} (typed options decide which provider
 * claims: {@link NlbClaimRuleTest}).
 */
class NlbTargetConformanceTest extends ListenerTargetConformance {
  NlbTargetConformanceTest() {
    super(LoadBalancerTypeEnum.NETWORK, NlbTargetProvider::builder);
  }

  @Override
  protected TargetOptions options() {
    return NlbOptions.builder().build();
  }
}
