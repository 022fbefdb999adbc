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
 * @param options the integration's target options: the provider's own typed options, or
 *     {@link WrittenTargetOptions} from a file, which the provider reads into its own (refusing, with a
 *     {@link TargetOptionException}, any option it does not know)
 */
public record TargetSpec(String uri, boolean privateIntegration, @Nullable String connectionId,
    @Nullable String serverNameToVerify, TargetOptions options) {
  /**
   * Checks that the uri and the options are present.
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
    this(uri, privateIntegration, connectionId, serverNameToVerify, TargetOptions.none());
  }
}
