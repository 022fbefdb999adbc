package dev.gatelink.filter;

import dev.gatelink.target.Outcome;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why the gateway answered a request itself instead of with the integration's response: one sealed type,
 * each case carrying what caused it. {@link #responseType()} gives API Gateway's status and body; the case
 * and its {@link #detail()} are what logs and {@code $context.integrationErrorMessage} show.
 */
public sealed interface GatewayFailure {
  /** {@return the kind of answer, with its status and body} */
  ResponseType responseType();

  /** {@return what happened, for logs: never sent to the client} */
  String detail();

  /** {@return the exception behind the failure, if there is one} */
  default @Nullable Throwable cause() {
    return null;
  }

  /** No stage, or no route (and no {@code $default} route) takes the request. */
  record NotFound() implements GatewayFailure {
    @Override
    public ResponseType responseType() {
      return ResponseType.RESOURCE_NOT_FOUND;
    }

    @Override
    public String detail() {
      return "no route";
    }
  }

  /**
   * The front door refused the request's framing.
   *
   * @param reason what is wrong, such as {@code both Content-Length and Transfer-Encoding}
   */
  record BadRequest(String reason) implements GatewayFailure {
    /**
     * Checks the reason.
     *
     * @param reason what is wrong
     */
    public BadRequest {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public ResponseType responseType() {
      return ResponseType.BAD_REQUEST;
    }

    @Override
    public String detail() {
      return reason;
    }
  }

  /**
   * The request's headers or body did not arrive in time.
   *
   * @param reason which limit passed
   */
  record RequestTimeout(String reason) implements GatewayFailure {
    /**
     * Checks the reason.
     *
     * @param reason which limit passed
     */
    public RequestTimeout {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public ResponseType responseType() {
      return ResponseType.REQUEST_TIMEOUT;
    }

    @Override
    public String detail() {
      return reason;
    }
  }

  /**
   * The request body is over the limit.
   *
   * @param limitBytes the limit
   */
  record RequestTooLarge(long limitBytes) implements GatewayFailure {
    @Override
    public ResponseType responseType() {
      return ResponseType.REQUEST_TOO_LARGE;
    }

    @Override
    public String detail() {
      return "request body over " + limitBytes + " bytes";
    }
  }

  /**
   * The request line and header values are over the limit.
   *
   * @param bytes their size
   * @param limitBytes the limit
   */
  record HeadersTooLarge(long bytes, long limitBytes) implements GatewayFailure {
    @Override
    public ResponseType responseType() {
      return ResponseType.REQUEST_HEADERS_TOO_LARGE;
    }

    @Override
    public String detail() {
      return "request line and header values are " + bytes + " bytes, over " + limitBytes;
    }
  }

  /**
   * A filter throttled the request.
   *
   * @param reason which limit, for logs
   */
  record Throttled(String reason) implements GatewayFailure {
    /**
     * Checks the reason.
     *
     * @param reason which limit
     */
    public Throttled {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public ResponseType responseType() {
      return ResponseType.THROTTLED;
    }

    @Override
    public String detail() {
      return reason;
    }
  }

  /**
   * A filter refused the request because its integration cannot take it now.
   *
   * @param reason why, such as {@code circuit breaker 'orders' is open}
   */
  record Unavailable(String reason) implements GatewayFailure {
    /**
     * Checks the reason.
     *
     * @param reason why
     */
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public ResponseType responseType() {
      return ResponseType.SERVICE_UNAVAILABLE;
    }

    @Override
    public String detail() {
      return reason;
    }
  }

  /**
   * The integration failed before its response started: no endpoint, a refused or reset connection, an
   * answer that is not HTTP.
   *
   * @param outcome what the target is told
   * @param reason what happened
   * @param cause the exception, if any
   */
  record IntegrationFailure(Outcome outcome, String reason, @Nullable Throwable cause) implements GatewayFailure {
    /**
     * Checks the fields.
     *
     * @param outcome the outcome
     * @param reason what happened
     * @param cause the exception
     */
    public IntegrationFailure {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public ResponseType responseType() {
      return ResponseType.INTEGRATION_FAILURE;
    }

    @Override
    public String detail() {
      return reason;
    }
  }

  /**
   * The integration did not answer within its timeout.
   *
   * @param timeout the integration timeout
   */
  record IntegrationTimeout(Duration timeout) implements GatewayFailure {
    /**
     * Checks the timeout.
     *
     * @param timeout the integration timeout
     */
    public IntegrationTimeout {
      Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public ResponseType responseType() {
      return ResponseType.INTEGRATION_TIMEOUT;
    }

    @Override
    public String detail() {
      return "no response within " + timeout.toMillis() + " ms";
    }
  }

  /**
   * Something that is a configuration problem rather than an outage: a backend certificate that fails
   * verification, a filter that threw.
   *
   * @param reason what happened
   * @param cause the exception, if any
   */
  record InternalError(String reason, @Nullable Throwable cause) implements GatewayFailure {
    /**
     * Checks the reason.
     *
     * @param reason what happened
     * @param cause the exception
     */
    public InternalError {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public ResponseType responseType() {
      return ResponseType.INTERNAL_SERVER_ERROR;
    }

    @Override
    public String detail() {
      return reason;
    }
  }
}
