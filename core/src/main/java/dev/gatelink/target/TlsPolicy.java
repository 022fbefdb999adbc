package dev.gatelink.target;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How requests to a target's endpoints are secured: plain HTTP, or TLS with a server name sent as SNI and
 * verified against the endpoint's certificate (a fixed name, such as an integration's
 * {@code tlsConfig.serverNameToVerify}, or the request's {@code Host}), trusting the gateway's certificates or
 * the target's own {@link TrustMaterial}. Verification cannot be turned off here.
 */
public final class TlsPolicy {
  /** Where the TLS server name comes from. */
  public enum Mode {
    /** Plain HTTP. */
    NONE,
    /** TLS, with a fixed name. */
    FIXED_NAME,
    /** TLS, with the name in the request's {@code Host} header (without its port). */
    REQUEST_HOST
  }

  private static final TlsPolicy NONE = new TlsPolicy(Mode.NONE, null, null);

  private final Mode mode;
  private final @Nullable String serverName;
  private final @Nullable TrustMaterial trust;

  private TlsPolicy(Mode mode, @Nullable String serverName, @Nullable TrustMaterial trust) {
    this.mode = mode;
    this.serverName = serverName;
    this.trust = trust;
  }

  /** {@return plain HTTP} */
  public static TlsPolicy none() {
    return NONE;
  }

  /**
   * TLS with a fixed name, sent as SNI and verified against the certificate.
   *
   * @param serverName a DNS name, such as {@code orders.example.com}
   * @return the policy
   */
  public static TlsPolicy verify(String serverName) {
    Objects.requireNonNull(serverName, "serverName");
    if (serverName.isEmpty()) {
      throw new IllegalArgumentException("TLS server name is empty: expected a DNS name");
    }
    return new TlsPolicy(Mode.FIXED_NAME, serverName, null);
  }

  /** {@return TLS with the request's {@code Host} (without its port) as SNI and verification name} */
  public static TlsPolicy verifyRequestHost() {
    return new TlsPolicy(Mode.REQUEST_HOST, null, null);
  }

  /**
   * Plain HTTP for a null name, else {@link #verify(String)}: how an integration's optional
   * {@code serverNameToVerify} reads.
   *
   * @param serverName the name, or null
   * @return the policy
   */
  public static TlsPolicy ofNullable(@Nullable String serverName) {
    return serverName == null ? NONE : verify(serverName);
  }

  /**
   * This policy, trusting only the given certificates.
   *
   * @param trust the certificates, or null for the gateway's
   * @return the policy
   * @throws IllegalStateException for plain HTTP, which trusts nothing
   */
  public TlsPolicy withTrust(@Nullable TrustMaterial trust) {
    if (mode == Mode.NONE && trust != null) {
      throw new IllegalStateException("trust material " + trust + " is given for plain HTTP: expected TLS");
    }
    return trust == this.trust ? this : new TlsPolicy(mode, serverName, trust);
  }

  /** {@return where the server name comes from} */
  public Mode mode() {
    return mode;
  }

  /** {@return whether requests speak TLS} */
  public boolean tls() {
    return mode != Mode.NONE;
  }

  /** {@return the fixed name, or null unless the mode is {@link Mode#FIXED_NAME}} */
  public @Nullable String serverName() {
    return serverName;
  }

  /** {@return the certificates trusted instead of the gateway's, or null} */
  public @Nullable TrustMaterial trust() {
    return trust;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof TlsPolicy that && mode == that.mode && Objects.equals(serverName, that.serverName)
        && Objects.equals(trust, that.trust);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, serverName, trust);
  }

  @Override
  public String toString() {
    switch (mode) {
      case NONE:
        return "plain HTTP";
      case FIXED_NAME:
        return "TLS verifying " + serverName + (trust == null ? "" : " against " + trust);
      default:
        return "TLS verifying the request's Host" + (trust == null ? "" : " against " + trust);
    }
  }
}
