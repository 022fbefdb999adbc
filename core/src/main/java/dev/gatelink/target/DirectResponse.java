package dev.gatelink.target;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An answer a target gives instead of an endpoint: a status, and a body with its content type, or a
 * {@code Location}. The gateway sends it as the integration's response (it goes through the response steps of
 * the filters: response mappings, CORS, access logs), without a backend call and without a report.
 */
public final class DirectResponse implements Selection {
  private final int status;
  private final @Nullable String contentType;
  private final @Nullable String body;
  private final @Nullable String location;

  private DirectResponse(int status, @Nullable String contentType, @Nullable String body, @Nullable String location) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status " + status + " is out of range: expected 100 to 599");
    }
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.location = location;
  }

  /**
   * An answer with a body.
   *
   * @param status the status, 100 to 599
   * @param contentType the body's content type, or null for none
   * @param body the body, or null for none
   * @return the answer
   */
  public static DirectResponse of(int status, @Nullable String contentType, @Nullable String body) {
    return new DirectResponse(status, contentType, body, null);
  }

  /**
   * A redirect.
   *
   * @param status 301, 302, 303, 307 or 308
   * @param location the {@code Location} header's value
   * @return the answer
   */
  public static DirectResponse redirect(int status, String location) {
    return new DirectResponse(status, null, null, Objects.requireNonNull(location, "location"));
  }

  /** {@return the status} */
  public int status() {
    return status;
  }

  /** {@return the body's content type, or null} */
  public @Nullable String contentType() {
    return contentType;
  }

  /** {@return the body, or null} */
  public @Nullable String body() {
    return body;
  }

  /** {@return the {@code Location} header's value, or null} */
  public @Nullable String location() {
    return location;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof DirectResponse that && status == that.status
        && Objects.equals(contentType, that.contentType) && Objects.equals(body, that.body)
        && Objects.equals(location, that.location);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, contentType, body, location);
  }

  @Override
  public String toString() {
    return "DirectResponse[" + status + (location != null ? " -> " + location : "")
        + (contentType != null ? " " + contentType : "") + "]";
  }
}
