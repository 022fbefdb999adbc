package dev.gatelink.aws;

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
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The options every load balancer listener integration has (ALB's {@code AlbOptions}, NLB's {@code NlbOptions}),
 * their builder and the reading of them as a file writes them ({@code x-gatelink-target}): the region, a role to
 * assume, how requests spread, the certificates to trust, and how often the listener is described. A subclass adds
 * its own flags, options written {@code true} or {@code false}, default false (its in-process routing), which it
 * names to its builder ({@link Builder#Builder(String...)}) and reads with {@link #flag(String)}.
 *
 * <table>
 *   <caption>Options of every listener integration</caption>
 *   <tr><th>option</th><th>values</th><th>default</th></tr>
 *   <tr><td>{@code region}</td><td>must be the listener ARN's region when given (the ARN says where the load
 *       balancer is)</td><td>the ARN's</td></tr>
 *   <tr><td>{@code roleArn}, {@code externalId}, {@code roleSessionName}</td><td>a role to assume with STS for
 *       this integration's ELBv2 (and EC2) calls: a listener in another account</td><td>none; session
 *       {@code gatelink}</td></tr>
 *   <tr><td>{@code loadBalancing}</td><td>how requests spread: {@code round_robin},
 *       {@code least_outstanding_requests}, {@code weighted_random}</td><td>{@code round_robin}</td></tr>
 *   <tr><td>{@code trustedCertificates}</td><td>PEM files of the CAs to trust for this integration's TLS,
 *       comma-separated, instead of the gateway's trust</td><td>the gateway's</td></tr>
 *   <tr><td>{@code refreshIntervalMillis}</td><td>how often the listener (and what in-process routing reads) is
 *       described again</td><td>the provider's, 60,000</td></tr>
 * </table>
 *
 * <p>Immutable; equal when they are of the same class and set the same options.
 */
public abstract class ElbListenerOptions implements TargetOptions {
  static final String REGION = "region";
  static final String ROLE_ARN = "roleArn";
  static final String EXTERNAL_ID = "externalId";
  static final String ROLE_SESSION_NAME = "roleSessionName";
  static final String LOAD_BALANCING = "loadBalancing";
  static final String TRUSTED_CERTIFICATES = "trustedCertificates";
  static final String REFRESH_INTERVAL = "refreshIntervalMillis";

  private final @Nullable String region;
  private final @Nullable String roleArn;
  private final @Nullable String externalId;
  private final @Nullable String roleSessionName;
  private final LoadBalancing loadBalancing;
  private final List<Path> trustedCertificates;
  private final @Nullable Duration refreshInterval;
  /** The subclass's flags, by name, in the order it named them. */
  private final Map<String, Boolean> flags;

  /**
   * Takes the options from a subclass's builder, checking their combination.
   *
   * @param builder the builder
   * @throws IllegalArgumentException if a session name is given without a role
   */
  protected ElbListenerOptions(Builder<?, ?> builder) {
    if (builder.roleArn == null && builder.roleSessionName != null) {
      throw new IllegalArgumentException("roleSessionName is given without roleArn: expected the role it is for");
    }
    this.region = builder.region;
    this.roleArn = builder.roleArn;
    this.externalId = builder.externalId;
    this.roleSessionName = builder.roleSessionName;
    this.loadBalancing = builder.loadBalancing;
    this.trustedCertificates = List.copyOf(builder.trustedCertificates);
    this.refreshInterval = builder.refreshInterval;
    this.flags = Collections.unmodifiableMap(new LinkedHashMap<>(builder.flags));
  }

  /**
   * {@return the value of one of the subclass's flags}
   *
   * @param name the flag's name, as the subclass named it to its builder
   * @throws IllegalArgumentException if the subclass has no such flag
   */
  protected final boolean flag(String name) {
    Boolean value = flags.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no flag '" + name + "': expected one of " + flags.keySet());
    }
    return value;
  }

  /**
   * {@return an integration's options: these if they are of the type, else those written in a file read into it}
   *
   * @param options the integration's target options
   * @param type the subclass
   * @param builder makes an empty builder of the subclass
   * @param <O> the subclass
   * @throws TargetOptionException naming the first written option that is unknown or not valid
   * @throws IllegalArgumentException if they are another provider's typed options
   */
  protected static <O extends ElbListenerOptions> O of(TargetOptions options, Class<O> type,
      Supplier<? extends Builder<?, O>> builder) {
    if (type.isInstance(options)) {
      return type.cast(options);
    }
    if (options instanceof WrittenTargetOptions written) {
      return parse(written.asMap(), builder.get());
    }
    throw new IllegalArgumentException("target options " + options + " (" + options.getClass().getSimpleName()
        + ") are not a listener integration's: expected " + type.getSimpleName());
  }

  /** Reads options as a file writes them, naming the first that is unknown or not valid. */
  private static <O extends ElbListenerOptions> O parse(Map<String, String> options, Builder<?, O> builder) {
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
            if (!builder.flags.containsKey(name)) {
              List<String> names = names(builder.flags.keySet());
              throw new IllegalArgumentException("unknown target option '" + name + "': expected "
                  + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1));
            }
            if (!value.equals("true") && !value.equals("false")) {
              throw new IllegalArgumentException(name + " '" + value + "' is not valid: expected true or false");
            }
            builder.flag(name, Boolean.parseBoolean(value));
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

  /** Every option's name, in the order {@code x-gatelink-target} lists them: the flags after loadBalancing. */
  private static List<String> names(Iterable<String> flags) {
    List<String> names = new ArrayList<>(List.of(REGION, ROLE_ARN, EXTERNAL_ID, ROLE_SESSION_NAME, LOAD_BALANCING));
    flags.forEach(names::add);
    names.add(TRUSTED_CERTIFICATES);
    names.add(REFRESH_INTERVAL);
    return names;
  }

  @Override
  public final Map<String, String> asMap() {
    Map<String, String> options = new LinkedHashMap<>();
    putIfSet(options, REGION, region);
    putIfSet(options, ROLE_ARN, roleArn);
    putIfSet(options, EXTERNAL_ID, externalId);
    putIfSet(options, ROLE_SESSION_NAME, roleSessionName);
    if (loadBalancing != LoadBalancing.ROUND_ROBIN) {
      options.put(LOAD_BALANCING, loadBalancing.text());
    }
    flags.forEach((name, set) -> {
      if (set) {
        options.put(name, "true");
      }
    });
    if (!trustedCertificates.isEmpty()) {
      List<String> paths = new ArrayList<>();
      trustedCertificates.forEach(path -> paths.add(path.toString()));
      options.put(TRUSTED_CERTIFICATES, String.join(",", paths));
    }
    putIfSet(options, REFRESH_INTERVAL, refreshInterval == null ? null : Long.toString(refreshInterval.toMillis()));
    return Collections.unmodifiableMap(options);
  }

  /** {@return the region option, or null} */
  public final @Nullable String region() {
    return region;
  }

  /** {@return the role assumed for this integration's ELBv2 (and EC2) calls, or null} */
  public final @Nullable String roleArn() {
    return roleArn;
  }

  /** {@return the external id the role is assumed with, or null} */
  public final @Nullable String externalId() {
    return externalId;
  }

  /** {@return the session name the role is assumed with, or null for {@value AwsOptions#DEFAULT_SESSION_NAME}} */
  public final @Nullable String roleSessionName() {
    return roleSessionName;
  }

  /**
   * {@return how requests spread over the load balancer's addresses (or, with in-process routing, over its
   * targets, as the subclass says)}
   */
  public final LoadBalancing loadBalancing() {
    return loadBalancing;
  }

  /** {@return the PEM files trusted instead of the gateway's trust, or empty} */
  public final List<Path> trustedCertificates() {
    return trustedCertificates;
  }

  /** {@return this integration's listener refresh interval, or null for the provider's} */
  public final @Nullable Duration refreshInterval() {
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
  public final boolean equals(@Nullable Object other) {
    return other != null && other.getClass() == getClass() && asMap().equals(((ElbListenerOptions) other).asMap());
  }

  @Override
  public final int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public final String toString() {
    return asMap().toString();
  }

  private static void putIfSet(Map<String, String> options, String name, @Nullable String value) {
    if (value != null) {
      options.put(name, value);
    }
  }

  /**
   * Builds a subclass of {@link ElbListenerOptions}: the shared options' setters, each checking its value; the
   * subclass adds its own and {@link #build()}.
   *
   * @param <B> the subclass's builder
   * @param <O> the options it builds
   */
  public abstract static class Builder<B extends Builder<B, O>, O extends ElbListenerOptions> {
    private @Nullable String region;
    private @Nullable String roleArn;
    private @Nullable String externalId;
    private @Nullable String roleSessionName;
    private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;
    private final List<Path> trustedCertificates = new ArrayList<>();
    private @Nullable Duration refreshInterval;
    private final Map<String, Boolean> flags = new LinkedHashMap<>();

    /**
     * An empty builder: every option at its default.
     *
     * @param flags the names of the subclass's flags, in the order {@code x-gatelink-target} lists them (after
     *     {@code loadBalancing}); each is false until set
     */
    protected Builder(String... flags) {
      for (String flag : flags) {
        this.flags.put(flag, false);
      }
    }

    /**
     * A builder holding these options (for {@code toBuilder()}).
     *
     * @param from the options
     */
    protected Builder(ElbListenerOptions from) {
      this.flags.putAll(from.flags);
      this.region = from.region;
      this.roleArn = from.roleArn;
      this.externalId = from.externalId;
      this.roleSessionName = from.roleSessionName;
      this.loadBalancing = from.loadBalancing;
      this.trustedCertificates.addAll(from.trustedCertificates);
      this.refreshInterval = from.refreshInterval;
    }

    /** {@return this builder, as the subclass's type} */
    protected abstract B self();

    /**
     * Sets the region; it must be the listener ARN's.
     *
     * @param region a region name such as {@code eu-west-1}
     * @return this builder
     */
    public B region(String region) {
      AwsOptions.builder().region(Objects.requireNonNull(region, "region"));
      this.region = region;
      return self();
    }

    /**
     * Describes the listener with the credentials of a role assumed with STS (a listener in another account).
     *
     * @param roleArn the role, {@code arn:aws:iam::ACCOUNT:role/NAME}
     * @param externalId the external id the role's trust policy asks for, or null
     * @return this builder
     */
    public B assumeRole(String roleArn, @Nullable String externalId) {
      AwsOptions.builder().assumeRole(roleArn, externalId);
      this.roleArn = roleArn;
      this.externalId = externalId;
      return self();
    }

    /**
     * Sets the session name the role is assumed with.
     *
     * @param name 2 to 64 letters, digits or {@code +=,.@-_}
     * @return this builder
     */
    public B roleSessionName(String name) {
      AwsOptions.builder().roleSessionName(name);
      this.roleSessionName = name;
      return self();
    }

    /**
     * Sets how requests spread over the load balancer's addresses (with in-process routing, over its targets, as
     * the subclass says).
     *
     * @param loadBalancing the algorithm
     * @return this builder
     */
    public B loadBalancing(LoadBalancing loadBalancing) {
      this.loadBalancing = Objects.requireNonNull(loadBalancing, "loadBalancing");
      return self();
    }

    /**
     * Trusts the CA certificates of a PEM file for this integration's TLS (instead of the gateway's trust).
     *
     * @param pem the file
     * @return this builder
     */
    public B trustedCertificate(Path pem) {
      this.trustedCertificates.add(Objects.requireNonNull(pem, "pem"));
      return self();
    }

    /**
     * Sets how often the listener (and what in-process routing reads) is described again.
     *
     * @param interval 1 ms to 999999999 ms
     * @return this builder
     */
    public B refreshInterval(Duration interval) {
      if (interval.toMillis() < 1 || interval.toMillis() > 999_999_999L) {
        throw new IllegalArgumentException(REFRESH_INTERVAL + " " + interval.toMillis() + " is out of range: "
            + "expected 1 to 999999999 milliseconds");
      }
      this.refreshInterval = Duration.ofMillis(interval.toMillis());
      return self();
    }

    /**
     * Sets one of the subclass's flags.
     *
     * @param name the flag's name, as the subclass named it to this builder
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException if the subclass has no such flag
     */
    protected final B flag(String name, boolean value) {
      if (!flags.containsKey(name)) {
        throw new IllegalArgumentException("no flag '" + name + "': expected one of " + flags.keySet());
      }
      flags.put(name, value);
      return self();
    }

    /**
     * Checks the combination and builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException if a session name is given without a role
     */
    public abstract O build();
  }
}
