package dev.gatelink.aws;

import dev.gatelink.target.DnsSettings;
import dev.gatelink.target.OutlierDetector;
import dev.gatelink.target.OutlierSettings;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetOptions;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.target.WrittenTargetOptions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * What the ALB and NLB providers share ({@code AlbTargetProvider}, {@code NlbTargetProvider}): their settings
 * (AWS, DNS, refresh, outlier ejection), the rule that decides which of them claims a listener ARN, and the making
 * of an {@link ElbListenerTarget} with the integration's options and, if they ask for it, its in-process routing.
 *
 * <p><b>The claim rule.</b> Both providers may be on the classpath, and the gateway asks them in an order that
 * should not matter ({@code ServiceLoader}'s is not defined), so exactly one of them claims a listener ARN
 * ({@code arn:...:elasticloadbalancing:...:listener/...}):
 * <ol>
 *   <li>typed options decide first: {@code AlbOptions} are claimed by the ALB provider only, {@code NlbOptions} by
 *       the NLB provider only, whatever the ARN says; another provider's typed options by neither;</li>
 *   <li>otherwise (options written in a file, or none) the ARN's type segment decides: {@code listener/net/...}
 *       is the NLB provider's, any other ({@code listener/app/...}, and ARNs that are not well formed, which it
 *       refuses naming what is wrong) the ALB provider's.</li>
 * </ol>
 * The target then takes the load balancer's real type from {@code DescribeLoadBalancers} and serves either type's
 * listener as spec 2.4 says, so an NLB listener whose ARN reads {@code app} (moto writes {@code app} in every
 * ARN) works through the ALB provider from a file; only in-process routing is bound to a type, and fails the
 * target's start on a listener of the other type, naming what to use instead.
 *
 * @param <O> the provider's typed options
 */
public abstract class ElbListenerTargetProvider<O extends ElbListenerOptions> implements TargetProvider {
  private final System.Logger log = System.getLogger(getClass().getName());
  private final AwsOptions aws;
  private final DnsSettings dns;
  private final RefreshSettings refresh;
  private final OutlierSettings outliers;
  private final LoadBalancerTypeEnum type;
  private final Class<O> optionsType;
  private final Function<TargetOptions, O> options;
  private final String kind;

