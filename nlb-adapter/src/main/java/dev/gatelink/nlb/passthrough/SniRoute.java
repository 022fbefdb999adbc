package dev.gatelink.nlb.passthrough;

import dev.gatelink.target.Target;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One route of a passthrough listener: a server name, exact ({@code api.example.com}, compared without regard
 * to case) or a wildcard of one label ({@code *.example.com} matches {@code a.example.com}, not
 * {@code example.com} nor {@code a.b.example.com}), and the target its connections go to. An exact name wins
 * over a wildcard that also matches.
 */
public final class SniRoute {
  private final String serverName;
  private final Target target;
  private final boolean wildcard;

  private SniRoute(String serverName, Target target) {
    this.serverName = serverName;
    this.target = target;
    this.wildcard = serverName.startsWith("*.");
  }

  /**
   * A route.
   *
   * @param serverName a DNS name, or {@code *.} and a domain; kept in lower case
   * @param target where its connections go; created, started and closed by the caller
   * @return the route
   * @throws IllegalArgumentException if the name is not a DNS name or a one-label wildcard
   */
  public static SniRoute of(String serverName, Target target) {
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(target, "target");
    return new SniRoute(checked(serverName), target);
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

  /** {@return the server name, in lower case: a DNS name, or {@code *.} and a domain} */
  public String serverName() {
    return serverName;
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
    return other instanceof SniRoute that && serverName.equals(that.serverName) && target == that.target;
  }

  @Override
  public int hashCode() {
    return serverName.hashCode() * 31 + System.identityHashCode(target);
  }

  @Override
  public String toString() {
    return "SniRoute[" + serverName + " -> " + target + "]";
  }
}
