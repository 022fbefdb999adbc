/**
 * The standalone runner: serves an OpenAPI file, or a built-in demo, as an Amazon API Gateway HTTP API.
 *
 * <p>Starting points: {@link dev.gatelink.examples.gateway.GatewayMain}, the executable jar's main class, and its
 * command line in {@code examples/gateway/README.md}.
 */
@NullMarked
package dev.gatelink.examples.gateway;

import org.jspecify.annotations.NullMarked;
