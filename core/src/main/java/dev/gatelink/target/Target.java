package dev.gatelink.target;

import io.vertx.core.Future;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where one integration's requests go: picks an endpoint per request, hears how each request went, and may
 * keep its endpoints fresh in the background.
 *
 * <p>Lifecycle: the gateway calls {@link #start()} when a configuration is loaded and waits for it before it
 * serves that configuration; it calls {@link #close()} when the configuration is replaced or the gateway
 * closes. Requests already in flight may still call {@link #report} after {@code close()}; a target must
 * accept that.
 *
 * <p>Per request, the gateway calls {@link #selectNow()} on an event loop. It must not block, and should
 * not allocate or lock: a pick is an index into an immutable array. When it returns null (no endpoint known
 * yet, say before the first discovery), the gateway calls {@link #select()} and waits for its future. Every
 * endpoint handed out is followed by exactly one {@link #report} for that request.
 */
public interface Target {
  /**
   * Starts the target: first discovery, background refresh.
   *
   * @return a future completed when the target is ready to pick endpoints, or failed if it cannot start
   */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /**
   * Picks an endpoint without waiting.
   *
   * @return the endpoint for this request, or null when none is known yet and {@link #select()} must be used
   */
  @Nullable Endpoint selectNow();

  /**
   * A target of one endpoint, which it always picks: a URL's host and port, an address given in place of a uri,
   * a passthrough route's {@code HOST:PORT}. It has nothing to start or close and ignores reports.
   *
   * @param endpoint the endpoint
   * @param tls how the gateway speaks to it
   * @return the target
   */
  static Target fixed(Endpoint endpoint, TlsPolicy tls) {
    return new FixedTarget(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(tls, "tls"));
  }

  /**
   * {@return whether {@link #selectNow(TargetRequest)} looks at the request (an ALB's in-process rules); only
   * then does the gateway make the request's view for it, so that other targets cost no allocation per request}
   */
  default boolean routesByRequest() {
    return false;
  }

  /**
   * Decides for one request, looking at it if the target routes by content (an ALB's in-process rules): an
   * endpoint, or a {@link DirectResponse} that answers the request without a backend call (no report follows a
   * direct response). The default picks as {@link #selectNow()} does. Same rules: no blocking, no lock, no
   * allocation on the common path.
   *
   * @param request the request as the backend would get it; valid only during the call
   * @return the selection, or null when nothing is known yet and {@link #select(TargetRequest)} must be used
   */
  default @Nullable Selection selectNow(TargetRequest request) {
    return selectNow();
  }

  /**
   * Decides for one request, waiting for discovery if needed. The default picks as {@link #select()} does.
   *
   * @param request the request as the backend would get it; valid until the future completes
   * @return a future of the selection; failed (with a message naming the target) when there is none
   */
  default Future<Selection> select(TargetRequest request) {
    return select().map(endpoint -> endpoint);
  }

  /**
   * Picks an endpoint, waiting for discovery if needed.
   *
   * @return a future of the endpoint; failed (with a message naming the target) when there is none, which
   *     the gateway answers with 503
   */
  Future<Endpoint> select();

  /**
   * Hears how a request to a picked endpoint went. Called once per pick, on an event loop; must not block.
   *
   * @param endpoint the endpoint {@link #selectNow()} or {@link #select()} returned
   * @param outcome how the request went
   */
  default void report(Endpoint endpoint, Outcome outcome) {}

  /**
   * {@return how requests to this target's endpoints are secured: plain HTTP, or TLS with the name to send as
   * SNI and verify the certificate against, and what to trust}
   */
  TlsPolicy tls();

  /**
   * Stops background work and releases resources.
   *
   * @return a future completed when the target is closed
   */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
