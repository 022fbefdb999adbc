package dev.gatelink.cloudmap;

import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import dev.gatelink.config.InvalidConfigException;

/**
 * The target provider of Cloud Map services, found with {@code ServiceLoader}: claims service ARNs
 * ({@code arn:aws:servicediscovery:REGION:ACCOUNT:service/srv-ID[?key=value&...]}) and
 * {@code cloudmap://NAMESPACE/SERVICE[?key=value&...]}.
 *
 * <p>Gateway properties it reads: {@code aws.endpoint} (an endpoint override, such as moto; host-prefix
 * injection is then off, since {@code DiscoverInstances} would go to {@code data-HOST}; also STS's, unless
 * {@code aws.stsEndpoint} names another), {@code aws.region}
 * (for {@code cloudmap://} uris without a region option; a service ARN's own region always applies; else the
 * SDK's default chain), and {@code cloudmap.pollIntervalMillis},
 * {@code cloudmap.maxAgeMillis}, {@code cloudmap.maxStalenessMillis}, {@code cloudmap.maxBackoffMillis}
 * (defaults in {@link DiscoveryCache.Settings#DEFAULTS}), {@code cloudmap.ejectAfterFailures},
 * {@code cloudmap.ejectionMillis}, {@code cloudmap.maxEjectionMillis} (defaults in
 * {@link OutlierDetector.Settings#DEFAULTS}). Each integration's target options ({@link CloudMapOptions}) can
 * set its health filter, optional parameters, load balancing, region, assumed role, health reporting and cache
 * timing. Credentials come from the SDK's default chain unless the builder is given others.
 *
 * <p>Targets with the same region, endpoint and role share one Cloud Map client, on the gateway's Vert.x
 * ({@link VertxSdkHttpClient}), with every attempt bounded (10 s per attempt, 30 s per call), closed with the
 * last target that uses it.
 */
public final class CloudMapTargetProvider implements TargetProvider {
  private static final System.Logger LOG = System.getLogger(CloudMapTargetProvider.class.getName());

  private final @Nullable ServiceDiscoveryAsyncClient client;
  private final @Nullable AwsCredentialsProvider credentials;
  private final Consumer<ClientOverrideConfiguration.Builder> clientConfiguration;
  private final Map<ClientKey, SharedClient> clients = new HashMap<>();

  /** Used by {@code ServiceLoader}: the SDK's default credentials, clients built and shared by Gatelink. */
  public CloudMapTargetProvider() {
    this(builder());
  }

  private CloudMapTargetProvider(Builder builder) {
    this.client = builder.client;
    this.credentials = builder.credentials;
    this.clientConfiguration = builder.clientConfiguration;
  }

