package dev.gatelink.nlb.passthrough;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetFactory;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.target.TlsPolicy;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Passthrough targets written as text, as the runner's flags and {@code x-gatelink-passthrough} write them:
 * {@code HOST:PORT} (one fixed address, its name resolved at each connection), or an integration uri that a
 * target provider claims, such as an NLB listener ARN or {@code cloudmap://NAMESPACE/SERVICE}, which then brings
 * its discovery, refresh, selection and outlier ejection.
 */
public final class PassthroughTargets {
  /** What a target may be, for messages. */
  public static final String EXPECTED = "HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE";

  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):([0-9]{1,5})");

  private PassthroughTargets() {}

  /**
   * Checks a target's text without making it.
   *
   * @param text the target as written
   * @return the text
   * @throws IllegalArgumentException naming the text and what is expected, if it is neither {@code HOST:PORT}
   *     (port 1 to 65535) nor an integration uri ({@code arn:...} or {@code SCHEME://...})
   */
  public static String checked(String text) {
    Objects.requireNonNull(text, "text");
    Matcher hostPort = HOST_PORT.matcher(text);
    if (hostPort.matches()) {
      int port = Integer.parseInt(hostPort.group(2));
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("target '" + text + "' has port " + port
            + ": expected a port number from 1 to 65535");
      }
      return text;
    }
    int scheme = text.indexOf("://");
    boolean uri = text.startsWith("arn:") && text.indexOf(' ') < 0
        || scheme > 0 && scheme + 3 < text.length() && text.substring(0, scheme).matches("[a-z][a-z0-9+.-]*");
    if (!uri) {
      throw new IllegalArgumentException("target '" + text + "' is not valid: expected " + EXPECTED);
    }
    return text;
  }

  /**
   * Makes the target a text names, not started. A uri the factory has an override for (as the runner's
   * {@code --resolve} of a whole uri gives) is that one address, as in the gateway.
   *
   * @param text the target as written, see {@link #checked(String)}
   * @param serverName the route's server name, given to the provider as {@code tlsConfig.serverNameToVerify}
   *     (TLS passes through, so a listener target sees TLS end to end, as an NLB TCP listener with
   *     {@code tlsConfig} would); null for the default route
   * @param factory the providers that make integration uris into targets
   * @param where where the target was written, for messages, such as {@code --sni-route 'a.example.com=...'}
   * @return the target: the caller starts and closes it
   * @throws IllegalArgumentException if the text is not valid
   * @throws dev.gatelink.config.InvalidConfigException if no provider claims the uri, or its provider refuses it
   */
  public static Target create(String text, @Nullable String serverName, TargetFactory factory, String where) {
    checked(text);
    Endpoint override = factory.override(text);
    if (override != null) {
      return Target.fixed(override, TlsPolicy.none());
    }
    Matcher hostPort = HOST_PORT.matcher(text);
    if (hostPort.matches()) {
      String host = hostPort.group(1);
      if (host.startsWith("[")) {
        host = host.substring(1, host.length() - 1);
      }
      return Target.fixed(Endpoint.of(host, Integer.parseInt(hostPort.group(2))), TlsPolicy.none());
    }
    String verify = serverName == null ? null : serverName.startsWith("*.") ? serverName.substring(2) : serverName;
    return factory.create(new TargetSpec(text, true, null, verify), where);
  }
}
