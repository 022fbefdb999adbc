/**
 * The gateway's request pipeline as filters see it: {@link dev.gatelink.filter.GatewayFilter} (request,
 * response-head and completion steps), {@link dev.gatelink.filter.ExchangeContext} (API Gateway's
 * {@code $context}), and {@link dev.gatelink.filter.GatewayFailure} (the gateway's own answers).
 *
 * <p>Starting points: implement {@code GatewayFilter} and add it with {@code Gateway.Builder.filter}.
 */
@NullMarked
package dev.gatelink.filter;

import org.jspecify.annotations.NullMarked;
