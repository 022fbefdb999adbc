/**
 * The AWS SDK wiring Gatelink's adapters share: {@link dev.gatelink.aws.AwsOptions} (region, endpoint,
 * credentials, assumed role), {@link dev.gatelink.aws.AwsClients} (clients shared per options and closed with
 * their last user), {@link dev.gatelink.aws.VertxSdkHttpClient} (the SDK's HTTP client on Vert.x) and
 * {@link dev.gatelink.aws.ElbListeners} (ELBv2 listeners resolved to their load balancer's name, port and
 * protocol, kept fresh).
 */
@NullMarked
package dev.gatelink.aws;

import org.jspecify.annotations.NullMarked;
