package dev.gatelink.alb.internal;

import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * One condition of a rule, compiled: whether a request meets it, decided without allocating. The subclasses
 * are ordered by {@link #cost()} inside a rule, cheapest first; a rule's conditions are AND-ed, so the order
 * changes nothing but the time a miss takes.
 */
abstract class ConditionMatcher {

  abstract boolean matches(RuleRequest request);

  /** {@return a rough rank of the time a test takes, lower first} */
  abstract int cost();

  /** {@code http-request-method}: exact and case-sensitive. */
  static final class Method extends ConditionMatcher {
    private final String[] methods;

    Method(String[] methods) {
      this.methods = methods;
    }

    @Override
    boolean matches(RuleRequest request) {
      CharSequence method = request.method();
      for (String candidate : methods) {
        if (contentEquals(method, candidate)) {
          return true;
        }
      }
      return false;
    }

    @Override
    int cost() {
      return 0;
    }

    private static boolean contentEquals(CharSequence s, String candidate) {
      if (s.length() != candidate.length()) {
        return false;
      }
      for (int i = 0; i < candidate.length(); i++) {
        if (s.charAt(i) != candidate.charAt(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /** {@code path-pattern}: the path as received, case-sensitive. */
  static final class Path extends ConditionMatcher {
    private final WildcardPattern[] patterns;

    Path(WildcardPattern[] patterns) {
      this.patterns = patterns;
    }

    @Override
    boolean matches(RuleRequest request) {
      CharSequence path = request.path();
      for (WildcardPattern pattern : patterns) {
        if (pattern.matches(path, 0, path.length())) {
          return true;
        }
      }
      return false;
    }

    @Override
    int cost() {
      return 1;
    }
  }

  /**
   * {@code host-header}: the {@code Host} header, case-insensitive. A port is part of what is matched (a value
   * can't hold {@code :}, so a host with a port matches no value), except the protocol's default port written
   * {@code :80} on http or {@code :443} on https, which is left out: Gatelink's choice where the documentation
   * is silent.
   */
  static final class Host extends ConditionMatcher {
    private final WildcardPattern[] patterns;

    Host(WildcardPattern[] patterns) {
      this.patterns = patterns;
    }

    @Override
    boolean matches(RuleRequest request) {
      CharSequence host = request.host();
      if (host == null) {
        return false;
      }
      int end = withoutDefaultPort(host, request.secure());
      for (WildcardPattern pattern : patterns) {
        if (pattern.matches(host, 0, end)) {
          return true;
        }
      }
      return false;
    }

    @Override
    int cost() {
      return 2;
    }

    /** {@return the length of the host without a trailing {@code :80} (http) or {@code :443} (https)} */
    static int withoutDefaultPort(CharSequence host, boolean secure) {
      String port = secure ? ":443" : ":80";
      int start = host.length() - port.length();
      if (start < 0) {
        return host.length();
      }
      for (int i = 0; i < port.length(); i++) {
        if (host.charAt(start + i) != port.charAt(i)) {
          return host.length();
        }
      }
      return start;
    }
  }

  /** {@code http-header}: every line of the named header, in order, case-insensitive. */
  static final class Header extends ConditionMatcher {
    private static final BiPredicate<Header, CharSequence> VALUE = Header::matchesValue;

    private final String name;
    private final WildcardPattern[] patterns;

    Header(String name, WildcardPattern[] patterns) {
      this.name = name;
      this.patterns = patterns;
    }

    @Override
    boolean matches(RuleRequest request) {
      return request.anyHeaderValue(name, this, VALUE);
    }

    private boolean matchesValue(CharSequence value) {
      for (WildcardPattern pattern : patterns) {
        if (pattern.matches(value, 0, value.length())) {
          return true;
        }
      }
      return false;
    }

    @Override
    int cost() {
      return 3;
    }
  }

  /**
   * {@code query-string}: the parameters of the query string, split at {@code &} (empty ones skipped), each
   * split at its first {@code =} into key and value, both percent-decoded and case-insensitive. A parameter
   * without {@code =} has an empty value (Gatelink's choice). A pair without a key matches a parameter of
   * any key.
   */
  static final class Query extends ConditionMatcher {
    private final @Nullable WildcardPattern[] keys;
    private final WildcardPattern[] values;

    Query(@Nullable WildcardPattern[] keys, WildcardPattern[] values) {
      this.keys = keys;
      this.values = values;
    }

    @Override
    boolean matches(RuleRequest request) {
      CharSequence query = request.query();
      if (query == null) {
        return false;
      }
      int length = query.length();
      int start = 0;
      while (start < length) {
        int end = indexOf(query, '&', start, length);
        if (end > start) {
          int equals = indexOf(query, '=', start, end);
          int keyEnd = equals;
          int valueStart = equals == end ? end : equals + 1;
          for (int i = 0; i < values.length; i++) {
            WildcardPattern key = keys[i];
            if ((key == null || key.matchesDecoded(query, start, keyEnd))
                && values[i].matchesDecoded(query, valueStart, end)) {
              return true;
            }
          }
        }
        start = end + 1;
      }
      return false;
    }

    @Override
    int cost() {
      return 4;
    }

    private static int indexOf(CharSequence s, char c, int from, int to) {
      for (int i = from; i < to; i++) {
        if (s.charAt(i) == c) {
          return i;
        }
      }
      return to;
    }
  }

  /**
   * {@code source-ip}: the client's address in one of the blocks. An IPv4-mapped IPv6 address
   * ({@code ::ffff:192.0.2.10}) is its IPv4 address; IPv4 addresses match IPv4 blocks only and IPv6 addresses
   * IPv6 blocks only (Gatelink's choices). An address that does not parse matches nothing.
   */
  static final class SourceIp extends ConditionMatcher {
    private final IpBlock[] blocks;

    SourceIp(IpBlock[] blocks) {
      this.blocks = blocks;
    }

    @Override
    boolean matches(RuleRequest request) {
      CharSequence address = request.sourceAddress();
      if (address == null) {
        return false;
      }
      int to = address.length();
      for (int i = 0; i < to; i++) {
        if (address.charAt(i) == '%') {
          to = i;
          break;
        }
      }
      long v4 = IpAddresses.ipv4(address, 0, to);
      long high = 0;
      long low = 0;
      if (v4 < 0) {
        if (!IpAddresses.isIpv6(address, 0, to)) {
          return false;
        }
        high = IpAddresses.ipv6High(address, 0, to);
        low = IpAddresses.ipv6Low(address, 0, to);
        if (high == 0 && low >>> 32 == 0xFFFF) {
          v4 = low & 0xFFFF_FFFFL;
        }
      }
      for (IpBlock block : blocks) {
        if (v4 >= 0 ? block.containsIpv4((int) v4) : block.containsIpv6(high, low)) {
          return true;
        }
      }
      return false;
    }

    @Override
    int cost() {
      return 5;
    }
  }
}
