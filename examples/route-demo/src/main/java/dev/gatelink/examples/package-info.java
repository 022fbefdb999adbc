/**
 * Runnable Gatelink examples.
 *
 * <p>Starting points: {@link dev.gatelink.examples.RouteMatchDemo}, which builds a route table and prints how
 * sample requests match (the README's run command). The standalone gateway, a Vert.x app and a Spring Boot
 * app come with later issues.
 */
@NullMarked
package dev.gatelink.examples;

import org.jspecify.annotations.NullMarked;