  /** {@return a builder of a provider to register in code with {@code Gateway.Builder.targetProvider}} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A provider whose targets all call Cloud Map through the caller's client (its region, credentials,
   * endpoint, HTTP client and interceptors), registered in code with {@code Gateway.Builder.targetProvider}. The
   * gateway's {@code aws.*} properties are then not used, integrations cannot name a region or a role of their
   * own, and closing a target leaves the client open.
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
    CloudMapOptions options = CloudMapOptions.parse(spec.options());
    if (options.reportHealth() && uri.serviceId() == null) {
      throw new IllegalArgumentException("reportHealth needs the service's id, which a cloudmap:// uri does not "
          + "give: expected a service ARN");
    }
    if (client != null && options.ownClient()) {
      throw new IllegalArgumentException("region and roleArn need a client that Gatelink builds, but this provider "
          + "calls Cloud Map through the caller's own client (CloudMapTargetProvider.withClient): expected neither");
    }
    DiscoveryCache.Settings defaults = DiscoveryCache.Settings.DEFAULTS;
    DiscoveryCache.Settings settings = new DiscoveryCache.Settings(
        orElse(options.pollInterval(), duration(context, "cloudmap.pollIntervalMillis", defaults.pollInterval())),
        orElse(options.maxAge(), duration(context, "cloudmap.maxAgeMillis", defaults.maxAge())),
        orElse(options.maxStaleness(), duration(context, "cloudmap.maxStalenessMillis", defaults.maxStaleness())),
        duration(context, "cloudmap.maxBackoffMillis", defaults.maxBackoff()));
    OutlierDetector.Settings ejectionDefaults = OutlierDetector.Settings.DEFAULTS;
    OutlierDetector.Settings ejection = new OutlierDetector.Settings(
        (int) number(context, "cloudmap.ejectAfterFailures", ejectionDefaults.failuresToEject()),
        duration(context, "cloudmap.ejectionMillis", ejectionDefaults.baseEjection()),
        duration(context, "cloudmap.maxEjectionMillis", ejectionDefaults.maxEjection()));
    String tlsServerName = spec.privateIntegration() ? spec.serverNameToVerify() : null;
    if (client != null) {
      return CloudMapTarget.of(context.vertx(), client, null, uri, options, settings, ejection, tlsServerName, LOG);
    }
    // A service ARN names the service's region: calls go there. An integration's region option may only repeat
    // it; the gateway's aws.region applies to the shorthand.
    if (uri.region() != null && options.region() != null && !uri.region().equals(options.region())) {
      throw new IllegalArgumentException("region '" + options.region() + "' is not the region of the service ARN, '"
          + uri.region() + "': expected no region option, or '" + uri.region() + "'");
    }
    String region = uri.region() != null ? uri.region()
        : options.region() != null ? options.region() : context.property("aws.region");
    String endpoint = context.property("aws.endpoint");
    String stsEndpoint = context.property("aws.stsEndpoint") != null ? context.property("aws.stsEndpoint") : endpoint;
    ClientKey key = new ClientKey(context.vertx(), region, endpoint, options.roleArn() == null ? null : stsEndpoint,
        options.roleArn(), options.externalId(), options.roleSessionName());
    ServiceDiscoveryAsyncClient shared = acquire(key);
    return CloudMapTarget.of(context.vertx(), shared, () -> release(key), uri, options, settings, ejection,
        tlsServerName, LOG);
  }

  /**
   * What makes two integrations' clients interchangeable: the same Vert.x, region, endpoint and role. Such
   * integrations share one client (and one STS client), closed when the last of their targets closes, so that
   * a reload, which starts the new targets before closing the old ones, keeps the clients too.
   */
  private record ClientKey(Vertx vertx, @Nullable String region, @Nullable String endpoint,
      @Nullable String stsEndpoint, @Nullable String roleArn, @Nullable String externalId, String roleSessionName) {}

  /** A client, what closes with it, and how many targets use it. */
  private static final class SharedClient {
    final ServiceDiscoveryAsyncClient client;
    final List<AutoCloseable> owned;
    int users;

    SharedClient(ServiceDiscoveryAsyncClient client, List<AutoCloseable> owned) {
      this.client = client;
      this.owned = owned;
    }
  }

  private synchronized ServiceDiscoveryAsyncClient acquire(ClientKey key) {
    SharedClient shared = clients.computeIfAbsent(key, this::build);
    shared.users++;
    return shared.client;
  }

  private synchronized void release(ClientKey key) throws Exception {
    SharedClient shared = clients.get(key);
    if (shared == null || --shared.users > 0) {
      return;
    }
    clients.remove(key);
    closeAll(shared.owned);
  }

