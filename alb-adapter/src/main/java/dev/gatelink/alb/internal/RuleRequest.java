package dev.gatelink.alb.internal;

import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an HTTP request that a listener's rules look at, as the request arrived: nothing is decoded,
 * normalised or copied by the caller.
 *
 * <p>An adapter over Vert.x's {@code HttpServerRequest} returns the request's own strings: {@code method().name()},
 * the {@code Host} header (or HTTP/2's {@code :authority}), {@code path()}, {@code query()}, the
 * {@code remoteAddress().hostAddress()} and {@code localAddress().port()}, and walks {@code headers()} for
 * {@link #anyHeaderValue}. {@link CompiledRules#evaluate(RuleRequest)} calls these methods any number of
 * times while it evaluates one request and keeps none of the values.
 */
public interface RuleRequest {

  /** {@return the request method as sent, such as {@code GET}; compared case-sensitively} */
  CharSequence method();

  /**
   * {@return the {@code Host} header as sent, possibly with a port ({@code example.com:8443}); null when the
   * request has none}
   */
  @Nullable CharSequence host();

  /** {@return the path as sent, without the query string and not percent-decoded, such as {@code /img/a%20b.jpg}} */
  CharSequence path();

  /**
   * {@return the query string as sent, without the leading {@code ?} and not percent-decoded; null when the
   * request target has no {@code ?}}
   */
  @Nullable CharSequence query();

  /**
   * Offers each value of the header {@code name} (case-insensitive), one header line at a time and in the
   * order received, to {@code test} until it accepts one. A value is a whole header line's value: it is not
   * split at commas.
   *
   * <p>The engine passes a shared predicate and its own matcher as {@code target}, so the call allocates nothing
   * of its own; an implementation walks its header map in place. Over Vert.x's {@code HeadersMultiMap},
   * {@code iteratorCharSequence()} gives the stored names and values with no {@code String} per header (one
   * iterator per call); {@code get(name)} first spares even that when the header is absent.
   *
   * @param name the header name, in any case
   * @param target passed unchanged to {@code test}
   * @param test returns whether a value matches
   * @param <T> the type of the target
   * @return whether {@code test} accepted a value; false when the request has no such header
   */
  <T> boolean anyHeaderValue(CharSequence name, T target, BiPredicate<? super T, ? super CharSequence> test);

  /**
   * {@return the client's IP address as text ({@code 192.0.2.10}, {@code 2001:db8::1}, an IPv6 zone such as
   * {@code %eth0} is ignored): the peer of the connection, never an {@code X-Forwarded-For} address; null when
   * unknown}
   */
  @Nullable CharSequence sourceAddress();

  /** {@return whether the request came over HTTPS; used for the default port of {@code host-header} and by redirects} */
  boolean secure();

  /** {@return the port the request arrived on, the listener's port; the value of a redirect's {@code #{port}}} */
  int port();
}
