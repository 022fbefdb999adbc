package dev.gatelink.cloudmap;

import dev.gatelink.aws.AwsClients;
import dev.gatelink.aws.AwsOptions;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.target.OutlierSettings;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.target.TlsPolicy;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * The target provider of Cloud Map services, found with {@code ServiceLoader}: claims service ARNs
 * ({@code arn:aws:servicediscovery:REGION:ACCOUNT:service/srv-ID[?key=value&...]}) and
 * {@code cloudmap://NAMESPACE/SERVICE[?key=value&...]}.
 *
 * <p>Registered in code ({@code Gateway.Builder.targetProvider}) it takes typed settings: {@link AwsOptions}
 * (region for {@code cloudmap://} uris, an endpoint override such as moto, credentials, client configuration;
 * a service ARN's own region always applies), the cache's {@link RefreshSettings} and the {@link OutlierSettings}
 * of passive ejection; loaded with {@code ServiceLoader} it uses the defaults and the SDK's chains. Each
 * integration's {@link CloudMapOptions} can set its health filter, optional parameters, load balancing, region,
 * assumed role, health reporting and cache timing.
 *
 * <p>Targets with the same region, endpoint and role share one Cloud Map client ({@link AwsClients}), closed
 * with the last target that uses it.
 */
public final class CloudMapTargetProvider implements TargetProvider {
  private static final System.Logger LOG = System.getLogger(CloudMapTargetProvider.class.getName());

  private final @Nullable ServiceDiscoveryAsyncClient client;
  private final AwsOptions aws;
  private final RefreshSettings refresh;
  private final OutlierSettings outliers;

  /** Used by {@code ServiceLoader}: the SDK's default chains, the default timing, clients built and shared. */
  public CloudMapTargetProvider() {
    this(builder());
  }

  private CloudMapTargetProvider(Builder builder) {
    this.client = builder.client;
    this.aws = builder.aws;
    this.refresh = builder.refresh;
    this.outliers = builder.outliers;
  }

  /** {@return a builder of a provider to register in code with {@code Gateway.Builder.targetProvider}} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A provider whose targets all call Cloud Map through the caller's client (its region, credentials,
   * endpoint, HTTP client and interceptors), registered in code with {@code Gateway.Builder.targetProvider}.
   * Integrations cannot then name a region or a role of their own, and closing a target leaves the client open.
   *
   * @param client the client; the caller closes it after the gateway
   * @return the provider
   */
  public static CloudMapTargetProvider withClient(ServiceDiscoveryAsyncClient client) {
    return builder().client(Objects.requireNonNull(client, "client")).build();
  }

  @Override
  public String name() {
    return "cloudmap";
  }

  @Override
  public String accepts() {
    return "Cloud Map service ARNs and cloudmap://NAMESPACE/SERVICE";
  }

  @Override
  public @Nullable Target create(TargetSpec spec, TargetContext context) {
    if (!CloudMapServiceUri.claims(spec.uri())) {
      return null;
    }
    CloudMapServiceUri uri;
    try {
      uri = CloudMapServiceUri.parse(spec.uri());
    } catch (InvalidConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    CloudMapOptions options = CloudMapOptions.of(spec.options());
    if (options.reportHealth() && uri.serviceId() == null) {
      throw new IllegalArgumentException("reportHealth needs the service's id, which a cloudmap:// uri does not "
          + "give: expected a service ARN");
    }
    if (client != null && options.ownClient()) {
      throw new IllegalArgumentException("region and roleArn need a client that Gatelink builds, but this provider "
          + "calls Cloud Map through the caller's own client (CloudMapTargetProvider.withClient): expected neither");
    }
    RefreshSettings timing = refresh;
    if (options.pollInterval() != null || options.maxAge() != null || options.maxStaleness() != null) {
      RefreshSettings.Builder own = refresh.toBuilder();
      if (options.pollInterval() != null) {
        own.refreshInterval(options.pollInterval());
      }
      if (options.maxAge() != null) {
        own.maxAge(options.maxAge());
      }
      if (options.maxStaleness() != null) {
        own.maxStaleness(options.maxStaleness());
      }
      timing = own.build();
    }
    TlsPolicy tls = TlsPolicy.ofNullable(spec.privateIntegration() ? spec.serverNameToVerify() : null);
    if (client != null) {
      return CloudMapTarget.of(context.vertx(), AwsClients.borrowed(context.vertx(), client), uri, options,
          timing, outliers, tls, LOG);
    }
    // A service ARN names the service's region: calls go there. An integration's region option may only repeat
    // it; the provider's region applies to the shorthand.
    if (uri.region() != null && options.region() != null && !uri.region().equals(options.region())) {
      throw new TargetOptionException("region", "region '" + options.region() + "' is not the region of the service ARN, '"
          + uri.region() + "': expected no region option, or '" + uri.region() + "'");
    }
    AwsOptions callWith = aws.overriddenBy(options.aws());
    if (uri.region() != null) {
      callWith = callWith.toBuilder().region(uri.region()).build();
    }
    AwsClients.Lease<ServiceDiscoveryAsyncClient> lease = AwsClients.acquire(context.vertx(), callWith, "Cloud Map",
        ServiceDiscoveryAsyncClient::builder);
    return CloudMapTarget.of(context.vertx(), lease, uri, options, timing, outliers, tls, LOG);
  }

  /** Builds a {@link CloudMapTargetProvider}. */
  public static final class Builder {
    private @Nullable ServiceDiscoveryAsyncClient client;
    private AwsOptions aws = AwsOptions.defaults();
    private boolean awsSet;
    private RefreshSettings refresh = DiscoveryCache.DEFAULTS;
    private OutlierSettings outliers = OutlierSettings.builder().build();

    private Builder() {}

    /**
     * Calls Cloud Map through the caller's client for every target (see {@link #withClient}).
     *
     * @param client the client, or null for clients built (and shared by integrations with the same region,
     *     endpoint and role) by Gatelink
     * @return this builder
     */
    public Builder client(@Nullable ServiceDiscoveryAsyncClient client) {
      this.client = client;
      return this;
    }

    /**
     * Sets how the clients Gatelink builds call AWS: region (for {@code cloudmap://} uris), endpoint override,
     * credentials, client configuration; an integration's region and role go over them.
     *
     * @param aws the options
     * @return this builder
     */
    public Builder aws(AwsOptions aws) {
      this.aws = Objects.requireNonNull(aws, "aws");
      this.awsSet = true;
      return this;
    }

    /**
     * Sets the discovery cache's timing (an integration's {@code pollIntervalMillis}, {@code maxAgeMillis} and
     * {@code maxStalenessMillis} go over it): by default a revision poll every 15 s, instances fetched again at
     * least every 90 s, the last good set served for 10 min while Cloud Map fails, backing off up to 2 min.
     *
     * @param refresh the timing
     * @return this builder
     */
    public Builder refresh(RefreshSettings refresh) {
      this.refresh = Objects.requireNonNull(refresh, "refresh");
      return this;
    }

    /**
     * Sets when an instance is ejected after connection failures, and for how long.
     *
     * @param outliers the settings
     * @return this builder
     */
    public Builder outliers(OutlierSettings outliers) {
      this.outliers = Objects.requireNonNull(outliers, "outliers");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @return the provider
     * @throws IllegalArgumentException if a client of the caller's own is given with AWS options, which that client
     *     would not use
     */
    public CloudMapTargetProvider build() {
      if (client != null && awsSet) {
        throw new IllegalArgumentException("a client of your own brings its own region, credentials and "
            + "configuration: expected client, or aws options, not both");
      }
      return new CloudMapTargetProvider(this);
    }
  }
}
