package dev.gatelink.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * How Gatelink calls AWS for a provider or one integration: the region, an endpoint override (an emulator such
 * as moto, or a VPC endpoint), the credentials, and a role to assume with STS (a role in another account).
 * Unset values fall back: an integration's options {@linkplain #overriddenBy over} its provider's, and those
 * over the AWS SDK's default chains (region from {@code AWS_REGION} and the profile, credentials from the
 * environment, the profile, the container or the instance).
 *
 * <p>Immutable; two options that are {@link #equals} make clients that can be shared.
 */
public final class AwsOptions {
  static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
  private static final Pattern ROLE = Pattern.compile("arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}");
  private static final Pattern EXTERNAL = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
  private static final Pattern SESSION = Pattern.compile("[\\w+=,.@-]{2,64}");
  /** The session name when none is given. */
  public static final String DEFAULT_SESSION_NAME = "gatelink";

  private static final AwsOptions DEFAULTS = new Builder().build();

  private final @Nullable String region;
  private final @Nullable URI endpoint;
  private final @Nullable URI stsEndpoint;
  private final @Nullable String roleArn;
  private final @Nullable String externalId;
  private final @Nullable String roleSessionName;
  private final @Nullable AwsCredentialsProvider credentials;
  private final @Nullable Consumer<ClientOverrideConfiguration.Builder> clientConfiguration;
  private final Duration attemptTimeout;
  private final Duration callTimeout;

  private AwsOptions(Builder builder) {
    this.region = builder.region;
    this.endpoint = builder.endpoint;
    this.stsEndpoint = builder.stsEndpoint;
    this.roleArn = builder.roleArn;
    this.externalId = builder.externalId;
    this.roleSessionName = builder.roleSessionName;
    this.credentials = builder.credentials;
    this.clientConfiguration = builder.clientConfiguration;
    this.attemptTimeout = builder.attemptTimeout;
    this.callTimeout = builder.callTimeout;
  }

  /** {@return options with nothing set: the SDK's chains, AWS's endpoints, no role} */
  public static AwsOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a builder with nothing set} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these options} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.region = region;
    builder.endpoint = endpoint;
    builder.stsEndpoint = stsEndpoint;
    builder.roleArn = roleArn;
    builder.externalId = externalId;
    builder.roleSessionName = roleSessionName;
    builder.credentials = credentials;
    builder.clientConfiguration = clientConfiguration;
    builder.attemptTimeout = attemptTimeout;
    builder.callTimeout = callTimeout;
    return builder;
  }

  /**
   * These options with another's set values in their place: an integration's region or role over its
   * provider's. A role replaces the role as a whole (its external id and session name with it).
   *
   * @param more the options that win where they are set
   * @return the merged options
   */
  public AwsOptions overriddenBy(AwsOptions more) {
    Builder merged = toBuilder();
    if (more.region != null) {
      merged.region = more.region;
    }
    if (more.endpoint != null) {
      merged.endpoint = more.endpoint;
    }
    if (more.stsEndpoint != null) {
      merged.stsEndpoint = more.stsEndpoint;
    }
    if (more.roleArn != null) {
      merged.roleArn = more.roleArn;
      merged.externalId = more.externalId;
      merged.roleSessionName = more.roleSessionName;
    }
    if (more.credentials != null) {
      merged.credentials = more.credentials;
    }
    if (more.clientConfiguration != null) {
      merged.clientConfiguration = more.clientConfiguration;
    }
    if (!more.attemptTimeout.equals(DEFAULTS.attemptTimeout)) {
      merged.attemptTimeout = more.attemptTimeout;
    }
    if (!more.callTimeout.equals(DEFAULTS.callTimeout)) {
      merged.callTimeout = more.callTimeout;
    }
    return merged.build();
  }

  /** {@return the region, or null for the SDK's chain} */
  public @Nullable String region() {
    return region;
  }

  /** {@return the endpoint override of the service called, or null for AWS's own} */
  public @Nullable URI endpoint() {
    return endpoint;
  }

  /** {@return STS's endpoint: its own override, else the service's override, else null for AWS's own} */
  public @Nullable URI stsEndpoint() {
    return stsEndpoint != null ? stsEndpoint : endpoint;
  }

  /** {@return the role to assume, or null to call with the credentials themselves} */
  public @Nullable String roleArn() {
    return roleArn;
  }

  /** {@return the external id the role is assumed with, or null} */
  public @Nullable String externalId() {
    return externalId;
  }

  /** {@return the session name the role is assumed with ({@value #DEFAULT_SESSION_NAME} unless set)} */
  public String roleSessionName() {
    return roleSessionName != null ? roleSessionName : DEFAULT_SESSION_NAME;
  }

  /** {@return the credentials (of the calls, or of the STS calls that assume the role), or null for the SDK's chain} */
  public @Nullable AwsCredentialsProvider credentials() {
    return credentials;
  }

  /** {@return what is added to every client's override configuration (interceptors, retries), or null} */
  public @Nullable Consumer<ClientOverrideConfiguration.Builder> clientConfiguration() {
    return clientConfiguration;
  }

  /** {@return the longest one attempt of a call may take} */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** {@return the longest a call may take, retries included} */
  public Duration callTimeout() {
    return callTimeout;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AwsOptions that && Objects.equals(region, that.region)
        && Objects.equals(endpoint, that.endpoint) && Objects.equals(stsEndpoint, that.stsEndpoint)
        && Objects.equals(roleArn, that.roleArn) && Objects.equals(externalId, that.externalId)
        && Objects.equals(roleSessionName, that.roleSessionName) && credentials == that.credentials
        && clientConfiguration == that.clientConfiguration && attemptTimeout.equals(that.attemptTimeout)
        && callTimeout.equals(that.callTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(region, endpoint, stsEndpoint, roleArn, externalId, roleSessionName,
        System.identityHashCode(credentials), System.identityHashCode(clientConfiguration), attemptTimeout,
        callTimeout);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("AwsOptions[");
    if (region != null) {
      text.append("region=").append(region).append(", ");
    }
    if (endpoint != null) {
      text.append("endpoint=").append(endpoint).append(", ");
    }
    if (stsEndpoint != null) {
      text.append("stsEndpoint=").append(stsEndpoint).append(", ");
    }
    if (roleArn != null) {
      text.append("roleArn=").append(roleArn).append(", roleSessionName=").append(roleSessionName()).append(", ");
    }
    text.append("attemptTimeout=").append(attemptTimeout).append(", callTimeout=").append(callTimeout);
    return text.append(']').toString();
  }

  /** Builds {@link AwsOptions}; each setter checks its value, {@link #build()} the combination. */
  public static final class Builder {
    private @Nullable String region;
    private @Nullable URI endpoint;
    private @Nullable URI stsEndpoint;
    private @Nullable String roleArn;
    private @Nullable String externalId;
    private @Nullable String roleSessionName;
    private @Nullable AwsCredentialsProvider credentials;
    private @Nullable Consumer<ClientOverrideConfiguration.Builder> clientConfiguration;
    // Every call bounded, so that a refresh loop never waits forever on one.
    private Duration attemptTimeout = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Sets the region to call AWS in.
     *
     * @param region a region name such as {@code eu-west-1}, or null for the SDK's chain
     * @return this builder
     * @throws IllegalArgumentException if it is not a region name
     */
    public Builder region(@Nullable String region) {
      if (region != null && !REGION.matcher(region).matches()) {
        throw new IllegalArgumentException("region '" + region + "' is not a region name: expected one such as "
            + "eu-west-1");
      }
      this.region = region;
      return this;
    }

    /**
     * Sends every call to another endpoint (an emulator, a VPC endpoint). The SDK's host-prefix injection is
     * then off: Cloud Map's {@code DiscoverInstances} would otherwise go to {@code data-HOST}.
     *
     * @param endpoint an {@code http} or {@code https} URI, or null for AWS's own endpoints
     * @return this builder
     * @throws IllegalArgumentException if it is not an absolute http or https URI with a host
     */
    public Builder endpoint(@Nullable URI endpoint) {
      this.endpoint = checkEndpoint("endpoint", endpoint);
      return this;
    }

    /**
     * Sends STS's calls to another endpoint than the {@linkplain #endpoint service's}.
     *
     * @param stsEndpoint an {@code http} or {@code https} URI, or null for the service's endpoint override (or
     *     AWS's own)
     * @return this builder
     */
    public Builder stsEndpoint(@Nullable URI stsEndpoint) {
      this.stsEndpoint = checkEndpoint("stsEndpoint", stsEndpoint);
      return this;
    }

    /**
     * Calls AWS with the credentials of a role assumed with STS (refreshed before they expire), such as a role in
     * the account that owns the resource.
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
     * Sets the session name the role is assumed with, as CloudTrail shows it.
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
     * Sets the credentials of the calls (or of the STS calls that assume the role).
     *
     * @param credentials the credentials, or null for the SDK's default chain
     * @return this builder
     */
    public Builder credentials(@Nullable AwsCredentialsProvider credentials) {
      this.credentials = credentials;
      return this;
    }

    /**
     * Adds to every client's override configuration (after Gatelink's timeouts): interceptors, retry strategy.
     *
     * @param configuration the addition, or null for none
     * @return this builder
     */
    public Builder clientConfiguration(@Nullable Consumer<ClientOverrideConfiguration.Builder> configuration) {
      this.clientConfiguration = configuration;
      return this;
    }

    /**
     * Sets the longest one attempt of a call may take.
     *
     * @param timeout 1 ms to 10 min
     * @return this builder
     */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = checkTimeout("attemptTimeout", timeout);
      return this;
    }

    /**
     * Sets the longest a call may take, retries included.
     *
     * @param timeout 1 ms to 10 min
     * @return this builder
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = checkTimeout("callTimeout", timeout);
      return this;
    }

    /**
     * Checks the combination and builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException if an external id or session name is given without a role
     */
    public AwsOptions build() {
      if (roleArn == null && externalId != null) {
        throw new IllegalArgumentException("externalId is given without roleArn: expected the role it is for");
      }
      if (roleArn == null && roleSessionName != null) {
        throw new IllegalArgumentException("roleSessionName is given without roleArn: expected the role it is for");
      }
      return new AwsOptions(this);
    }

    private static @Nullable URI checkEndpoint(String name, @Nullable URI endpoint) {
      if (endpoint == null) {
        return null;
      }
      if (!endpoint.isAbsolute() || endpoint.getHost() == null
          || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
        throw new IllegalArgumentException(name + " '" + endpoint + "' is not an endpoint: expected an http or "
            + "https URI with a host, such as http://127.0.0.1:5000");
      }
      return endpoint;
    }

    private static Duration checkTimeout(String name, Duration timeout) {
      Objects.requireNonNull(timeout, name);
      if (timeout.isNegative() || timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(name + " " + timeout + " is out of range: expected 1 ms to 10 min");
      }
      return timeout;
    }
  }

  static String checkRole(String value) {
    if (!ROLE.matcher(value).matches()) {
      throw new IllegalArgumentException("roleArn '" + value + "' is not a role ARN: expected "
          + "arn:aws:iam::ACCOUNT:role/NAME");
    }
    return value;
  }

  static String checkExternalId(String value) {
    if (!EXTERNAL.matcher(value).matches()) {
      throw new IllegalArgumentException("externalId '" + value
          + "' is not valid: expected 2 to 1224 letters, digits or any of +=,.@:/-_");
    }
    return value;
  }

  static String checkSessionName(String value) {
    if (!SESSION.matcher(value).matches()) {
      throw new IllegalArgumentException("roleSessionName '" + value
          + "' is not valid: expected 2 to 64 letters, digits or any of +=,.@-_");
    }
    return value;
  }
}
