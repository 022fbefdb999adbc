package dev.gatelink.filter;

/**
 * A step of the gateway's request pipeline. Each route's filters are assembled into a chain when the
 * configuration is compiled; a route without filters pays nothing.
 *
 * <p>For each request, in chain order, the gateway calls {@link #onRequest} (synchronously on the request's
 * event loop: return at once, or {@link FilterResult#await} a future), then, in reverse chain order,
 * {@link #onResponse} once the status and headers the client gets are known (the integration's, or the
 * gateway's own answer), and finally {@link #onComplete}, exactly once per request whatever happened: success,
 * a gateway answer, a timeout, a reset, a client gone. A filter that throws is answered with
 * {@code 500 {"message":"Internal Server Error"}} (in the request step) and logged.
 *
 * <p>Steps run on the event loop: they must not block, and should not allocate on the common path.
 */
public interface GatewayFilter {
  /** How much of a response body a filter gets with {@link FilterExchange#responseBodyStart()}: 100 KB. */
  int RESPONSE_BODY_PREFIX_BYTES = 100 * 1024;

  /**
   * The request step.
   *
   * @param exchange the request
   * @return what to do next
   */
  default FilterResult onRequest(FilterExchange exchange) {
    return FilterResult.proceed();
  }

  /**
   * The response-head step: may change the status and headers the client gets.
   *
   * @param exchange the request, with its response head
   */
  default void onResponse(FilterExchange exchange) {}

  /**
   * The completion step: runs exactly once per request, after the response ended or the exchange gave up.
   *
   * @param context the request's facts
   */
  default void onComplete(ExchangeContext context) {}

  /**
   * Whether this filter's response step needs the start of the integration's response body for a status;
   * the gateway then holds the response head until it has read {@link #RESPONSE_BODY_PREFIX_BYTES} bytes or
   * the whole body. Asked once per status when the configuration is compiled.
   *
   * @param integrationStatus the integration's status, 100 to 599
   * @return true to get {@link FilterExchange#responseBodyStart()} for that status
   */
  default boolean needsResponseBody(int integrationStatus) {
    return false;
  }
}
