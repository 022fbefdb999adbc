package dev.gatelink.nlb.passthrough;

import dev.gatelink.target.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One route of a passthrough listener: a server name, exact ({@code api.example.com}, compared without regard
 * to case) or a wildcard of one label ({@code *.example.com} matches {@code a.example.com}, not
 * {@code example.com} nor {@code a.b.example.com}), optionally the ALPN protocols it is restricted to
 * ({@code h2}, {@code http/1.1}), and the target its connections go to.
 *
 * <p>A connection takes, in this order: a route of its exact name restricted to a protocol it offers, a route of
 * its exact name without a restriction, a wildcard route restricted to a protocol it offers, a wildcard route
 * without a restriction, the default route. Among the restricted routes of one name, the client's order of
 * preference decides: the first protocol of its ALPN list that one of them lists wins (as Envoy's filter chain
 * match does).
 */
public final class SniRoute {
  private final String serverName;
  private final List<String> alpnProtocols;
  private final Target target;
  private final boolean wildcard;

  private SniRoute(String serverName, List<String> alpnProtocols, Target target) {
    this.serverName = serverName;
    this.alpnProtocols = alpnProtocols;
    this.target = target;
    this.wildcard = serverName.startsWith("*.");
  }

  /**
   * A route for every ALPN protocol (and for clients that offer none).
   *
   * @param serverName a DNS name, or {@code *.} and a domain; kept in lower case
   * @param target where its connections go; created, started and closed by the caller
   * @return the route
   * @throws IllegalArgumentException if the name is not a DNS name or a one-label wildcard
   */
  public static SniRoute of(String serverName, Target target) {
    return of(serverName, List.of(), target);
  }

  /**
   * A route restricted to clients whose ClientHello offers one of the given ALPN protocols.
   *
   * @param serverName a DNS name, or {@code *.} and a domain; kept in lower case
   * @param alpnProtocols the protocols, compared byte for byte ({@code h2}, {@code http/1.1}); empty for a route
   *     that takes every protocol, and clients that offer none
   * @param target where its connections go; created, started and closed by the caller
   * @return the route
   * @throws IllegalArgumentException if the name is not a DNS name or a one-label wildcard, or a protocol is not
   *     1 to 255 printable ASCII characters or is given twice
   */
  public static SniRoute of(String serverName, List<String> alpnProtocols, Target target) {
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(target, "target");
    String name = checked(serverName);
    return new SniRoute(name, checkedProtocols(name, List.copyOf(alpnProtocols)), target);
  }

  /**
   * Checks a route's server name.
   *
   * @param serverName a DNS name, or {@code *.} and a domain
   * @return the name in lower case
   * @throws IllegalArgumentException naming the name and what is expected, if it is neither
   */
  public static String checkServerName(String serverName) {
    return checked(Objects.requireNonNull(serverName, "serverName"));
  }

  private static String checked(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String labels = lower.startsWith("*.") ? lower.substring(2) : lower;
    boolean valid = !labels.isEmpty() && labels.length() <= 253 && !labels.startsWith(".")
        && !labels.endsWith(".") && !labels.contains("..");
    for (int i = 0; valid && i < labels.length(); i++) {
      char c = labels.charAt(i);
      valid = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.';
    }
    if (!valid) {
      throw new IllegalArgumentException("SNI route server name '" + name + "' is not valid: expected a DNS name"
          + " such as 'api.example.com' or a wildcard of one label such as '*.example.com'");
    }
    return lower;
  }

  private static List<String> checkedProtocols(String serverName, List<String> protocols) {
    Set<String> seen = new HashSet<>();
    for (String protocol : protocols) {
      boolean valid = !protocol.isEmpty() && protocol.length() <= 255;
      for (int i = 0; valid && i < protocol.length(); i++) {
        char c = protocol.charAt(i);
        valid = c > ' ' && c < 0x7f;
      }
      if (!valid) {
        throw new IllegalArgumentException("SNI route '" + serverName + "' ALPN protocol '" + protocol
            + "' is not valid: expected 1 to 255 printable ASCII characters without spaces, such as 'h2' or"
            + " 'http/1.1'");
      }
      if (!seen.add(protocol)) {
        throw duplicate(serverName, protocol);
      }
    }
    return protocols;
  }

  /** {@return the error of a server name and ALPN protocol given twice} */
  static IllegalArgumentException duplicate(String serverName, String protocol) {
    return new IllegalArgumentException("SNI route '" + serverName + "' with ALPN protocol '" + protocol
        + "' is given twice: expected each server name and ALPN protocol once");
  }

  /** {@return the server name, in lower case: a DNS name, or {@code *.} and a domain} */
  public String serverName() {
    return serverName;
  }

  /** {@return the ALPN protocols the route is restricted to, in the order given; empty when it takes every one} */
  public List<String> alpnProtocols() {
    return alpnProtocols;
  }

  /** {@return the target its connections go to} */
  public Target target() {
    return target;
  }

  /** {@return whether the name is a wildcard ({@code *.example.com})} */
  public boolean wildcard() {
    return wildcard;
  }

  /** {@return the domain a wildcard matches one label under (without {@code *.}), or the exact name} */
  String domain() {
    return wildcard ? serverName.substring(2) : serverName;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof SniRoute that && serverName.equals(that.serverName)
        && alpnProtocols.equals(that.alpnProtocols) && target == that.target;
  }

  @Override
  public int hashCode() {
    return (serverName.hashCode() * 31 + alpnProtocols.hashCode()) * 31 + System.identityHashCode(target);
  }

  @Override
  public String toString() {
    return "SniRoute[" + serverName + (alpnProtocols.isEmpty() ? "" : " " + alpnProtocols) + " -> " + target + "]";
  }
}
