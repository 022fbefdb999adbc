/**
 * The gateway: an API Gateway HTTP API served in-process on Vert.x, forwarding each request to its route's
 * integration.
 *
 * <p>Starting points: {@link dev.gatelink.config.ApiDefinition#builder()} to declare routes,
 * {@link dev.gatelink.config.Integration}s and {@link dev.gatelink.config.Stage}s in code (or
 * {@code dev.gatelink.openapi.OpenApiLoader} to load them from an OpenAPI file), then
 * {@code Gateway.builder(vertx, api)} to serve them as a
 * {@code Handler<HttpServerRequest>}, on a server made by {@code gateway.createHttpServer(options)} with the
 * limits of {@link dev.gatelink.gateway.FrontDoorOptions} on its clients.
 */
@NullMarked
package dev.gatelink.gateway;

import org.jspecify.annotations.NullMarked;
