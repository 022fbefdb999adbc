package dev.gatelink.cloudmap;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import dev.gatelink.aws.AwsOptions;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetOptions;
import dev.gatelink.target.WrittenTargetOptions;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatusFilter;

/**
 * The options of one Cloud Map integration, where API Gateway has no field: the health filter, optional
 * parameters, load balancing, the region and role to call Cloud Map with, health reporting and the cache's
 * timing. They travel as the integration's target options ({@code Integration.Builder.targetOptions}; in an
 * OpenAPI file, the operation's {@code x-gatelink-target}):
 *
 * <table>
 *   <caption>Target options of a Cloud Map integration</caption>
 *   <tr><th>option</th><th>values</th><th>default</th></tr>
 *   <tr><td>{@code healthStatus}</td><td>{@code HEALTHY}, {@code HEALTHY_OR_ELSE_ALL}, {@code ALL}</td>
 *       <td>{@code HEALTHY}</td></tr>
 *   <tr><td>{@code optionalParameters.NAME}</td><td>an attribute value ({@code DiscoverInstances}'
 *       {@code OptionalParameters})</td><td>none</td></tr>
 *   <tr><td>{@code loadBalancing}</td><td>{@code round_robin}, {@code least_outstanding_requests},
 *       {@code weighted_random}</td>
 *       <td>{@code round_robin}</td></tr>
 *   <tr><td>{@code region}</td><td>the region of the Cloud Map client, for {@code cloudmap://} uris (a service
 *       ARN's own region always applies; a different one is refused)</td><td>the ARN's, else the provider's
 *       {@code AwsOptions}, else the SDK's chain</td></tr>
 *   <tr><td>{@code roleArn}, {@code externalId}, {@code roleSessionName}</td><td>a role to assume with STS
 *       for this integration's calls (another account's, say)</td><td>none; session name {@code gatelink}</td></tr>
 *   <tr><td>{@code reportHealth}</td><td>{@code true}: {@code UpdateInstanceCustomHealthStatus} on ejection
 *       and recovery (service ARNs only)</td><td>{@code false}</td></tr>
 *   <tr><td>{@code pollIntervalMillis}, {@code maxAgeMillis}, {@code maxStalenessMillis}</td><td>the cache's
 *       timing for this integration</td><td>the provider's {@code RefreshSettings}</td></tr>
 * </table>
 *
 * <p>Build them with {@link #builder()} and pass them to {@code Integration.Builder.targetOptions}, or write the
 * names above in a file. Immutable.
 */
public final class CloudMapOptions implements TargetOptions {
  static final String HEALTH_STATUS = "healthStatus";
  static final String OPTIONAL_PARAMETERS = "optionalParameters";
  static final String LOAD_BALANCING = "loadBalancing";
  static final String REGION = "region";
  static final String ROLE_ARN = "roleArn";
  static final String EXTERNAL_ID = "externalId";
  static final String ROLE_SESSION_NAME = "roleSessionName";
  static final String REPORT_HEALTH = "reportHealth";
  static final String POLL_INTERVAL = "pollIntervalMillis";
  static final String MAX_AGE = "maxAgeMillis";
  static final String MAX_STALENESS = "maxStalenessMillis";
  private static final List<String> NAMES = List.of(HEALTH_STATUS, OPTIONAL_PARAMETERS + ".NAME", LOAD_BALANCING,
      REGION, ROLE_ARN, EXTERNAL_ID, ROLE_SESSION_NAME, REPORT_HEALTH, POLL_INTERVAL, MAX_AGE, MAX_STALENESS);

  private final HealthStatusFilter healthStatus;
  private final Map<String, String> optionalParameters;
  private final LoadBalancing loadBalancing;
  private final @Nullable String region;
  private final @Nullable String roleArn;
  private final @Nullable String externalId;
  private final String roleSessionName;
  private final boolean reportHealth;
  private final @Nullable Duration pollInterval;
  private final @Nullable Duration maxAge;
  private final @Nullable Duration maxStaleness;

  private CloudMapOptions(Builder builder) {
    this.healthStatus = builder.healthStatus;
    this.optionalParameters = Collections.unmodifiableMap(new LinkedHashMap<>(builder.optionalParameters));
    this.loadBalancing = builder.loadBalancing;
    this.region = builder.region;
    this.roleArn = builder.roleArn;
    this.externalId = builder.externalId;
    this.roleSessionName = builder.roleSessionName;
    this.reportHealth = builder.reportHealth;
    this.pollInterval = builder.pollInterval;
    this.maxAge = builder.maxAge;
    this.maxStaleness = builder.maxStaleness;
  }

