package dev.gatelink.config;

/** How API Gateway reaches an integration: over the internet, or through a VPC link to a private target. */
public enum ConnectionType {
  /**
   * A public URL ({@code http://} or {@code https://}). The backend gets the integration uri's path (with
   * path variables, {@code {proxy}} and stage variables substituted), its Host header is the uri's
   * authority, and TLS follows the uri's scheme.
   */
  INTERNET,
  /**
   * A private integration: an ALB or NLB listener ARN or a Cloud Map service ARN (or a Gatelink shorthand a
   * target provider claims). The backend gets the request path with its stage segment and the client's Host
   * header; TLS is used only when {@link Integration#serverNameToVerify()} is set.
   */
  VPC_LINK
}
