package dev.gatelink.alb;

import dev.gatelink.aws.ElbListenerOptions;
import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetOptions;

/**
 * The options of one ALB integration, where API Gateway has no field. In code, build them with
 * {@link #builder()} and pass them to {@code Integration.Builder.targetOptions} (typed options: only the ALB
 * provider claims the integration, whatever its ARN says); in an OpenAPI file, write them as the operation's
 * {@code x-gatelink-target}:
 *
 * <table>
 *   <caption>Target options of an ALB integration</caption>
 *   <tr><th>option</th><th>values</th><th>default</th></tr>
 *   <tr><td>{@code region}</td><td>must be the listener ARN's region when given (the ARN says where the load
 *       balancer is)</td><td>the ARN's</td></tr>
 *   <tr><td>{@code roleArn}, {@code externalId}, {@code roleSessionName}</td><td>a role to assume with STS for
 *       this integration's ELBv2 calls (a listener in another account)</td><td>none; session
 *       {@code gatelink}</td></tr>
 *   <tr><td>{@code loadBalancing}</td><td>how requests spread over the load balancer's addresses:
 *       {@code round_robin}, {@code least_outstanding_requests}, {@code weighted_random}</td>
 *       <td>{@code round_robin}</td></tr>
 *   <tr><td>{@code inProcessRules}</td><td>{@code true}: read the listener's rules, target groups and target
 *       health, and send each request straight to a healthy target, as the load balancer would (an application
 *       load balancer's listener only)</td><td>{@code false}</td></tr>
 *   <tr><td>{@code trustedCertificates}</td><td>PEM files of the CAs that sign the listener's (or the
 *       targets') certificates, comma-separated, instead of the gateway's trust</td><td>the gateway's</td></tr>
 *   <tr><td>{@code refreshIntervalMillis}</td><td>how often the listener (and its rules) are described
 *       again</td><td>the provider's, 60,000</td></tr>
 * </table>
 *
 * <p>The options every listener integration has, their checks and their reading from a file are
 * {@link ElbListenerOptions}'s, shared with the NLB's. Immutable; equal when they set the same options.
 */
public final class AlbOptions extends ElbListenerOptions {
  static final String IN_PROCESS_RULES = "inProcessRules";

  private AlbOptions(Builder builder) {
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
   * {@return the options of an integration: these, or those written in a file read into the ALB's}
   *
   * @param options the integration's target options
   * @throws TargetOptionException naming the first option that is unknown or not valid
   * @throws IllegalArgumentException if they are another provider's typed options
   */
  static AlbOptions of(TargetOptions options) {
    return of(options, AlbOptions.class, AlbOptions::builder);
  }

  /** {@return whether the listener's rules are applied in process} */
  public boolean inProcessRules() {
    return flag(IN_PROCESS_RULES);
  }

  /** Builds {@link AlbOptions}; each setter checks its value, {@link #build()} the combination. */
  public static final class Builder extends ElbListenerOptions.Builder<Builder, AlbOptions> {
    private Builder() {
      super(IN_PROCESS_RULES);
    }

    private Builder(AlbOptions from) {
      super(from);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Applies the listener's rules in process (off by default): requests go straight to a healthy target of
     * the target group a rule picks, skipping the load balancer. For an application load balancer's listener
     * only; a network load balancer's has {@code NlbOptions.inProcessTargets} (gatelink-nlb).
     *
     * @param inProcessRules true to apply them
     * @return this builder
     */
    public Builder inProcessRules(boolean inProcessRules) {
      return flag(IN_PROCESS_RULES, inProcessRules);
    }

    @Override
    public AlbOptions build() {
      return new AlbOptions(this);
    }
  }
}