  /** {@return a builder with every option at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads target options, as written in an OpenAPI file.
   *
   * @throws TargetOptionException naming the first option that is unknown or not valid
   */
  static CloudMapOptions parse(Map<String, String> options) {
    Builder builder = builder();
    for (Map.Entry<String, String> option : options.entrySet()) {
      try {
        read(builder, option.getKey(), option.getValue());
      } catch (TargetOptionException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new TargetOptionException(option.getKey(), e.getMessage());
      }
    }
    return builder.build();
  }

  private static void read(Builder builder, String name, String value) {
    {
      if (name.startsWith(OPTIONAL_PARAMETERS + ".")) {
        builder.optionalParameter(name.substring(OPTIONAL_PARAMETERS.length() + 1), value);
        return;
      }
      switch (name) {
        case HEALTH_STATUS:
          builder.healthStatus(healthStatusOf(value));
          break;
        case LOAD_BALANCING:
          builder.loadBalancing(loadBalancingOf(value));
          break;
        case REGION:
          builder.region(value);
          break;
        case ROLE_ARN:
          builder.roleArn = checkRole(value);
          break;
        case EXTERNAL_ID:
          builder.externalId = checkExternalId(value);
          break;
        case ROLE_SESSION_NAME:
          builder.roleSessionName = checkSessionName(value);
          break;
        case REPORT_HEALTH:
          if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(REPORT_HEALTH + " '" + value + "' is not valid: expected true or false");
          }
          builder.reportHealth(Boolean.parseBoolean(value));
          break;
        case POLL_INTERVAL:
          builder.pollInterval(millis(name, value));
          break;
        case MAX_AGE:
          builder.maxAge(millis(name, value));
          break;
        case MAX_STALENESS:
          builder.maxStaleness(millis(name, value));
          break;
        default:
          throw new IllegalArgumentException("unknown target option '" + name + "': expected "
              + String.join(", ", NAMES.subList(0, NAMES.size() - 1)) + " or " + NAMES.get(NAMES.size() - 1));
      }
    }
  }

  /**
   * {@return the options of an integration: these, or those written in a file read into Cloud Map's}
   *
   * @param options the integration's target options
   * @throws TargetOptionException naming the first option that is unknown or not valid
   * @throws IllegalArgumentException if they are another provider's typed options
   */
  static CloudMapOptions of(TargetOptions options) {
    if (options instanceof CloudMapOptions cloudMap) {
      return cloudMap;
    }
    if (options instanceof WrittenTargetOptions written) {
      return parse(written.asMap());
    }
    throw new IllegalArgumentException("target options " + options + " (" + options.getClass().getSimpleName()
        + ") are not a Cloud Map integration's: expected CloudMapOptions");
  }

  @Override
  public Map<String, String> asMap() {
    Map<String, String> options = new LinkedHashMap<>();
    if (healthStatus != HealthStatusFilter.HEALTHY) {
      options.put(HEALTH_STATUS, healthStatus.toString());
    }
    optionalParameters.forEach((name, value) -> options.put(OPTIONAL_PARAMETERS + "." + name, value));
    if (loadBalancing != LoadBalancing.ROUND_ROBIN) {
      options.put(LOAD_BALANCING, loadBalancing.text());
    }
    putIfSet(options, REGION, region);
    putIfSet(options, ROLE_ARN, roleArn);
    putIfSet(options, EXTERNAL_ID, externalId);
    if (roleArn != null && !roleSessionName.equals(Builder.SESSION_NAME)) {
      options.put(ROLE_SESSION_NAME, roleSessionName);
    }
    if (reportHealth) {
      options.put(REPORT_HEALTH, "true");
    }
    putIfSet(options, POLL_INTERVAL, pollInterval == null ? null : Long.toString(pollInterval.toMillis()));
    putIfSet(options, MAX_AGE, maxAge == null ? null : Long.toString(maxAge.toMillis()));
    putIfSet(options, MAX_STALENESS, maxStaleness == null ? null : Long.toString(maxStaleness.toMillis()));
    return Collections.unmodifiableMap(options);
  }

  /** {@return the {@code DiscoverInstances} health filter} */
  public HealthStatusFilter healthStatus() {
    return healthStatus;
  }

  /** {@return the {@code DiscoverInstances} optional parameters, in their given order} */
  public Map<String, String> optionalParameters() {
    return optionalParameters;
  }

  /** {@return how requests are spread over the instances} */
  public LoadBalancing loadBalancing() {
    return loadBalancing;
  }

  /** {@return the region to call Cloud Map in, or null for the provider's choice} */
  public @Nullable String region() {
    return region;
  }

  /** {@return the role to assume for Cloud Map calls, or null to use the provider's credentials} */
  public @Nullable String roleArn() {
    return roleArn;
  }

  /** {@return the external id to assume the role with, or null} */
  public @Nullable String externalId() {
    return externalId;
  }

  /** {@return the session name to assume the role with} */
  public String roleSessionName() {
    return roleSessionName;
  }

  /** {@return whether ejections and recoveries are reported with {@code UpdateInstanceCustomHealthStatus}} */
  public boolean reportHealth() {
    return reportHealth;
  }

  /** {@return this integration's revision poll interval, or null for the provider's} */
  public @Nullable Duration pollInterval() {
    return pollInterval;
  }

  /** {@return this integration's maximum age of a discovered set, or null for the provider's} */
  public @Nullable Duration maxAge() {
    return maxAge;
  }

  /** {@return this integration's maximum staleness while Cloud Map fails, or null for the provider's} */
  public @Nullable Duration maxStaleness() {
    return maxStaleness;
  }

  /** {@return whether Cloud Map is called with a client of this integration's own (region or role)} */
  boolean ownClient() {
    return region != null || roleArn != null;
  }

  /** {@return this integration's own AWS options (region and role), over the provider's} */
  AwsOptions aws() {
    AwsOptions.Builder aws = AwsOptions.builder().region(region);
    if (roleArn != null) {
      aws.assumeRole(roleArn, externalId).roleSessionName(roleSessionName);
    }
    return aws.build();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof CloudMapOptions && asMap().equals(((CloudMapOptions) other).asMap());
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    return asMap().toString();
  }

  private static void putIfSet(Map<String, String> options, String name, @Nullable String value) {
    if (value != null) {
      options.put(name, value);
    }
  }

  private static HealthStatusFilter healthStatusOf(String value) {
    switch (value) {
      case "HEALTHY":
        return HealthStatusFilter.HEALTHY;
      case "HEALTHY_OR_ELSE_ALL":
        return HealthStatusFilter.HEALTHY_OR_ELSE_ALL;
      case "ALL":
        return HealthStatusFilter.ALL;
      case "UNHEALTHY":
        throw new IllegalArgumentException(HEALTH_STATUS + " 'UNHEALTHY' would send requests only to unhealthy "
            + "instances: expected HEALTHY, HEALTHY_OR_ELSE_ALL or ALL");
      default:
        throw new IllegalArgumentException(HEALTH_STATUS + " '" + value
            + "' is not a health filter: expected HEALTHY, HEALTHY_OR_ELSE_ALL or ALL");
    }
  }

  private static LoadBalancing loadBalancingOf(String value) {
    try {
      return LoadBalancing.of(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(LOAD_BALANCING + " " + e.getMessage(), e);
    }
  }

  private static Duration millis(String name, String value) {
    if (!value.matches("[0-9]{1,9}") || Long.parseLong(value) < 1) {
      throw new IllegalArgumentException(name + " '" + value + "' is not valid: expected a whole number of "
          + "milliseconds from 1 to 999999999");
    }
    return Duration.ofMillis(Long.parseLong(value));
  }

  private static String checkRole(String value) {
    AwsOptions.builder().assumeRole(value, null);
    return value;
  }

  private static String checkExternalId(String value) {
    AwsOptions.builder().assumeRole("arn:aws:iam::000000000000:role/check", value);
    return value;
  }

  private static String checkSessionName(String value) {
    AwsOptions.builder().roleSessionName(value);
    return value;
  }

  /** Builds {@link CloudMapOptions}; each setter checks its value, {@link #build()} the combination. */
  public static final class Builder {
    private static final String SESSION_NAME = "gatelink";

    private HealthStatusFilter healthStatus = HealthStatusFilter.HEALTHY;
    private final Map<String, String> optionalParameters = new LinkedHashMap<>();
    private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;
    private @Nullable String region;
    private @Nullable String roleArn;
    private @Nullable String externalId;
    private String roleSessionName = SESSION_NAME;
    private boolean reportHealth;
    private @Nullable Duration pollInterval;
    private @Nullable Duration maxAge;
    private @Nullable Duration maxStaleness;

    private Builder() {}

    /**
     * Sets the health filter of {@code DiscoverInstances} (Cloud Map ignores it for a service without a health
     * check).
     *
     * @param healthStatus {@code HEALTHY} (the default), {@code HEALTHY_OR_ELSE_ALL} or {@code ALL}
     * @return this builder
     * @throws IllegalArgumentException for {@code UNHEALTHY}, which would send requests only to unhealthy
     *     instances
     */
    public Builder healthStatus(HealthStatusFilter healthStatus) {
      Objects.requireNonNull(healthStatus, "healthStatus");
      this.healthStatus = healthStatusOf(healthStatus.toString());
      return this;
    }

    /**
     * Adds an optional parameter: instances that match every optional parameter are preferred; when none
     * does, the filter is dropped (Cloud Map's {@code OptionalParameters}).
     *
     * @param name an attribute name, 1 to 255 printable ASCII characters
     * @param value the attribute's value, as Cloud Map allows it
     * @return this builder
     * @throws IllegalArgumentException if the name or value is not valid, or the name is given twice
     */
    public Builder optionalParameter(String name, String value) {
      String what = OPTIONAL_PARAMETERS + "." + name;
      if (!CloudMapServiceUri.KEY.matcher(name).matches()) {
        throw new IllegalArgumentException(what + ": '" + name + "' is not an attribute name: expected 1 to 255 "
            + "printable ASCII characters");
      }
      if (value.length() > 1024 || !CloudMapServiceUri.VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException(what + " '" + value + "' is not an attribute value: expected at most "
            + "1024 printable ASCII characters, spaces and tabs inside only");
      }
      if (optionalParameters.containsKey(name)) {
        throw new IllegalArgumentException(what + " is given twice: expected each optional parameter once");
      }
      optionalParameters.put(name, value);
      return this;
    }

    /**
     * Sets how requests are spread over the instances.
     *
     * @param loadBalancing round robin (the default) or least outstanding requests
     * @return this builder
     */
    public Builder loadBalancing(LoadBalancing loadBalancing) {
      this.loadBalancing = Objects.requireNonNull(loadBalancing, "loadBalancing");
      return this;
    }

    /**
     * Sets the region this integration calls Cloud Map (and STS) in.
     *
     * @param region a region name such as {@code eu-west-1}
     * @return this builder
     * @throws IllegalArgumentException if it is not a region name
     */
    public Builder region(String region) {
      AwsOptions.builder().region(region);
      this.region = region;
      return this;
    }

    /**
     * Calls Cloud Map with the credentials of a role assumed with STS (refreshed before they expire), such as a
     * role in the account that owns the namespace.
     *
     * @param roleArn the role, {@code arn:aws:iam::ACCOUNT:role/NAME}
     * @param externalId the external id the role's trust policy asks for, or null
     * @return this builder
     * @throws IllegalArgumentException if the ARN or the external id is not valid
     */
    public Builder assumeRole(String roleArn, @Nullable String externalId) {
      this.roleArn = checkRole(roleArn);
      this.externalId = externalId == null ? null : checkExternalId(externalId);
      return this;
    }

    /**
     * Sets the session name the role is assumed with (default {@code gatelink}), as CloudTrail shows it.
     *
     * @param name 2 to 64 letters, digits or {@code +=,.@-_}
     * @return this builder
     * @throws IllegalArgumentException if it is not valid
     */
    public Builder roleSessionName(String name) {
      this.roleSessionName = checkSessionName(name);
      return this;
    }

    /**
     * Reports ejections and recoveries to Cloud Map with {@code UpdateInstanceCustomHealthStatus} (the
     * service needs a custom health check; the uri must be a service ARN).
     *
     * @param reportHealth true to report; false (the default) to keep them to this gateway
     * @return this builder
     */
    public Builder reportHealth(boolean reportHealth) {
      this.reportHealth = reportHealth;
      return this;
    }

    /**
     * Sets this integration's revision poll interval.
     *
     * @param interval at least a millisecond
     * @return this builder
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive(POLL_INTERVAL, interval);
      return this;
    }

    /**
     * Sets the oldest a discovered set gets before it is fetched again at the same revision.
     *
     * @param maxAge at least a millisecond
     * @return this builder
     */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = positive(MAX_AGE, maxAge);
      return this;
    }

    /**
     * Sets how long the last good set is served while Cloud Map calls fail.
     *
     * @param maxStaleness at least a millisecond
     * @return this builder
     */
    public Builder maxStaleness(Duration maxStaleness) {
      this.maxStaleness = positive(MAX_STALENESS, maxStaleness);
      return this;
    }

    /**
     * Checks the combination and builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException if an external id or session name is given without a role
     */
    public CloudMapOptions build() {
      if (roleArn == null && externalId != null) {
        throw new IllegalArgumentException(EXTERNAL_ID + " is given without " + ROLE_ARN
            + ": expected the role it is for");
      }
      if (roleArn == null && !roleSessionName.equals(SESSION_NAME)) {
        throw new IllegalArgumentException(ROLE_SESSION_NAME + " is given without " + ROLE_ARN
            + ": expected the role it is for");
      }
      return new CloudMapOptions(this);
    }

    private static Duration positive(String name, Duration duration) {
      if (duration.toMillis() < 1 || duration.toMillis() > 999_999_999) {
        throw new IllegalArgumentException(name + " " + duration.toMillis()
            + " is out of range: expected 1 to 999999999 milliseconds");
      }
      return Duration.ofMillis(duration.toMillis());
    }
  }
}
