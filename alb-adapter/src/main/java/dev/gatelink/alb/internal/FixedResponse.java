package dev.gatelink.alb.internal;

import org.jspecify.annotations.Nullable;

/**
 * A {@code fixed-response} action: the load balancer answers itself.
 *
 * @param statusCode the status, 2XX, 4XX or 5XX
 * @param contentType the {@code Content-Type}, one of {@code text/plain}, {@code text/css}, {@code text/html},
 *     {@code application/javascript} and {@code application/json}; null when the rule gives none
 * @param messageBody the body, at most 1024 characters; null when the rule gives none
 */
public record FixedResponse(int statusCode, @Nullable String contentType, @Nullable String messageBody)
    implements RuleAction {}
