package dev.gatelink.route;

/**
 * The methods an API Gateway HTTP API route key may name: the seven HTTP methods API Gateway routes, plus
 * {@link #ANY}, which a route uses to serve every method that has no route of its own on the same path.
 *
 * <p>Route keys spell methods in upper case only ({@code get /pets} is rejected, as API Gateway rejects it).
 */
public enum RouteMethod {
  /** {@code GET}. */
  GET,
  /** {@code POST}. */
  POST,
  /** {@code PUT}. */
  PUT,
  /** {@code PATCH}. */
  PATCH,
  /** {@code DELETE}. */
  DELETE,
  /** {@code HEAD}: served only by {@code HEAD} and {@code ANY} routes, never by {@code GET} routes. */
  HEAD,
  /** {@code OPTIONS}. */
  OPTIONS,
  /** Every method that has no route of its own on the same path, including methods not listed here. */
  ANY;

  /** Number of method slots in the compiled table: one per listed method, and the last one for "any other". */
  static final int SLOTS = 8;

  /** Slot used for request methods that no route key can name (e.g. {@code TRACE}): only {@code ANY} serves them. */
  static final int OTHER_SLOT = ANY.ordinal();

  /**
   * The compiled table's slot for a request method: the ordinal of a listed method, or {@link #OTHER_SLOT}.
   * Request methods are case-sensitive (RFC 9110), so {@code "get"} is an unlisted method.
   */
  static int slotOf(String requestMethod) {
    switch (requestMethod) {
      case "GET":
        return 0;
      case "POST":
        return 1;
      case "PUT":
        return 2;
      case "PATCH":
        return 3;
      case "DELETE":
        return 4;
      case "HEAD":
        return 5;
      case "OPTIONS":
        return 6;
      default:
        return OTHER_SLOT;
    }
  }
}
