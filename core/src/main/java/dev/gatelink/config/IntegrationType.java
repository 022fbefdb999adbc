package dev.gatelink.config;

/** The kinds of integration Gatelink serves. */
public enum IntegrationType {
  /** API Gateway's {@code HTTP_PROXY}: the whole request goes to an HTTP backend and its response comes back. */
  HTTP_PROXY
}
