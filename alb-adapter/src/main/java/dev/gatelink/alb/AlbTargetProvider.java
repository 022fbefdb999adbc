package dev.gatelink.alb;

import dev.gatelink.aws.AwsClients;
import dev.gatelink.aws.AwsOptions;
import dev.gatelink.aws.ElbListenerArn;
import dev.gatelink.aws.ElbListenerTarget;
import dev.gatelink.aws.ElbListeners;
import dev.gatelink.target.DnsSettings;
import dev.gatelink.target.OutlierDetector;
import dev.gatelink.target.OutlierSettings;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;

/**
 * The target provider of Application Load Balancer listeners, found with {@code ServiceLoader}: claims
 * Elastic Load Balancing listener ARNs. A listener whose load balancer turns out (from
 * {@code DescribeLoadBalancers}, never from the ARN) not to be an application load balancer fails the start.
 *
 * <p>Registered in code ({@code Gateway.Builder.targetProvider}) it takes typed settings: {@link AwsOptions} for
 * the ELBv2 calls (endpoint override, credentials; a listener ARN's own region always applies), the
 * {@link DnsSettings} the load balancer's name is resolved with, the listener's {@link RefreshSettings}, and
 * the {@link OutlierSettings} of passive ejection. Each integration's {@link AlbOptions} can set a role (a
 * listener in another account), load balancing, in-process rules and trusted certificates.
 */
public final class AlbTargetProvider implements TargetProvider {
  private static final System.Logger LOG = System.getLogger(AlbTargetProvider.class.getName());
  private final AwsOptions aws;
  private final DnsSettings dns;
  private final RefreshSettings refresh;
  private final OutlierSettings outliers;

  /** Used by {@code ServiceLoader}: the SDK's chains, Vert.x's name servers, the default timing. */
  public AlbTargetProvider() {
    this(builder());
  }

  private AlbTargetProvider(Builder builder) {
    this.aws = builder.aws;
    this.dns = builder.dns;
    this.refresh = builder.refresh;
    this.outliers = builder.outliers;
  }

  /** {@return a builder of a provider to register in code with {@code Gateway.Builder.targetProvider}} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "alb";
  }

  @Override
  public String accepts() {
    return "Application Load Balancer listener ARNs";
  }

  @Override
  public @Nullable Target create(TargetSpec spec, TargetContext context) {
    if (!ElbListenerArn.claims(spec.uri())) {
      return null;
    }
    ElbListenerArn arn = ElbListenerArn.parse(spec.uri());
    AlbOptions options = AlbOptions.of(spec.options());
    if (options.region() != null && !options.region().equals(arn.region())) {
      throw new TargetOptionException(AlbOptions.REGION, "region '" + options.region() + "' is not the region of "
          + "the listener ARN, '" + arn.region() + "': expected no region option, or '" + arn.region() + "'");
    }
    AwsOptions callWith = aws.overriddenBy(options.aws()).toBuilder().region(arn.region()).build();
    RefreshSettings timing = options.refreshInterval() == null ? refresh
        : refresh.toBuilder().refreshInterval(options.refreshInterval()).maxAge(options.refreshInterval()).build();
    ElbListeners listeners = ElbListeners.create(context.vertx(), callWith);
    OutlierDetector detector = new OutlierDetector(outliers, System::nanoTime);
    InProcessRules rules = null;
    // The rules read the listener's port and protocol from the target, made next.
    AtomicReference<@Nullable ElbListenerTarget> target = new AtomicReference<>();
    if (options.inProcessRules()) {
      AwsClients.Lease<Ec2AsyncClient> ec2 = AwsClients.acquire(context.vertx(), callWith, "EC2",
          Ec2AsyncClient::builder);
      rules = new InProcessRules(context.vertx(), arn.arn(), listeners.elb(), ec2, () -> {
        ElbListenerTarget made = target.get();
        return made == null ? null : made.listener();
      }, timing, detector, failure -> LOG.log(System.Logger.Level.WARNING, failure));
    }
    ElbListenerTarget made = new ElbListenerTarget(context, "ALB listener", arn, spec, options.loadBalancing(),
        options.trust(), listeners, timing, dns, detector, rules);
    target.set(made);
    return made;
  }

  /** Builds an {@link AlbTargetProvider}. */
  public static final class Builder {
    private AwsOptions aws = AwsOptions.defaults();
    private DnsSettings dns = DnsSettings.builder().build();
    private RefreshSettings refresh = ElbListeners.REFRESH;
    private OutlierSettings outliers = OutlierSettings.builder().build();

    private Builder() {}

    /**
     * Sets how ELBv2 (and STS) are called: endpoint override, credentials, client configuration; an
     * integration's role goes over them, and a listener ARN's region always applies.
     *
     * @param aws the options
     * @return this builder
     */
    public Builder aws(AwsOptions aws) {
      this.aws = Objects.requireNonNull(aws, "aws");
      return this;
    }

    /**
     * Sets how the load balancers' DNS names are resolved.
     *
     * @param dns the settings
     * @return this builder
     */
    public Builder dns(DnsSettings dns) {
      this.dns = Objects.requireNonNull(dns, "dns");
      return this;
    }

    /**
     * Sets how often listeners are described again (default every 60 s; the last good description stays while
     * ELBv2 fails).
     *
     * @param refresh the timing
     * @return this builder
     */
    public Builder refresh(RefreshSettings refresh) {
      this.refresh = Objects.requireNonNull(refresh, "refresh");
      return this;
    }

    /**
     * Sets when an address (or, with in-process rules, a target) is ejected after connection failures.
     *
     * @param outliers the settings
     * @return this builder
     */
    public Builder outliers(OutlierSettings outliers) {
      this.outliers = Objects.requireNonNull(outliers, "outliers");
      return this;
    }

    /** {@return the provider} */
    public AlbTargetProvider build() {
      return new AlbTargetProvider(this);
    }
  }
}
