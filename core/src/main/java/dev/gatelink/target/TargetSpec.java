package dev.gatelink.target;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a provider is asked to create a target for: one integration of one stage.
 *
 * @param uri the integration uri, with the stage's variables substituted
 * @param privateIntegration true for a {@code VPC_LINK} integration, false for an {@code INTERNET} one
 * @param connectionId the VPC link id of a private integration, or null
 * @param serverNameToVerify the integration's {@code tlsConfig.serverNameToVerify}, or null
 */
public record TargetSpec(
    String uri, boolean privateIntegration, @Nullable String connectionId, @Nullable String serverNameToVerify) {
  /**
   * Checks that the uri is present.
   *
   * @param uri the integration uri
   * @param privateIntegration whether it is a private integration
   * @param connectionId the VPC link id, or null
   * @param serverNameToVerify the TLS name, or null
   */
  public TargetSpec {
    Objects.requireNonNull(uri, "uri");
  }
}
