package dev.gatelink.alb;

import dev.gatelink.testing.targets.ListenerTargetConformance;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * ALB listener targets pass the conformance suite: each integration is an HTTP listener of an application load
 * balancer of its own in moto, whose DNS name a loopback DNS server resolves to its group of backends, the load
 * balancer's nodes: one port, on 127.0.0.2, 127.0.0.3, ... ({@link ListenerTargetConformance}). The integrations
 * have no typed options: the ALB provider claims moto's {@code listener/app/} ARNs by their type segment.
 */
class AlbTargetConformanceTest extends ListenerTargetConformance {
  AlbTargetConformanceTest() {
    super(LoadBalancerTypeEnum.APPLICATION, AlbTargetProvider::builder);
  }
}
