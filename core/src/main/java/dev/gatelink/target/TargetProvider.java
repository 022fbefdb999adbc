package dev.gatelink.target;

import org.jspecify.annotations.Nullable;

/**
 * Turns integration uris of one kind (URLs, ALB or NLB listener ARNs, Cloud Map service ARNs) into targets.
 *
 * <p>A provider claims a uri by returning a target, or declines by returning null; the gateway asks each
 * provider in turn, and a uri that nobody claims is a configuration error that lists who was asked and what
 * each accepts. Providers are found with {@link java.util.ServiceLoader} (register the class in
 * {@code META-INF/services/dev.gatelink.target.TargetProvider}) and can be added in code on the gateway's
 * builder. Implementations must be thread-safe and have a public no-argument constructor when loaded as a
 * service.
 */
public interface TargetProvider {
  /** {@return a short name for error messages and logs, such as {@code url} or {@code cloudmap}} */
  String name();

  /** {@return what uris this provider claims, for error messages, such as {@code http:// and https:// URLs}} */
  String accepts();

  /**
   * Creates the target for a uri, or declines it.
   *
   * @param spec the integration uri and what goes with it
   * @param context the gateway's Vert.x instance, address overrides and settings
   * @return a target, not yet started, or null if this provider does not handle this uri
   * @throws IllegalArgumentException if the provider handles uris of this kind but this one is malformed; the
   *     message says what is wrong
   */
  @Nullable Target create(TargetSpec spec, TargetContext context);
}
