package dev.gatelink.cloudmap;

import dev.gatelink.gateway.InvalidConfigException;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatusFilter;

/**
 * The target provider of Cloud Map services, found with {@code ServiceLoader}: claims service ARNs
 * ({@code arn:aws:servicediscovery:REGION:ACCOUNT:service/srv-ID[?key=value&...]}) and
 * {@code cloudmap://NAMESPACE/SERVICE[?key=value&...]}.
 *
 * <p>Gateway properties it reads: {@code aws.endpoint} (an endpoint override, such as moto; host-prefix
 * injection is then off, since {@code DiscoverInstances} would go to {@code data-HOST}), {@code aws.region}
 * (else the ARN's region, else the SDK's default chain), and {@code cloudmap.pollIntervalMillis},
 * {@code cloudmap.maxAgeMillis}, {@code cloudmap.maxStalenessMillis}, {@code cloudmap.maxBackoffMillis}
 * (defaults in {@link DiscoveryCache.Settings#DEFAULTS}), {@code cloudmap.ejectAfterFailures},
 * {@code cloudmap.ejectionMillis}, {@code cloudmap.maxEjectionMillis} (defaults in
 * {@link OutlierDetector.Settings#DEFAULTS}). Credentials come from the SDK's default chain.
 * Instances are discovered with the {@code HEALTHY} filter.
 */
public final class CloudMapTargetProvider implements TargetProvider {
  private static final System.Logger LOG = System.getLogger(CloudMapTargetProvider.class.getName());

  private final @Nullable ServiceDiscoveryAsyncClient client;

  /** Used by {@code ServiceLoader}: each target gets a client of its own, on the gateway's Vert.x. */
  public CloudMapTargetProvider() {
    this(null);
  }

  private CloudMapTargetProvider(@Nullable ServiceDiscoveryAsyncClient client) {
    this.client = client;
  }

  /**
   * A provider whose targets all call Cloud Map through the caller's client (its region, credentials,
   * endpoint, HTTP client and interceptors), registered in code with {@code Gateway.Builder.targetProvider}. The
   * gateway's {@code aws.*} properties are then not used, and closing a target leaves the client open.
   *
   * @param client the client; the caller closes it after the gateway
   * @return the provider
   */
  public static CloudMapTargetProvider withClient(ServiceDiscoveryAsyncClient client) {
    return new CloudMapTargetProvider(Objects.requireNonNull(client, "client"));
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
    DiscoveryCache.Settings defaults = DiscoveryCache.Settings.DEFAULTS;
    DiscoveryCache.Settings settings = new DiscoveryCache.Settings(
        duration(context, "cloudmap.pollIntervalMillis", defaults.pollInterval()),
        duration(context, "cloudmap.maxAgeMillis", defaults.maxAge()),
        duration(context, "cloudmap.maxStalenessMillis", defaults.maxStaleness()),
        duration(context, "cloudmap.maxBackoffMillis", defaults.maxBackoff()));
    OutlierDetector.Settings ejectionDefaults = OutlierDetector.Settings.DEFAULTS;
    OutlierDetector.Settings ejection = new OutlierDetector.Settings(
        (int) number(context, "cloudmap.ejectAfterFailures", ejectionDefaults.failuresToEject()),
        duration(context, "cloudmap.ejectionMillis", ejectionDefaults.baseEjection()),
        duration(context, "cloudmap.maxEjectionMillis", ejectionDefaults.maxEjection()));
    String tlsServerName = spec.privateIntegration() ? spec.serverNameToVerify() : null;
    if (this.client != null) {
      return new CloudMapTarget(context.vertx(), this.client, false, uri, HealthStatusFilter.HEALTHY, settings,
          ejection, tlsServerName, LOG);
    }
    ServiceDiscoveryAsyncClientBuilder client = ServiceDiscoveryAsyncClient.builder()
        .httpClient(new VertxSdkHttpClient(context.vertx(), new HttpClientOptions().setKeepAlive(true)));
    String region = context.property("aws.region") != null ? context.property("aws.region") : uri.region();
    if (region != null) {
      client.region(Region.of(region));
    }
    String endpoint = context.property("aws.endpoint");
    boolean override = endpoint != null;
    if (override) {
      client.endpointOverride(URI.create(endpoint));
    }
    // Host-prefix injection off with an endpoint override (DiscoverInstances would go to data-HOST); every
    // attempt bounded, so that the refresh loop never waits forever on one call.
    client.overrideConfiguration(c -> {
      c.apiCallAttemptTimeout(Duration.ofSeconds(10)).apiCallTimeout(Duration.ofSeconds(30));
      if (override) {
        c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true);
      }
    });
    return new CloudMapTarget(context.vertx(), client.build(), true, uri, HealthStatusFilter.HEALTHY, settings,
        ejection, tlsServerName, LOG);
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
}
