package dev.gatelink.target;

/**
 * How one request to an endpoint went, as reported to the {@link Target} that picked the endpoint: the
 * input of load balancing and passive outlier detection.
 */
public enum Outcome {
  /** The endpoint answered with a status below 500. */
  SUCCESS,
  /** The endpoint answered with a 5xx status. */
  SERVER_ERROR,
  /** No connection could be made (refused, unreachable, TLS handshake failed). */
  CONNECT_FAILURE,
  /** The connection was reset or closed before the response was complete. */
  RESET,
  /** The endpoint did not answer within the integration timeout. */
  TIMEOUT,
  /** The client went away or the request was refused before the endpoint answered; says nothing of the endpoint. */
  CANCELLED
}
