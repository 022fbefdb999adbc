package dev.gatelink.gateway.internal;

import dev.gatelink.filter.FilterExchange;
import dev.gatelink.filter.FilterResult;
import dev.gatelink.filter.GatewayFilter;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * The API's CORS configuration as a filter (spec sections 1.7 and 1.8). Request step: a preflight that no
 * route takes (route matching runs first, so an {@code OPTIONS} route or {@code $default} takes it) is
 * answered by the gateway. Response step: the integration's {@code access-control-*} headers are removed and
 * an allowed origin gets the configured ones, on proxied responses and on the gateway's own answers alike.
 */
final class CorsFilter implements GatewayFilter {
  private final CorsPolicy policy;

  CorsFilter(CorsPolicy policy) {
    this.policy = policy;
  }

  @Override
  public FilterResult onRequest(FilterExchange exchange) {
    if (!answersPreflight(exchange)) {
      return FilterResult.proceed();
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    int status = policy.preflight(exchange.clientRequest().headers(), headers);
    return FilterResult.respond(status, headers, null);
  }

  @Override
  public void onResponse(FilterExchange exchange) {
    if (answersPreflight(exchange)) {
      return;
    }
    policy.addResponseHeaders(exchange.clientRequest().getHeader(CorsPolicy.ORIGIN), exchange.responseHeaders());
  }

  /** A preflight no route took: the gateway answers it, and its answer already has its headers. */
  private boolean answersPreflight(FilterExchange exchange) {
    if (exchange.routeKey() != null) {
      return false;
    }
    HttpServerRequest request = exchange.clientRequest();
    return policy.isPreflight(request.method().name(), request.getHeader(CorsPolicy.ORIGIN),
        request.getHeader(CorsPolicy.REQUEST_METHOD));
  }

  @Override
  public String toString() {
    return "CorsFilter[" + policy + "]";
  }
}
