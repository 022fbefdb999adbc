/**
 * Application Load Balancer targets (not built yet).
 *
 * <p>This module will turn an API Gateway private integration whose {@code integrationUri} is an ALB
 * listener ARN ({@code arn:aws:elasticloadbalancing:...:listener/app/...}) into a Gatelink target: it
 * looks the listener up through the ELBv2 API, dials the listener's protocol (HTTP, or HTTPS with
 * {@code tlsConfig.serverNameToVerify}), and plugs into the core target SPI.
 */
@NullMarked
package dev.gatelink.alb;

import org.jspecify.annotations.NullMarked;