  /** Closes each, whatever the others do; the first failure is thrown with the later ones suppressed. */
  private static void closeAll(List<AutoCloseable> owned) throws Exception {
    Exception failure = null;
    for (AutoCloseable each : owned) {
      try {
        each.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * {@return a Cloud Map client for the key, with an STS client behind it when the key has a role}
   *
   * @throws IllegalArgumentException if the SDK cannot build a client (no region, say); what was built is closed
   */
  private SharedClient build(ClientKey key) {
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      return build(key, owned);
    } catch (SdkException e) {
      try {
        closeAll(owned);
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw new IllegalArgumentException(key.region() == null
          ? "there is no region to call Cloud Map in: expected the region option, the gateway's aws.region, or a "
              + "region from the AWS SDK's chain (AWS_REGION); the SDK said: " + e.getMessage()
          : "the AWS SDK cannot build a Cloud Map client: " + e.getMessage(), e);
    }
  }

  private SharedClient build(ClientKey key, List<AutoCloseable> owned) {
    Consumer<ClientOverrideConfiguration.Builder> configuration = c -> {
      // Every attempt bounded, so that the refresh loop never waits forever on one call.
      c.apiCallAttemptTimeout(Duration.ofSeconds(10)).apiCallTimeout(Duration.ofSeconds(30));
      clientConfiguration.accept(c);
    };
    AwsCredentialsProvider credentialsProvider = credentials;
    if (key.roleArn() != null) {
      StsClientBuilder sts = StsClient.builder()
          .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
              .socketTimeout(Duration.ofSeconds(10)).build())
          .overrideConfiguration(configuration);
      if (key.region() != null) {
        sts.region(Region.of(key.region()));
      }
      if (key.stsEndpoint() != null) {
        sts.endpointOverride(URI.create(key.stsEndpoint()));
      }
      if (credentials != null) {
        sts.credentialsProvider(credentials);
      }
      StsClient stsClient = sts.build();
      owned.add(stsClient);
      // Refreshed in the background before they expire, so that calls never wait on STS once the first
      // credentials are in.
      StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
          .stsClient(stsClient)
          .asyncCredentialUpdateEnabled(true)
          .refreshRequest(request -> request.roleArn(key.roleArn()).roleSessionName(key.roleSessionName())
              .externalId(key.externalId()))
          .build();
      owned.add(0, assumed);
      credentialsProvider = assumed;
    }
    ServiceDiscoveryAsyncClientBuilder cloudMap = ServiceDiscoveryAsyncClient.builder()
        .httpClient(new VertxSdkHttpClient(key.vertx(), new HttpClientOptions().setKeepAlive(true)));
    if (key.region() != null) {
      cloudMap.region(Region.of(key.region()));
    }
    if (credentialsProvider != null) {
      cloudMap.credentialsProvider(credentialsProvider);
    }
    if (key.endpoint() != null) {
      cloudMap.endpointOverride(URI.create(key.endpoint()));
    }
    // Host-prefix injection off with an endpoint override: DiscoverInstances would go to data-HOST.
    cloudMap.overrideConfiguration(c -> {
      configuration.accept(c);
      if (key.endpoint() != null) {
        c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true);
      }
    });
    ServiceDiscoveryAsyncClient built = cloudMap.build();
    owned.add(0, built);
    return new SharedClient(built, owned);
  }

  private static Duration orElse(@Nullable Duration value, Duration fallback) {
    return value != null ? value : fallback;
  }

  private static Duration duration(TargetContext context, String name, Duration fallback) {
    return Duration.ofMillis(number(context, name, fallback.toMillis()));
  }

  private static long number(TargetContext context, String name, long fallback) {
    String value = context.property(name);
    if (value == null) {
      return fallback;
    }
    if (!value.matches("[0-9]{1,9}") || Long.parseLong(value) < 1) {
      throw new IllegalArgumentException("gateway property " + name + " '" + value
          + "' is not valid: expected a whole number from 1 to 999999999");
    }
    return Long.parseLong(value);
  }

  /** Builds a {@link CloudMapTargetProvider}. */
  public static final class Builder {
    private @Nullable ServiceDiscoveryAsyncClient client;
    private @Nullable AwsCredentialsProvider credentials;
    private Consumer<ClientOverrideConfiguration.Builder> clientConfiguration = c -> { };
    private boolean configured;

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
     * Sets the credentials of the clients Gatelink builds, and of the STS calls that assume integrations'
     * roles (default: the SDK's default chain).
     *
     * @param credentials the credentials provider; the caller closes it after the gateway
     * @return this builder
     */
    public Builder credentialsProvider(AwsCredentialsProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Adds to the configuration of every client Gatelink builds (Cloud Map's and STS's): interceptors,
     * metric publishers, retry strategy, timeouts.
     *
     * @param configuration applied after Gatelink's own timeouts, so it may replace them
     * @return this builder
     */
    public Builder clientConfiguration(Consumer<ClientOverrideConfiguration.Builder> configuration) {
      this.clientConfiguration = Objects.requireNonNull(configuration, "configuration");
      this.configured = true;
      return this;
    }

    /**
     * Builds the provider.
     *
     * @return the provider
     * @throws IllegalArgumentException if a client of the caller's own is given with credentials or client
     *     configuration, which that client would not use
     */
    public CloudMapTargetProvider build() {
      if (client != null && (credentials != null || configured)) {
        throw new IllegalArgumentException("a client of your own brings its own credentials and configuration: "
            + "expected client, or credentialsProvider and clientConfiguration, not both");
      }
      return new CloudMapTargetProvider(this);
    }
  }
}
