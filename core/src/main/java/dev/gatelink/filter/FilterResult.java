package dev.gatelink.filter;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a filter's request step decided: go on to the next step ({@link #proceed()}, shared, no allocation),
 * answer at once with one of the gateway's answers ({@link #fail}) or a response of the filter's own
 * ({@link #respond}), or wait for a future that decides ({@link #await}).
 */
public final class FilterResult {
  /** The kinds of decision. */
  public enum Kind {
    /** Go on with the next step. */
    PROCEED,
    /** Answer with one of the gateway's answers. */
    FAIL,
    /** Answer with the filter's own response. */
    RESPOND,
    /** Wait for a future, then apply what it decides. */
    AWAIT
  }

  private static final FilterResult PROCEED = new FilterResult(Kind.PROCEED, null, 0, null, null, null);

  private final Kind kind;
  private final @Nullable GatewayFailure failure;
  private final int status;
  private final @Nullable MultiMap headers;
  private final @Nullable Buffer body;
  private final @Nullable Future<FilterResult> pending;

  private FilterResult(Kind kind, @Nullable GatewayFailure failure, int status, @Nullable MultiMap headers,
      @Nullable Buffer body, @Nullable Future<FilterResult> pending) {
    this.kind = kind;
    this.failure = failure;
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.pending = pending;
  }

  /** {@return go on with the next step: one shared instance} */
  public static FilterResult proceed() {
    return PROCEED;
  }

  /**
   * Answer with one of the gateway's answers, such as {@code 429 {"message":"Too Many Requests"}}.
   *
   * @param failure why
   * @return the decision
   */
  public static FilterResult fail(GatewayFailure failure) {
    return new FilterResult(Kind.FAIL, Objects.requireNonNull(failure, "failure"), 0, null, null, null);
  }

  /**
   * Answer with a response of the filter's own; the integration is not called. The gateway adds
   * {@code apigw-requestid} and {@code Content-Length}; the response steps of the filters run on it.
   *
   * @param status 200 to 599
   * @param headers the response's headers (copied), or null
   * @param body the body, or null for none
   * @return the decision
   */
  public static FilterResult respond(int status, @Nullable MultiMap headers, @Nullable Buffer body) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status " + status + " is out of range: expected 200 to 599");
    }
    MultiMap copy = MultiMap.caseInsensitiveMultiMap();
    if (headers != null) {
      copy.addAll(headers);
    }
    return new FilterResult(Kind.RESPOND, null, status, copy, body, null);
  }

  /**
   * Wait for a future, on the request's event loop, then apply its decision. A failed future answers with
   * {@link GatewayFailure.InternalError}. The exchange's integration timeout also bounds the wait.
   *
   * @param decision the future decision
   * @return the decision to wait
   */
  public static FilterResult await(Future<FilterResult> decision) {
    return new FilterResult(Kind.AWAIT, null, 0, null, null, Objects.requireNonNull(decision, "decision"));
  }

  /** {@return the kind of decision} */
  public Kind kind() {
    return kind;
  }

  /** {@return the failure of a {@link Kind#FAIL} decision} */
  public @Nullable GatewayFailure failure() {
    return failure;
  }

  /** {@return the status of a {@link Kind#RESPOND} decision} */
  public int status() {
    return status;
  }

  /** {@return the headers of a {@link Kind#RESPOND} decision} */
  public @Nullable MultiMap headers() {
    return headers;
  }

  /** {@return the body of a {@link Kind#RESPOND} decision, or null} */
  public @Nullable Buffer body() {
    return body;
  }

  /** {@return the future of an {@link Kind#AWAIT} decision} */
  public @Nullable Future<FilterResult> pending() {
    return pending;
  }

  @Override
  public String toString() {
    switch (kind) {
      case FAIL:
        return "FilterResult[fail " + failure + "]";
      case RESPOND:
        return "FilterResult[respond " + status + "]";
      case AWAIT:
        return "FilterResult[await]";
      default:
        return "FilterResult[proceed]";
    }
  }
}
