package dev.gatelink.alb.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code redirect} action as written. A component left out keeps its original value: null stands for
 * {@code #{protocol}}, {@code #{host}}, {@code #{port}}, {@code /#{path}} and {@code #{query}}.
 *
 * @param protocol {@code HTTP}, {@code HTTPS} or {@code #{protocol}}
 * @param host the host name; may hold {@code #{host}}
 * @param port 1 to 65535, or {@code #{port}}
 * @param path the absolute path, starting with {@code /}; may hold {@code #{host}}, {@code #{path}} and
 *     {@code #{port}}
 * @param query the query without its leading {@code ?}; may hold every keyword; empty for none
 * @param statusCode {@code HTTP_301} or {@code HTTP_302}
 */
public record RedirectConfig(@Nullable String protocol, @Nullable String host, @Nullable String port,
    @Nullable String path, @Nullable String query, String statusCode) implements ActionConfig {

  /** Checks that the status code is there. */
  public RedirectConfig {
    Objects.requireNonNull(statusCode, "statusCode");
  }

  @Override
  public String type() {
    return "redirect";
  }
}
