package dev.gatelink.target;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a provider is asked to create a target for: one integration of one stage.
 *
 * @param uri the integration uri, with the stage's variables substituted
 * @param privateIntegration true for a {@code VPC_LINK} integration, false for an {@code INTERNET} one
 * @param connectionId the VPC link id of a private integration, or null
 * @param serverNameToVerify the integration's {@code tlsConfig.serverNameToVerify}, or null
 * @param options the integration's target options (in an OpenAPI file, {@code x-gatelink-target}), in their
 *     given order; a provider refuses, with {@link IllegalArgumentException}, any it does not know
 */
public record TargetSpec(String uri, boolean privateIntegration, @Nullable String connectionId,
    @Nullable String serverNameToVerify, Map<String, String> options) {
  /**
   * Checks that the uri is present and copies the options.
   *
   * @param uri the integration uri
   * @param privateIntegration whether it is a private integration
   * @param connectionId the VPC link id, or null
   * @param serverNameToVerify the TLS name, or null
   * @param options the target options
   */
  public TargetSpec {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(options, "options");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /**
   * A spec without target options.
   *
   * @param uri the integration uri
   * @param privateIntegration whether it is a private integration
   * @param connectionId the VPC link id, or null
   * @param serverNameToVerify the TLS name, or null
   */
  public TargetSpec(String uri, boolean privateIntegration, @Nullable String connectionId,
      @Nullable String serverNameToVerify) {
    this(uri, privateIntegration, connectionId, serverNameToVerify, Map.of());
  }
}
