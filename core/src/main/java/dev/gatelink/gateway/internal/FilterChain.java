package dev.gatelink.gateway.internal;

import dev.gatelink.filter.GatewayFilter;
import java.util.List;

/**
 * The filters of one route (or of a stage's requests that no route takes), in order, assembled when the
 * configuration is compiled. Request steps run first to last, response steps last to first, completion steps
 * first to last. An empty chain costs a request one field read.
 */
final class FilterChain {
  static final FilterChain EMPTY = new FilterChain(List.of());

  final GatewayFilter[] filters;
  final boolean empty;
  /** Bit {@code s} set: some filter needs the start of the response body when the integration answers {@code s}. */
  private final long[] bodyStatuses = new long[10];
  private final boolean anyBody;

  FilterChain(List<GatewayFilter> filters) {
    this.filters = filters.toArray(new GatewayFilter[0]);
    this.empty = this.filters.length == 0;
    boolean any = false;
    for (GatewayFilter filter : this.filters) {
      for (int status = 100; status <= 599; status++) {
        if (filter.needsResponseBody(status)) {
          bodyStatuses[status >>> 6] |= 1L << status;
          any = true;
        }
      }
    }
    this.anyBody = any;
  }

  /** {@return whether a filter needs the start of the response body for this integration status} */
  boolean needsResponseBody(int status) {
    return anyBody && status >= 0 && status < 640 && (bodyStatuses[status >>> 6] & 1L << status) != 0;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("FilterChain[");
    for (int i = 0; i < filters.length; i++) {
      out.append(i == 0 ? "" : ", ").append(filters[i].getClass().getSimpleName());
    }
    return out.append(']').toString();
  }
}
