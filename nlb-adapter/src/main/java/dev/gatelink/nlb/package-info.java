/**
 * Network Load Balancer listener targets: an API Gateway private integration whose {@code integrationUri} is an
 * NLB listener ARN ({@code arn:aws:elasticloadbalancing:...:listener/net/...}), served as spec 2.4 says (a TCP
 * listener gets plain HTTP, or TLS end to end to the targets with {@code tlsConfig}; a TLS listener ends TLS at the
 * load balancer), or, with {@link dev.gatelink.nlb.NlbOptions#inProcessTargets() in-process targets}, straight to
 * the healthy targets of the listener's target groups. The TLS-passthrough listener is
 * {@link dev.gatelink.nlb.passthrough}.
 *
 * <p>Starting points: {@link dev.gatelink.nlb.NlbTargetProvider} (found with {@code ServiceLoader}; what it claims
 * against gatelink-alb's provider is written there) and {@link dev.gatelink.nlb.NlbOptions}.
 */
@NullMarked
package dev.gatelink.nlb;

import org.jspecify.annotations.NullMarked;
