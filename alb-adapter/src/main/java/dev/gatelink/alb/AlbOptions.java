package dev.gatelink.alb;

import dev.gatelink.aws.AwsOptions;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetOptions;
import dev.gatelink.target.TrustMaterial;
import dev.gatelink.target.WrittenTargetOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The options of one ALB integration, where API Gateway has no field. In code, build them with
 * {@link #builder()} and pass them to {@code Integration.Builder.targetOptions}; in an OpenAPI file, write
 * them as the operation's {@code x-gatelink-target}:
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
 *       health, and send each request straight to a healthy target, as the load balancer would</td>
 *       <td>{@code false}</td></tr>
 *   <tr><td>{@code trustedCertificates}</td><td>PEM files of the CAs that sign the listener's (or the
 *       targets') certificates, comma-separated, instead of the gateway's trust</td><td>the gateway's</td></tr>
 *   <tr><td>{@code refreshIntervalMillis}</td><td>how often the listener (and its rules) are described
 *       again</td><td>the provider's, 60,000</td></tr>
 * </table>
 *
 * <p>Immutable; equal when they set the same options.
 */
public final class AlbOptions implements TargetOptions {
  static final String REGION = "region";
  static final String ROLE_ARN = "roleArn";
  static final String EXTERNAL_ID = "externalId";
  static final String ROLE_SESSION_NAME = "roleSessionName";
  static final String LOAD_BALANCING = "loadBalancing";
  static final String IN_PROCESS_RULES = "inProcessRules";
  static final String TRUSTED_CERTIFICATES = "trustedCertificates";
  static final String REFRESH_INTERVAL = "refreshIntervalMillis";
  private static final List<String> NAMES = List.of(REGION, ROLE_ARN, EXTERNAL_ID, ROLE_SESSION_NAME, LOAD_BALANCING,
      IN_PROCESS_RULES, TRUSTED_CERTIFICATES, REFRESH_INTERVAL);
  private static final AlbOptions DEFAULTS = builder().build();

  private final @Nullable String region;
  private final @Nullable String roleArn;
  private final @Nullable String externalId;
  private final @Nullable String roleSessionName;
  private final LoadBalancing loadBalancing;
  private final boolean inProcessRules;
  private final List<Path> trustedCertificates;
  private final @Nullable Duration refreshInterval;

  private AlbOptions(Builder builder) {
    this.region = builder.region;
    this.roleArn = builder.roleArn;
    this.externalId = builder.externalId;
    this.roleSessionName = builder.roleSessionName;
    this.loadBalancing = builder.loadBalancing;
    this.inProcessRules = builder.inProcessRules;
    this.trustedCertificates = List.copyOf(builder.trustedCertificates);
    this.refreshInterval = builder.refreshInterval;
  }

  /** {@return a builder with every option at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these options} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.region = region;
    builder.roleArn = roleArn;
    builder.externalId = externalId;
    builder.roleSessionName = roleSessionName;
    builder.loadBalancing = loadBalancing;
    builder.inProcessRules = inProcessRules;
    builder.trustedCertificates.addAll(trustedCertificates);
    builder.refreshInterval = refreshInterval;
    return builder;
  }

  /**
   * {@return the options of an integration: these, or those written in a file read into the ALB's}
   *
   * @param options the integration's target options
   * @throws TargetOptionException naming the first option that is unknown or not valid
   * @throws IllegalArgumentException if they are another provider's typed options
   */
  static AlbOptions of(TargetOptions options) {
    if (options instanceof AlbOptions alb) {
      return alb;
    }
    if (options instanceof WrittenTargetOptions written) {
      return written.isEmpty() ? DEFAULTS : parse(written.asMap());
    }
    throw new IllegalArgumentException("target options " + options + " (" + options.getClass().getSimpleName()
        + ") are not an ALB integration's: expected AlbOptions");
  }

  /**
   * Reads options as a file writes them.
   *
   * @throws TargetOptionException naming the first option that is unknown or not valid
   */
  static AlbOptions parse(Map<String, String> options) {
    Builder builder = builder();
    String roleArn = null;
    String externalId = null;
    for (Map.Entry<String, String> option : options.entrySet()) {
      String name = option.getKey();
      String value = option.getValue();
      try {
        switch (name) {
          case REGION:
            builder.region(value);
            break;
          case ROLE_ARN:
            AwsOptions.builder().assumeRole(value, null);
            roleArn = value;
            break;
          case EXTERNAL_ID:
            AwsOptions.builder().assumeRole("arn:aws:iam::000000000000:role/check", value);
            externalId = value;
            break;
          case ROLE_SESSION_NAME:
            builder.roleSessionName(value);
            break;
          case LOAD_BALANCING:
            try {
              builder.loadBalancing(LoadBalancing.of(value));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(LOAD_BALANCING + " " + e.getMessage(), e);
            }
            break;
          case IN_PROCESS_RULES:
            if (!value.equals("true") && !value.equals("false")) {
              throw new IllegalArgumentException(IN_PROCESS_RULES + " '" + value + "' is not valid: expected true "
                  + "or false");
            }
            builder.inProcessRules(Boolean.parseBoolean(value));
            break;
          case TRUSTED_CERTIFICATES:
            for (String path : value.split(",", -1)) {
              if (path.isBlank()) {
                throw new IllegalArgumentException(TRUSTED_CERTIFICATES + " '" + value + "' has an empty path: "
                    + "expected PEM file paths separated by commas");
              }
              builder.trustedCertificate(Path.of(path.strip()));
            }
            break;
          case REFRESH_INTERVAL:
            if (!value.matches("[0-9]{1,9}") || Long.parseLong(value) < 1) {
              throw new IllegalArgumentException(REFRESH_INTERVAL + " '" + value + "' is not valid: expected a whole "
                  + "number of milliseconds from 1 to 999999999");
            }
            builder.refreshInterval(Duration.ofMillis(Long.parseLong(value)));
            break;
          default:
            throw new IllegalArgumentException("unknown target option '" + name + "': expected "
                + String.join(", ", NAMES.subList(0, NAMES.size() - 1)) + " or " + NAMES.get(NAMES.size() - 1));
        }
      } catch (TargetOptionException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new TargetOptionException(name, e.getMessage());
      }
    }
    if (roleArn != null) {
      builder.assumeRole(roleArn, externalId);
    } else if (externalId != null) {
      throw new TargetOptionException(EXTERNAL_ID, "externalId is given without roleArn: expected the role it is "
          + "for");
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new TargetOptionException(ROLE_SESSION_NAME, e.getMessage());
    }
  }

  @Override
  public Map<String, String> asMap() {
    Map<String, String> options = new LinkedHashMap<>();
    putIfSet(options, REGION, region);
    putIfSet(options, ROLE_ARN, roleArn);
    putIfSet(options, EXTERNAL_ID, externalId);
    putIfSet(options, ROLE_SESSION_NAME, roleSessionName);
    if (loadBalancing != LoadBalancing.ROUND_ROBIN) {
      options.put(LOAD_BALANCING, loadBalancing.text());
    }
    if (inProcessRules) {
      options.put(IN_PROCESS_RULES, "true");
    }
    if (!trustedCertificates.isEmpty()) {
      List<String> paths = new ArrayList<>();
      trustedCertificates.forEach(path -> paths.add(path.toString()));
      options.put(TRUSTED_CERTIFICATES, String.join(",", paths));
    }
    putIfSet(options, REFRESH_INTERVAL, refreshInterval == null ? null : Long.toString(refreshInterval.toMillis()));
    return Collections.unmodifiableMap(options);
  }

  /** {@return the region option, or null} */
  public @Nullable String region() {
    return region;
  }

  /** {@return the role assumed for this integration's ELBv2 calls, or null} */
  public @Nullable String roleArn() {
    return roleArn;
  }

  /** {@return how requests spread over the load balancer's addresses (or, with in-process rules, its targets)} */
  public LoadBalancing loadBalancing() {
    return loadBalancing;
  }

  /** {@return whether the listener's rules are applied in process} */
  public boolean inProcessRules() {
    return inProcessRules;
  }

  /** {@return the PEM files trusted instead of the gateway's trust, or empty} */
  public List<Path> trustedCertificates() {
    return trustedCertificates;
  }

  /** {@return this integration's listener refresh interval, or null for the provider's} */
  public @Nullable Duration refreshInterval() {
    return refreshInterval;
  }

  /** {@return the trust material of the trusted certificates, or null for the gateway's} */
  @Nullable TrustMaterial trust() {
    return trustedCertificates.isEmpty() ? null : TrustMaterial.pem(trustedCertificates);
  }

  /** {@return this integration's own AWS options (region and role), over the provider's} */
  AwsOptions aws() {
    AwsOptions.Builder aws = AwsOptions.builder().region(region);
    if (roleArn != null) {
      aws.assumeRole(roleArn, externalId);
      if (roleSessionName != null) {
        aws.roleSessionName(roleSessionName);
      }
    }
    return aws.build();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AlbOptions that && asMap().equals(that.asMap());
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

  /** Builds {@link AlbOptions}; each setter checks its value, {@link #build()} the combination. */
  public static final class Builder {
    private @Nullable String region;
    private @Nullable String roleArn;
    private @Nullable String externalId;
    private @Nullable String roleSessionName;
    private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;
    private boolean inProcessRules;
    private final List<Path> trustedCertificates = new ArrayList<>();
    private @Nullable Duration refreshInterval;

    private Builder() {}

    /**
     * Sets the region; it must be the listener ARN's.
     *
     * @param region a region name such as {@code eu-west-1}
     * @return this builder
     */
    public Builder region(String region) {
      AwsOptions.builder().region(Objects.requireNonNull(region, "region"));
      this.region = region;
      return this;
    }

    /**
     * Describes the listener with the credentials of a role assumed with STS (a listener in another account).
     *
     * @param roleArn the role, {@code arn:aws:iam::ACCOUNT:role/NAME}
     * @param externalId the external id the role's trust policy asks for, or null
     * @return this builder
     */
    public Builder assumeRole(String roleArn, @Nullable String externalId) {
      AwsOptions.builder().assumeRole(roleArn, externalId);
      this.roleArn = roleArn;
      this.externalId = externalId;
      return this;
    }

    /**
     * Sets the session name the role is assumed with.
     *
     * @param name 2 to 64 letters, digits or {@code +=,.@-_}
     * @return this builder
     */
    public Builder roleSessionName(String name) {
      AwsOptions.builder().roleSessionName(name);
      this.roleSessionName = name;
      return this;
    }

    /**
     * Sets how requests spread over the load balancer's addresses (with in-process rules, a target group's own
     * algorithm applies to its targets).
     *
     * @param loadBalancing the algorithm
     * @return this builder
     */
    public Builder loadBalancing(LoadBalancing loadBalancing) {
      this.loadBalancing = Objects.requireNonNull(loadBalancing, "loadBalancing");
      return this;
    }

    /**
     * Applies the listener's rules in process (off by default): requests go straight to a healthy target of
     * the target group a rule picks, skipping the load balancer.
     *
     * @param inProcessRules true to apply them
     * @return this builder
     */
    public Builder inProcessRules(boolean inProcessRules) {
      this.inProcessRules = inProcessRules;
      return this;
    }

    /**
     * Trusts the CA certificates of a PEM file for this integration's TLS (instead of the gateway's trust).
     *
     * @param pem the file
     * @return this builder
     */
    public Builder trustedCertificate(Path pem) {
      this.trustedCertificates.add(Objects.requireNonNull(pem, "pem"));
      return this;
    }

    /**
     * Sets how often the listener (and its rules) are described again.
     *
     * @param interval 1 ms to 999999999 ms
     * @return this builder
     */
    public Builder refreshInterval(Duration interval) {
      if (interval.toMillis() < 1 || interval.toMillis() > 999_999_999L) {
        throw new IllegalArgumentException(REFRESH_INTERVAL + " " + interval.toMillis() + " is out of range: "
            + "expected 1 to 999999999 milliseconds");
      }
      this.refreshInterval = Duration.ofMillis(interval.toMillis());
      return this;
    }

    /**
     * Checks the combination and builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException if a session name is given without a role
     */
    public AlbOptions build() {
      if (roleArn == null && roleSessionName != null) {
        throw new IllegalArgumentException("roleSessionName is given without roleArn: expected the role it is for");
      }
      return new AlbOptions(this);
    }
  }
}
