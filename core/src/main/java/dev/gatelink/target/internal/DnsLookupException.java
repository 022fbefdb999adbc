package dev.gatelink.target.internal;

import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A host name that a {@link DnsLookup} could not turn into an address. The message names the host, the name
 * servers asked and what they did, such as
 * {@code orders.internal: no address: the name servers [127.0.0.1:53412] answered NXDOMAIN}.
 */
public final class DnsLookupException extends UnknownHostException {
  private static final long serialVersionUID = 1L;

  /**
   * What went wrong. When the A and the AAAA query failed differently, the first of TIMEOUT, ERROR, SERVFAIL,
   * NXDOMAIN, NO_ADDRESS: a passing failure before a lasting one, so that a caller that keeps its last good
   * addresses on a passing failure never drops them because of the other family.
   */
  public enum Kind {
    /** A name server did not answer within the query timeout (each name server was tried in turn). */
    TIMEOUT,
    /** A name server could not be asked (the query could not be sent, the resolver was closed). */
    ERROR,
    /** The name servers answered SERVFAIL. */
    SERVFAIL,
    /** The name servers answered NXDOMAIN: the name does not exist. */
    NXDOMAIN,
    /** The name exists but has no A (or AAAA) record. */
    NO_ADDRESS
  }

  private final String host;
  private final Kind kind;

  /**
   * A failed lookup.
   *
   * @param host the host name looked up
   * @param kind what went wrong
   * @param message the whole message, naming the host, the name servers and what went wrong
   */
  public DnsLookupException(String host, Kind kind, String message) {
    super(message);
    this.host = Objects.requireNonNull(host, "host");
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** {@return the host name looked up} */
  public String host() {
    return host;
  }

  /** {@return what went wrong} */
  public Kind kind() {
    return kind;
  }
}
