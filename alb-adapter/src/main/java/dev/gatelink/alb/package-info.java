/**
 * Application Load Balancer listener targets: an API Gateway private integration whose {@code integrationUri} is
 * a load balancer listener ARN, served as API Gateway serves it (the listener resolved through ELBv2, its load
 * balancer's name through DNS, HTTP or HTTPS as the integration's {@code tlsConfig} says), or, with
 * {@link dev.gatelink.alb.AlbOptions#inProcessRules() in-process rules}, the listener's rules applied by Gatelink.
 *
 * <p>Starting points: {@link dev.gatelink.alb.AlbTargetProvider} (found with {@code ServiceLoader}; what it claims
 * against gatelink-nlb's provider is written there) and {@link dev.gatelink.alb.AlbOptions}.
 */
@NullMarked
package dev.gatelink.alb;

import org.jspecify.annotations.NullMarked;
