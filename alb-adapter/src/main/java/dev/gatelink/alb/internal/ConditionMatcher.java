package dev.gatelink.alb.internal;

import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * One condition of a rule, compiled: whether a request meets it, decided without allocating. Inside a rule the
 * conditions are ordered by {@link #kind}, cheapest test first; a rule's conditions are AND-ed, so the order
 * changes nothing but the time a miss takes.
 */
abstract class ConditionMatcher {
  static final int METHOD = 0;
  static final int PATH = 1;
  static final int HOST = 2;
  static final int HEADER = 3;
  static final int QUERY = 4;
  static final int SOURCE_IP = 5;

  /** The condition type, also a rough rank of the time its test takes, lower first. */
  final int kind;

  ConditionMatcher(int kind) {
    this.kind = kind;
  }

  abstract boolean matches(RuleRequest request);

  /**
   * Whether a request meets a condition: a switch on the type and a call of the final class's method, which the
   * JIT inlines, where a virtual call on six classes would stay a call through the vtable.
   */
  static boolean test(ConditionMatcher condition, RuleRequest request) {
    switch (condition.kind) {
      case METHOD:
        return ((Method) condition).matches(request);
      case PATH:
        return ((Path) condition).matches(request);
      case HOST:
        return ((Host) condition).matches(request);
      case HEADER:
        return ((Header) condition).matches(request);
      case QUERY:
        return ((Query) condition).matches(request);
      default:
        return ((SourceIp) condition).matches(request);
    }
  }

  /** {@code http-request-method}: exact and case-sensitive. */
  static final class Method extends ConditionMatcher {
    private final String[] methods;

    Method(String[] methods) {
      super(METHOD);
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
      super(PATH);
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
      super(HOST);
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
      super(HEADER);
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
      super(QUERY);
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
      super(SOURCE_IP);
      this.blocks = blocks;
    }

    /** {@link #ipv4(CharSequence)}: the address is IPv6, read {@link #ipv6High} and {@link #ipv6Low}. */
    static final long IPV6 = -1;
    /** {@link #ipv4(CharSequence)}: no address, or one that does not parse; it matches no block. */
    static final long NONE = -2;

    @Override
    boolean matches(RuleRequest request) {
      CharSequence address = request.sourceAddress();
      long v4 = ipv4(address);
      return v4 == IPV6 ? matches(v4, ipv6High(address), ipv6Low(address)) : matches(v4, 0, 0);
    }

    /**
     * Whether an address parsed once per request is in a block.
     *
     * @param v4 what {@link #ipv4(CharSequence)} returned
     * @param high the high bits of an IPv6 address, when {@code v4} is {@link #IPV6}
     * @param low the low bits of an IPv6 address, when {@code v4} is {@link #IPV6}
     */
    boolean matches(long v4, long high, long low) {
      if (v4 == NONE) {
        return false;
      }
      for (IpBlock block : blocks) {
        if (v4 >= 0 ? block.containsIpv4((int) v4) : block.containsIpv6(high, low)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The client's address as IPv4 (an IPv4-mapped IPv6 address included), as an unsigned 32-bit value; or
     * {@link #IPV6}, or {@link #NONE}.
     */
    static long ipv4(@Nullable CharSequence address) {
      if (address == null) {
        return NONE;
      }
      int to = end(address);
      long v4 = IpAddresses.ipv4(address, 0, to);
      if (v4 >= 0) {
        return v4;
      }
      if (!IpAddresses.isIpv6(address, 0, to)) {
        return NONE;
      }
      long low = IpAddresses.ipv6Low(address, 0, to);
      if (low >>> 32 == 0xFFFF && IpAddresses.ipv6High(address, 0, to) == 0) {
        return low & 0xFFFF_FFFFL;
      }
      return IPV6;
    }

    /** The high 64 bits of an address that {@link #ipv4(CharSequence)} found to be IPv6. */
    static long ipv6High(CharSequence address) {
      return IpAddresses.ipv6High(address, 0, end(address));
    }

    /** The low 64 bits of an address that {@link #ipv4(CharSequence)} found to be IPv6. */
    static long ipv6Low(CharSequence address) {
      return IpAddresses.ipv6Low(address, 0, end(address));
    }

    /** The end of the address without its IPv6 zone ({@code %eth0}). */
    private static int end(CharSequence address) {
      for (int i = 0; i < address.length(); i++) {
        if (address.charAt(i) == '%') {
          return i;
        }
      }
      return address.length();
    }
  }
}
