package dev.gatelink.gateway.internal;

import dev.gatelink.route.RouteKey;
import dev.gatelink.route.RouteMatch;
import dev.gatelink.target.Target;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import dev.gatelink.internal.PathEncoding;
import dev.gatelink.internal.HttpUri;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;

/**
 * One route of one stage, compiled: its target, the method and timeout of the backend call, and how the
 * backend's request target (path and query) and Host header are made.
 */
final class RoutePlan {
  final String routeKey;
  final String stage;
  final Target target;
  final FilterChain chain;
  final boolean privateIntegration;
  final @Nullable HttpMethod method;
  final long timeoutMillis;
  /** Host header of an INTERNET integration: the uri's authority; null for private integrations (client's Host). */
  final @Nullable String hostHeader;
  /** The host put in the backend request options: TLS name, or the uri's host. */
  final @Nullable String uriHost;
  final int uriPort;
  private final boolean appendRequestPath;
  private final String basePath;
  /** Path template of an INTERNET integration: literal text at even indexes, variable names at odd ones. */
  private final String[] pieces;
  private final @Nullable String greedyVariable;
  private final @Nullable String uriQuery;

  RoutePlan(RouteKey key, String stage, Integration integration, String resolvedUri, Target target,
      FilterChain chain) {
    this.routeKey = key.text();
    this.stage = stage;
    this.target = target;
    this.chain = chain;
    this.privateIntegration = integration.connectionType() == ConnectionType.VPC_LINK;
    this.method = Integration.ANY_METHOD.equals(integration.method()) ? null : HttpMethod.valueOf(integration.method());
    this.timeoutMillis = integration.timeout().toMillis();
    this.greedyVariable = key.isGreedy() ? key.variableNames().get(key.variableNames().size() - 1) : null;
    if (privateIntegration) {
      this.hostHeader = null;
      this.uriHost = null;
      this.uriPort = -1;
      this.appendRequestPath = false;
      this.basePath = "";
      this.pieces = new String[0];
      this.uriQuery = null;
    } else {
      HttpUri uri = HttpUri.parse(resolvedUri);
      this.hostHeader = uri.authority();
      this.uriHost = uri.host();
      this.uriPort = uri.port();
      this.appendRequestPath = key.isDefault();
      String path = uri.path();
      this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      this.pieces = split(path);
      this.uriQuery = uri.query();
    }
  }

  /**
   * The request target (path and query) the backend gets.
   *
   * @param rawPath the request path as received, with the stage segment
   * @param routePath the request path without the stage segment (the one routes were matched on)
   * @param rawQuery the request's query as received, or null
   * @param match the route match, holding decoded path parameters
   */
  String backendUri(String rawPath, String routePath, @Nullable String rawQuery, RouteMatch<?> match) {
    if (privateIntegration) {
      return rawQuery == null ? rawPath : rawPath + '?' + rawQuery;
    }
    if (appendRequestPath && basePath.isEmpty() && uriQuery == null) {
      // A $default route to a uri without a path or query: the request's path and query as they are.
      return rawQuery == null ? routePath : routePath + '?' + rawQuery;
    }
    StringBuilder out = new StringBuilder(64);
    if (appendRequestPath) {
      out.append(basePath).append(routePath);
    } else {
      for (int i = 0; i < pieces.length; i++) {
        if ((i & 1) == 0) {
          out.append(pieces[i]);
        } else {
          String value = match.pathParameter(pieces[i]);
          PathEncoding.append(out, value == null ? "" : value, pieces[i].equals(greedyVariable));
        }
      }
      if (out.length() == 0) {
        out.append('/');
      }
    }
    if (uriQuery != null) {
      out.append('?').append(uriQuery);
      if (rawQuery != null && !rawQuery.isEmpty()) {
        out.append('&').append(rawQuery);
      }
    } else if (rawQuery != null) {
      out.append('?').append(rawQuery);
    }
    return out.toString();
  }

  private static String[] split(String path) {
    List<String> pieces = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '{') {
        int end = path.indexOf('}', i);
        pieces.add(literal.toString());
        literal.setLength(0);
        pieces.add(path.substring(i + 1, end));
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    pieces.add(literal.toString());
    return pieces.toArray(new String[0]);
  }

  @Override
  public String toString() {
    return stage + " " + routeKey + " -> " + target;
  }
}
