package dev.gatelink.gateway.internal;

import dev.gatelink.filter.ExchangeContext;
import dev.gatelink.filter.GatewayFilter;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * A stage's access log as a filter: its completion step formats one line per request with the stage's
 * {@code $context} format and hands it to the {@link AccessLogWriter}, which logs it off the event loop.
 * The line is built in a buffer each thread reuses.
 */
final class AccessLogFilter implements GatewayFilter {
  private static final FastThreadLocal<StringBuilder> LINES = new FastThreadLocal<>() {
    @Override
    protected StringBuilder initialValue() {
      return new StringBuilder(512);
    }
  };

  private final AccessLogFormat format;
  private final AccessLogWriter writer;

  AccessLogFilter(AccessLogFormat format, AccessLogWriter writer) {
    this.format = format;
    this.writer = writer;
  }

  @Override
  public void onComplete(ExchangeContext context) {
    StringBuilder line = LINES.get();
    line.setLength(0);
    format.format(context, line);
    writer.write(line.toString());
    if (line.capacity() > 16_384) {
      LINES.set(new StringBuilder(512));
    }
  }

  @Override
  public String toString() {
    return "AccessLogFilter[" + format + "]";
  }
}
