/**
 * The target SPI: how an integration uri becomes a set of endpoints that requests are sent to.
 *
 * <p>Starting points: {@link dev.gatelink.target.TargetProvider} claims a uri (or declines) and creates a
 * {@link dev.gatelink.target.Target}, which picks an {@link dev.gatelink.target.Endpoint} per request and
 * hears each request's {@link dev.gatelink.target.Outcome}. Providers are found with
 * {@link java.util.ServiceLoader} and can also be registered in code on the gateway's builder.
 */
@NullMarked
package dev.gatelink.target;

import org.jspecify.annotations.NullMarked;
