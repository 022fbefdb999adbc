package dev.gatelink.alb.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code fixed-response} action as written.
 *
 * @param statusCode the status code, {@code 2XX}, {@code 4XX} or {@code 5XX}, as text ({@code "503"})
 * @param contentType one of {@code text/plain}, {@code text/css}, {@code text/html},
 *     {@code application/javascript} and {@code application/json}; null when not given
 * @param messageBody the body, at most 1024 characters; null when not given
 */
public record FixedResponseConfig(String statusCode, @Nullable String contentType, @Nullable String messageBody)
    implements ActionConfig {

  /** Checks that the status code is there. */
  public FixedResponseConfig {
    Objects.requireNonNull(statusCode, "statusCode");
  }

  @Override
  public String type() {
    return "fixed-response";
  }
}
