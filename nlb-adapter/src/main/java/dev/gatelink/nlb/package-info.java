/**
 * Network Load Balancer targets (not built yet).
 *
 * <p>This module will turn an API Gateway private integration whose {@code integrationUri} is an NLB
 * listener ARN ({@code arn:aws:elasticloadbalancing:...:listener/net/...}) into a Gatelink target: TCP
 * listeners with TLS passthrough to the registered targets, TLS listeners terminated at the listener,
 * and high-throughput connection pooling, plugged into the core target SPI.
 */
@NullMarked
package dev.gatelink.nlb;

import org.jspecify.annotations.NullMarked;
