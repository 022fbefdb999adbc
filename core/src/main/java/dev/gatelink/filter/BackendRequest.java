package dev.gatelink.filter;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.jspecify.annotations.Nullable;

/**
 * The request the integration will get, built once before a backend connection is taken; request steps may
 * change it. The path and query are raw (percent-encoded) text; the headers are those the backend gets, with
 * hop-by-hop headers already dropped and {@code Forwarded} and {@code Via} added.
 */
public interface BackendRequest {
  /** {@return the method the backend is called with} */
  HttpMethod method();

  /** {@return the raw path, starting with {@code /}} */
  String path();

  /**
   * Replaces the path.
   *
   * @param rawPath a percent-encoded path starting with {@code /}, without CR, LF, NUL, space, {@code ?} or {@code #}
   * @throws IllegalArgumentException if the path is not such a path
   */
  void path(String rawPath);

  /** {@return the raw query, without {@code ?}, or null when there is none} */
  @Nullable String query();

  /**
   * Replaces the query.
   *
   * @param rawQuery a percent-encoded query without {@code ?}, or null for none
   * @throws IllegalArgumentException if it holds CR, LF, NUL, a space or {@code #}
   */
  void query(@Nullable String rawQuery);

  /** {@return the headers the backend gets; changes apply} */
  MultiMap headers();
}
