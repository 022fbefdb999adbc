/**
 * The API Gateway HTTP API route model and its compiled matcher.
 *
 * <p>Starting points: {@link dev.gatelink.route.RouteTable#builder()} to declare routes by their route keys
 * ({@code GET /orders/{id}}, {@code ANY /{proxy+}}, {@code $default}), and
 * {@link dev.gatelink.route.RouteTable#match(String, String)} to pick the route of a request, which
 * returns a {@link dev.gatelink.route.RouteMatch} with the decoded path parameters.
 */
@NullMarked
package dev.gatelink.route;

import org.jspecify.annotations.NullMarked;
