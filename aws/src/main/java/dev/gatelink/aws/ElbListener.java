package dev.gatelink.aws;

import java.util.Objects;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * What a listener ARN resolves to: where its load balancer answers (its DNS name and the listener's port), in
 * which protocol, and what kind of load balancer it is (from {@code DescribeLoadBalancers}, never from the ARN).
 *
 * @param listenerArn the listener's ARN
 * @param loadBalancerArn its load balancer's ARN
 * @param type application, network or gateway
 * @param scheme {@code internal} or {@code internet-facing}
 * @param dnsName the load balancer's DNS name
 * @param port the listener's port
 * @param protocol the listener's protocol: HTTP or HTTPS for an ALB, TCP, TLS, UDP or TCP_UDP for an NLB
 */
public record ElbListener(String listenerArn, String loadBalancerArn, LoadBalancerTypeEnum type, String scheme,
    String dnsName, int port, ProtocolEnum protocol) {
  /**
   * Checks the fields are present.
   *
   * @param listenerArn the listener's ARN
   * @param loadBalancerArn its load balancer's ARN
   * @param type the load balancer's type
   * @param scheme its scheme
   * @param dnsName its DNS name
   * @param port the listener's port
   * @param protocol the listener's protocol
   */
  public ElbListener {
    Objects.requireNonNull(listenerArn, "listenerArn");
    Objects.requireNonNull(loadBalancerArn, "loadBalancerArn");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(dnsName, "dnsName");
    Objects.requireNonNull(protocol, "protocol");
  }

  /** {@return whether the listener speaks TLS to its clients (HTTPS or TLS)} */
  public boolean tls() {
    return protocol == ProtocolEnum.HTTPS || protocol == ProtocolEnum.TLS;
  }

  @Override
  public String toString() {
    return protocol + " listener on port " + port + " of " + type + " load balancer " + dnsName;
  }
}