  /**
   * A provider with the settings of its builder.
   *
   * @param builder the builder
   * @param type the load balancer type the provider is for: {@code APPLICATION} or {@code NETWORK}
   * @param optionsType its typed options
   * @param options reads an integration's options, the provider's own type or {@link WrittenTargetOptions}, into
   *     its type, throwing a {@link TargetOptionException} naming a written option that is unknown or not valid
   * @param kind what its targets call themselves in messages, such as {@code ALB listener}
   */
  protected ElbListenerTargetProvider(Builder<?, ?> builder, LoadBalancerTypeEnum type, Class<O> optionsType,
      Function<TargetOptions, O> options, String kind) {
    if (type != LoadBalancerTypeEnum.APPLICATION && type != LoadBalancerTypeEnum.NETWORK) {
      throw new IllegalArgumentException("type " + type + ": expected application or network");
    }
    this.aws = builder.aws;
    this.dns = builder.dns;
    this.refresh = builder.refresh;
    this.outliers = builder.outliers;
    this.type = type;
    this.optionsType = Objects.requireNonNull(optionsType, "optionsType");
    this.options = Objects.requireNonNull(options, "options");
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** {@return {@code alb} or {@code nlb}, by the type of load balancer the provider is for} */
  @Override
  public final String name() {
    return type == LoadBalancerTypeEnum.NETWORK ? "nlb" : "alb";
  }

  /** {@return exactly what the provider claims, by the claim rule above} */
  @Override
  public final String accepts() {
    return "load balancer listener ARNs with " + optionsType.getSimpleName() + "; with options from a file or none, "
        + (type == LoadBalancerTypeEnum.NETWORK ? "listener/net/ ARNs" : "listener ARNs other than listener/net/");
  }

  /**
   * {@return whether this provider claims the integration, by the claim rule above}
   *
   * @param spec the integration
   */
  public final boolean claims(TargetSpec spec) {
    if (!ElbListenerArn.claims(spec.uri())) {
      return false;
    }
    TargetOptions options = spec.options();
    if (optionsType.isInstance(options)) {
      return true;
    }
    if (!(options instanceof WrittenTargetOptions)) {
      return false;
    }
    boolean network = "net".equals(ElbListenerArn.typeSegment(spec.uri()));
    return network == (type == LoadBalancerTypeEnum.NETWORK);
  }

  /**
   * The in-process routing the options ask for, if any.
   *
   * @param options the integration's options
   * @param setup what the routing is made with
   * @return the routing, or null when requests go to the load balancer
   */
  protected abstract @Nullable InProcessRouting inProcessRouting(O options, InProcessRouting.Setup setup);

  @Override
  public final @Nullable Target create(TargetSpec spec, TargetContext context) {
    if (!claims(spec)) {
      return null;
    }
    ElbListenerArn arn = ElbListenerArn.parse(spec.uri());
    O options = this.options.apply(spec.options());
    if (options.region() != null && !options.region().equals(arn.region())) {
      throw new TargetOptionException(ElbListenerOptions.REGION, "region '" + options.region() + "' is not the "
          + "region of the listener ARN, '" + arn.region() + "': expected no region option, or '" + arn.region()
          + "'");
    }
    AwsOptions callWith = aws.overriddenBy(options.aws()).toBuilder().region(arn.region()).build();
    RefreshSettings timing = options.refreshInterval() == null ? refresh
        : refresh.toBuilder().refreshInterval(options.refreshInterval()).maxAge(options.refreshInterval()).build();
    ElbListeners listeners = ElbListeners.create(context.vertx(), callWith);
    OutlierDetector detector = new OutlierDetector(outliers, System::nanoTime);
    // In-process routing reads the listener's port and protocol from the target, made next.
    AtomicReference<@Nullable ElbListenerTarget> target = new AtomicReference<>();
    InProcessRouting routing = inProcessRouting(options, new InProcessRouting.Setup(context.vertx(), arn.arn(),
        listeners.elb(), () -> {
          ElbListenerTarget made = target.get();
          return made == null ? null : made.listener();
        }, timing, detector, options.loadBalancing(), failure -> log.log(System.Logger.Level.WARNING, failure),
        () -> AwsClients.acquire(context.vertx(), callWith, "EC2", Ec2AsyncClient::builder)));
    ElbListenerTarget made = new ElbListenerTarget(context, kind, arn, spec, options.loadBalancing(),
        options.trust(), listeners, timing, dns, detector, routing);
    target.set(made);
    return made;
  }

  /**
   * Builds a listener provider: the settings both providers take.
   *
   * @param <B> the provider's builder
   * @param <P> the provider
   */
  public abstract static class Builder<B extends Builder<B, P>, P extends ElbListenerTargetProvider<?>> {
    private AwsOptions aws = AwsOptions.defaults();
    private DnsSettings dns = DnsSettings.builder().build();
    private RefreshSettings refresh = ElbListeners.REFRESH;
    private OutlierSettings outliers = OutlierSettings.builder().build();

    /** A builder with the defaults: the SDK's chains, Vert.x's name servers, the default timing. */
    protected Builder() {}

    /** {@return this builder, as the provider's builder type} */
    protected abstract B self();

    /**
     * Sets how ELBv2 (and STS, and EC2) are called: endpoint override, credentials, client configuration; an
     * integration's role goes over them, and a listener ARN's region always applies.
     *
     * @param aws the options
     * @return this builder
     */
    public B aws(AwsOptions aws) {
      this.aws = Objects.requireNonNull(aws, "aws");
      return self();
    }

    /**
     * Sets how the load balancers' DNS names are resolved.
     *
     * @param dns the settings
     * @return this builder
     */
    public B dns(DnsSettings dns) {
      this.dns = Objects.requireNonNull(dns, "dns");
      return self();
    }

    /**
     * Sets how often listeners (and what in-process routing reads) are described again (default every 60 s; the
     * last good description stays while ELBv2 fails).
     *
     * @param refresh the timing
     * @return this builder
     */
    public B refresh(RefreshSettings refresh) {
      this.refresh = Objects.requireNonNull(refresh, "refresh");
      return self();
    }

    /**
     * Sets when an address (or, with in-process routing, a target) is ejected after connection failures.
     *
     * @param outliers the settings
     * @return this builder
     */
    public B outliers(OutlierSettings outliers) {
      this.outliers = Objects.requireNonNull(outliers, "outliers");
      return self();
    }

    /** {@return the provider} */
    public abstract P build();
  }
}
