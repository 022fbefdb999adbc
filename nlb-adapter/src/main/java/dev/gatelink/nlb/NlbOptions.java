package dev.gatelink.nlb;

import dev.gatelink.aws.ElbListenerOptions;
import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetOptions;

/**
 * The options of one NLB integration, where API Gateway has no field. In code, build them with
 * {@link #builder()} and pass them to {@code Integration.Builder.targetOptions} (typed options: only the NLB
 * provider claims the integration, whatever its ARN says); in an OpenAPI file, write them as the operation's
 * {@code x-gatelink-target} (options from a file go to the NLB provider when the ARN reads
 * {@code listener/net/}):
 *
 * <table>
 *   <caption>Target options of an NLB integration</caption>
 *   <tr><th>option</th><th>values</th><th>default</th></tr>
 *   <tr><td>{@code region}</td><td>must be the listener ARN's region when given (the ARN says where the load
 *       balancer is)</td><td>the ARN's</td></tr>
 *   <tr><td>{@code roleArn}, {@code externalId}, {@code roleSessionName}</td><td>a role to assume with STS for
 *       this integration's ELBv2 and EC2 calls (a listener in another account)</td><td>none; session
 *       {@code gatelink}</td></tr>
 *   <tr><td>{@code loadBalancing}</td><td>how requests spread over the load balancer's addresses, or with
 *       in-process targets over each target group's targets: {@code round_robin},
 *       {@code least_outstanding_requests}, {@code weighted_random}</td><td>{@code round_robin}</td></tr>
 *   <tr><td>{@code inProcessTargets}</td><td>{@code true}: read the listener's default forward, its target
 *       groups and their targets' health, and send each request straight to a healthy target, skipping the load
 *       balancer (a network load balancer's listener only)</td><td>{@code false}</td></tr>
 *   <tr><td>{@code trustedCertificates}</td><td>PEM files of the CAs that sign the certificates Gatelink
 *       verifies (the targets' through a TCP listener, the listener's own through a TLS listener),
 *       comma-separated, instead of the gateway's trust</td><td>the gateway's</td></tr>
 *   <tr><td>{@code refreshIntervalMillis}</td><td>how often the listener (and, with in-process targets, its
 *       target groups and their health) are described again</td><td>the provider's, 60,000</td></tr>
 * </table>
 *
 * <p>The options every listener integration has, their checks and their reading from a file are
 * {@link ElbListenerOptions}'s, shared with the ALB's. Immutable; equal when they set the same options.
 */
public final class NlbOptions extends ElbListenerOptions {
  static final String IN_PROCESS_TARGETS = "inProcessTargets";

  private NlbOptions(Builder builder) {
    super(builder);
  }

  /** {@return a builder with every option at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these options} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * {@return the options of an integration: these, or those written in a file read into the NLB's}
   *
   * @param options the integration's target options
   * @throws TargetOptionException naming the first option that is unknown or not valid
   * @throws IllegalArgumentException if they are another provider's typed options
   */
  static NlbOptions of(TargetOptions options) {
    return of(options, NlbOptions.class, NlbOptions::builder);
  }

  /** {@return whether requests go straight to the listener's target groups' healthy targets} */
  public boolean inProcessTargets() {
    return flag(IN_PROCESS_TARGETS);
  }

  /** Builds {@link NlbOptions}; each setter checks its value, {@link #build()} the combination. */
  public static final class Builder extends ElbListenerOptions.Builder<Builder, NlbOptions> {
    private Builder() {
      super(IN_PROCESS_TARGETS);
    }

    private Builder(NlbOptions from) {
      super(from);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Sends requests straight to the targets (off by default): the healthy targets of the target group the
     * listener's default action forwards to (by weight, when it forwards to several), skipping the load balancer
     * hop. For a network load balancer's listener only; an application load balancer's has
     * {@code AlbOptions.inProcessRules} (gatelink-alb).
     *
     * @param inProcessTargets true to send requests to the targets
     * @return this builder
     */
    public Builder inProcessTargets(boolean inProcessTargets) {
      return flag(IN_PROCESS_TARGETS, inProcessTargets);
    }

    @Override
    public NlbOptions build() {
      return new NlbOptions(this);
    }
  }
}
