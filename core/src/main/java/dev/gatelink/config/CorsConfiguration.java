package dev.gatelink.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An API's CORS configuration ({@code x-amazon-apigateway-cors}, {@code CorsConfiguration}): the gateway
 * answers preflight requests that no route takes, and adds the CORS headers to every other answer for an
 * allowed origin (see docs/architecture.md for the choices made where AWS is silent).
 *
 * @param allowOrigins origins allowed, such as {@code https://www.example.com}, {@code *} or {@code https://*}
 * @param allowCredentials whether {@code Access-Control-Allow-Credentials: true} is sent
 * @param exposeHeaders headers browsers may read
 * @param maxAge seconds a preflight answer may be cached, -1 to 86400, or null when not set
 * @param allowMethods methods allowed
 * @param allowHeaders request headers allowed
 */
public record CorsConfiguration(
    List<String> allowOrigins,
    boolean allowCredentials,
    List<String> exposeHeaders,
    @Nullable Integer maxAge,
    List<String> allowMethods,
    List<String> allowHeaders) {

  /**
   * Checks the configuration as API Gateway does.
   *
   * @param allowOrigins origins allowed
   * @param allowCredentials whether credentials are allowed
   * @param exposeHeaders headers browsers may read
   * @param maxAge preflight cache time in seconds, or null
   * @param allowMethods methods allowed
   * @param allowHeaders request headers allowed
   * @throws InvalidConfigException if {@code maxAge} is out of range or credentials are allowed for every origin
   */
  public CorsConfiguration {
    allowOrigins = List.copyOf(allowOrigins);
    exposeHeaders = List.copyOf(exposeHeaders);
    allowMethods = List.copyOf(allowMethods);
    allowHeaders = List.copyOf(allowHeaders);
    if (maxAge != null && (maxAge < -1 || maxAge > 86_400)) {
      throw new InvalidConfigException("maxAge " + maxAge + " is out of range: expected -1 to 86400");
    }
    if (allowCredentials && allowOrigins.contains("*")) {
      throw new InvalidConfigException(
          "allowCredentials is true and allowOrigins has '*': allow-credentials is not supported if 'allow-origin' is *");
    }
  }
}
