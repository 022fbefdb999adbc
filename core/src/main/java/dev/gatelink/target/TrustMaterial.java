package dev.gatelink.target;

import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The certificates an integration trusts for its backends' TLS, instead of the gateway's: PEM files of CA
 * certificates, a JKS key store or a PKCS#12 one. Read when the gateway starts (on a worker thread), never per
 * request.
 */
public final class TrustMaterial {
  /** The kind of store. */
  public enum Kind {
    /** One or more PEM files of certificates. */
    PEM,
    /** A Java key store. */
    JKS,
    /** A PKCS#12 store. */
    PKCS12
  }

  private final Kind kind;
  private final List<Path> paths;
  private final @Nullable String password;

  private TrustMaterial(Kind kind, List<Path> paths, @Nullable String password) {
    this.kind = kind;
    this.paths = List.copyOf(paths);
    this.password = password;
  }

  /**
   * Trusts the certificates in PEM files.
   *
   * @param files one or more files of {@code CERTIFICATE} blocks
   * @return the trust material
   */
  public static TrustMaterial pem(List<Path> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no PEM file given: expected at least one file of CA certificates");
    }
    return new TrustMaterial(Kind.PEM, files, null);
  }

  /**
   * Trusts the certificates in a JKS store.
   *
   * @param file the store
   * @param password its password, or null
   * @return the trust material
   */
  public static TrustMaterial jks(Path file, @Nullable String password) {
    return new TrustMaterial(Kind.JKS, List.of(Objects.requireNonNull(file, "file")), password);
  }

  /**
   * Trusts the certificates in a PKCS#12 store.
   *
   * @param file the store
   * @param password its password, or null
   * @return the trust material
   */
  public static TrustMaterial pkcs12(Path file, @Nullable String password) {
    return new TrustMaterial(Kind.PKCS12, List.of(Objects.requireNonNull(file, "file")), password);
  }

  /** {@return the kind of store} */
  public Kind kind() {
    return kind;
  }

  /** {@return the files: the PEM files, or the one store} */
  public List<Path> paths() {
    return paths;
  }

  /** {@return the store's password, or null} */
  public @Nullable String password() {
    return password;
  }

  /** {@return these trust settings as Vert.x takes them} */
  public TrustOptions toTrustOptions() {
    switch (kind) {
      case JKS:
        return new JksOptions().setPath(paths.get(0).toString()).setPassword(password);
      case PKCS12:
        return new PfxOptions().setPath(paths.get(0).toString()).setPassword(password);
      default:
        PemTrustOptions pem = new PemTrustOptions();
        paths.forEach(path -> pem.addCertPath(path.toString()));
        return pem;
    }
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof TrustMaterial that && kind == that.kind && paths.equals(that.paths)
        && Objects.equals(password, that.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, paths, password);
  }

  @Override
  public String toString() {
    return kind + " " + paths;
  }
}
