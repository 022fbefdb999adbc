/**
 * The route-matching demo.
 *
 * <p>Starting points: {@link dev.gatelink.examples.RouteMatchDemo}, which builds a route table and prints how
 * sample requests match. The standalone gateway is {@code dev.gatelink.examples.gateway.GatewayMain}, in
 * {@code examples/gateway}.
 */
@NullMarked
package dev.gatelink.examples;

import org.jspecify.annotations.NullMarked;
