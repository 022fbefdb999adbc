package dev.gatelink.gateway.internal;

import dev.gatelink.filter.GatewayFilter;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.TargetProvider;
import io.vertx.core.http.HttpClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway's builder collected, for the engine.
 *
 * @param providers target providers registered in code, asked first
 * @param overrides {@code --resolve}-style endpoint overrides
 * @param clientOptions TLS and connect options toward backends
 * @param maxConnectionsPerEndpoint pool size per endpoint and event loop
 * @param maxRequestBodyBytes request body limit
 * @param via the {@code Via} element added toward backends
 * @param backendIdleTimeout how long an idle backend connection is kept
 * @param apiId the API's id for {@code $context.apiId}, or null
 * @param accountId the account id for {@code $context.accountId}, or null
 * @param filters filters for every route, in order
 * @param routeFilters filters per route key text, in order, after the gateway's
 */
public record EngineSettings(
    List<TargetProvider> providers,
    Map<String, Endpoint> overrides,
    HttpClientOptions clientOptions,
    int maxConnectionsPerEndpoint,
    long maxRequestBodyBytes,
    String via,
    Duration backendIdleTimeout,
    @Nullable String apiId,
    @Nullable String accountId,
    List<GatewayFilter> filters,
    Map<String, List<GatewayFilter>> routeFilters) {
  /** API Gateway's limit on the request line and header values together: 10,240 bytes. */
  public static final int MAX_REQUEST_LINE_AND_HEADER_BYTES = 10_240;

  /** Copies the collections. */
  public EngineSettings {
    providers = List.copyOf(providers);
    overrides = Map.copyOf(overrides);
    clientOptions = new HttpClientOptions(clientOptions);
    filters = List.copyOf(filters);
    routeFilters = Map.copyOf(routeFilters);
  }
}
