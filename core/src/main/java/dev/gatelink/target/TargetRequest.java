package dev.gatelink.target;

import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The request a target is asked to route, as the backend will get it (after the filters and parameter
 * mappings): what a target that routes by content (an ALB's in-process listener rules) looks at. Nothing is
 * copied for the target: the values are read from the exchange when asked, and must not be kept.
 */
public interface TargetRequest {
  /** {@return the method the backend gets, such as {@code GET}} */
  String methodName();

  /** {@return the {@code Host} header the backend gets, possibly with a port; null when there is none} */
  @Nullable String host();

  /** {@return the path the backend gets, without the query, as sent (not percent-decoded)} */
  String path();

  /** {@return the query string the backend gets, without the {@code ?}, as sent; null when there is none} */
  @Nullable String query();

  /**
   * Offers each value of a header the backend gets, in order, to {@code test} until it accepts one.
   *
   * @param name the header's name, in any case
   * @param target passed unchanged to {@code test}, so that the caller needs no capturing lambda
   * @param test whether a value matches
   * @param <T> the type of the target
   * @return whether {@code test} accepted a value
   */
  <T> boolean anyHeaderValue(CharSequence name, T target, BiPredicate<? super T, ? super CharSequence> test);

  /** {@return the client's IP address as text (the connection's peer), or null when unknown} */
  @Nullable String sourceAddress();
}
