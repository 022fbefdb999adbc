/**
 * The AWS SDK wiring Gatelink's adapters share: {@link dev.gatelink.aws.AwsOptions} (region, endpoint,
 * credentials, assumed role), {@link dev.gatelink.aws.AwsClients} (clients shared per options and closed with
 * their last user), {@link dev.gatelink.aws.VertxSdkHttpClient} (the SDK's HTTP client on Vert.x),
 * {@link dev.gatelink.aws.ElbListeners} (ELBv2 listeners resolved to their load balancer's type, name, port and
 * protocol, kept fresh), and what the ALB and NLB adapters share: {@link dev.gatelink.aws.ElbListenerTarget} (a
 * listener as a target), {@link dev.gatelink.aws.ElbListenerTargetProvider} (their settings and claim rule),
 * {@link dev.gatelink.aws.ElbListenerOptions} (their options), {@link dev.gatelink.aws.InProcessRouting},
 * {@link dev.gatelink.aws.TargetGroups} and {@link dev.gatelink.aws.WeightedChoice} (routing to targets in
 * process).
 *
 * <p>Starting points: {@code ElbListenerTargetProvider} for a listener provider, {@code AwsOptions} for how AWS is
 * called.
 */
@NullMarked
package dev.gatelink.aws;

import org.jspecify.annotations.NullMarked;
