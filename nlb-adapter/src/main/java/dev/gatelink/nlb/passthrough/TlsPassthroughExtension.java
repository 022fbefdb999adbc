package dev.gatelink.nlb.passthrough;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatelink.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The TLS-passthrough listener's settings as an OpenAPI file writes them: the document root's
 * {@code x-gatelink-passthrough}, which API Gateway ignores (an {@code x-} key it does not know) and the
 * gateway leaves to this class.
 *
 * <pre>{@code
 * x-gatelink-passthrough:
 *   port: 8443                         # 0 for a free port; the runner's --tls-passthrough-port wins
 *   routes:                            # server name (or *.DOMAIN) -> target
 *     orders.example.com: arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/net/orders/0a1b/2c3d
 *     "*.internal.example.com": cloudmap://internal/api
 *   default: 10.0.0.5:443              # connections without a known server name; else they are closed
 *   proxyProtocol: true                # a PROXY protocol v2 header toward targets; false by default
 *   helloTimeoutMillis: 10000          # and idleTimeoutMillis, connectTimeoutMillis,
 *   maxConnections: 10000              # maxConnectionsPerTarget: as TlsPassthroughOptions' defaults
 * }</pre>
 *
 * <p>A target is {@code HOST:PORT} or an integration uri a target provider claims (see {@link PassthroughTargets}).
 * Every value is checked when the file is read; an error names the file, the JSON pointer of the value and what
 * was expected. Numbers may be written as numbers or as strings of digits, as API Gateway's own keys may.
 *
 * @param port the port to listen on, or null when the file gives none
 * @param routes server names (lower case) to targets as written, in the file's order
 * @param defaultTarget the default route's target as written, or null
 * @param proxyProtocol whether targets get a PROXY protocol v2 header
 * @param helloTimeout {@code helloTimeoutMillis}, or null for the listener's default
 * @param idleTimeout {@code idleTimeoutMillis}, or null for the listener's default
 * @param connectTimeout {@code connectTimeoutMillis}, or null for the listener's default
 * @param maxConnections {@code maxConnections}, or null for the listener's default
 * @param maxConnectionsPerTarget {@code maxConnectionsPerTarget}, or null for the listener's default
 */
public record TlsPassthroughExtension(@Nullable Integer port, Map<String, String> routes,
    @Nullable String defaultTarget, boolean proxyProtocol, @Nullable Duration helloTimeout,
    @Nullable Duration idleTimeout, @Nullable Duration connectTimeout, @Nullable Integer maxConnections,
    @Nullable Integer maxConnectionsPerTarget) {
  /** The key, at the document root. */
  public static final String KEY = "x-gatelink-passthrough";

  private static final List<String> KEYS = List.of("port", "routes", "default", "proxyProtocol",
      "helloTimeoutMillis", "idleTimeoutMillis", "connectTimeoutMillis", "maxConnections", "maxConnectionsPerTarget");
  private static final String WHERE = "/" + KEY;

  /**
   * Copies the routes.
   *
   * @param port the port, or null
   * @param routes server names to targets
   * @param defaultTarget the default target, or null
   * @param proxyProtocol whether to send PROXY protocol v2
   * @param helloTimeout the hello timeout, or null
   * @param idleTimeout the idle timeout, or null
   * @param connectTimeout the connect timeout, or null
   * @param maxConnections the connection limit, or null
   * @param maxConnectionsPerTarget the per-target connection limit, or null
   */
  public TlsPassthroughExtension {
    routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
  }

  /**
   * Reads a file's {@code x-gatelink-passthrough}.
   *
   * @param file an OpenAPI file, YAML or JSON
   * @return the settings, or empty when the file has no {@code x-gatelink-passthrough}
   * @throws InvalidConfigException naming the file, the JSON pointer and the problem, if the file cannot be read
   *     or a value is not valid
   */
  public static Optional<TlsPassthroughExtension> read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new InvalidConfigException(file.toString(), null, "cannot be read: " + e.getMessage(), e);
    }
    JsonNode node = root == null ? null : root.get(KEY);
    if (node == null) {
      return Optional.empty();
    }
    return Optional.of(new Reader(file.toString()).read(node));
  }

  /**
   * Sets a builder's port (when this gives one), timeouts, limits and PROXY protocol from these settings; the
   * routes are left to the caller, who makes their targets.
   *
   * @param options the builder
   * @return the builder
   */
  public TlsPassthroughOptions.Builder applyTo(TlsPassthroughOptions.Builder options) {
    if (port != null) {
      options.port(port);
    }
    options.proxyProtocol(proxyProtocol);
    setIfGiven(helloTimeout, options::helloTimeout);
    setIfGiven(idleTimeout, options::idleTimeout);
    setIfGiven(connectTimeout, options::connectTimeout);
    setIfGiven(maxConnections, options::maxConnections);
    setIfGiven(maxConnectionsPerTarget, options::maxConnectionsPerTarget);
    return options;
  }

  private static <T> void setIfGiven(@Nullable T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  /** Reads one file's extension; each check is the one the listener's own builder makes. */
  private record Reader(String file) {
    TlsPassthroughExtension read(JsonNode node) {
      if (!node.isObject()) {
        throw fail(WHERE, KEY + " is " + kind(node) + ": expected an object with port and routes");
      }
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!KEYS.contains(name)) {
          throw fail(pointer(WHERE, name), "unknown key '" + name + "' in " + KEY + ": expected "
              + String.join(", ", KEYS.subList(0, KEYS.size() - 1)) + " or " + KEYS.get(KEYS.size() - 1));
        }
      }
      TlsPassthroughOptions.Builder check = TlsPassthroughOptions.builder();
      Integer port = number(node, "port", 0, 65_535, "a port number from 0 to 65535");
      Map<String, String> routes = routes(node.get("routes"));
      String defaultTarget = null;
      JsonNode fallback = node.get("default");
      if (fallback != null) {
        defaultTarget = target(fallback, pointer(WHERE, "default"), "default");
      }
      if (routes.isEmpty() && defaultTarget == null) {
        throw fail(WHERE, KEY + " has no routes and no default: expected routes of server names to targets, or a "
            + "default target");
      }
      boolean proxyProtocol = false;
      JsonNode proxy = node.get("proxyProtocol");
      if (proxy != null) {
        if (!proxy.isBoolean()) {
          throw fail(pointer(WHERE, "proxyProtocol"), "proxyProtocol is " + kind(proxy) + ": expected true or false");
        }
        proxyProtocol = proxy.booleanValue();
      }
      Duration hello = millis(node, "helloTimeoutMillis", check::helloTimeout);
      Duration idle = millis(node, "idleTimeoutMillis", check::idleTimeout);
      Duration connect = millis(node, "connectTimeoutMillis", check::connectTimeout);
      Integer max = number(node, "maxConnections", 1, Integer.MAX_VALUE, "a number from 1 to " + Integer.MAX_VALUE);
      Integer perTarget = number(node, "maxConnectionsPerTarget", 1, Integer.MAX_VALUE,
          "a number from 1 to " + Integer.MAX_VALUE);
      return new TlsPassthroughExtension(port, routes, defaultTarget, proxyProtocol, hello, idle, connect, max,
          perTarget);
    }

    private Map<String, String> routes(@Nullable JsonNode node) {
      Map<String, String> routes = new LinkedHashMap<>();
      if (node == null) {
        return routes;
      }
      String where = pointer(WHERE, "routes");
      if (!node.isObject()) {
        throw fail(where, "routes is " + kind(node) + ": expected an object of server names to targets, such as "
            + "orders.example.com: 10.0.0.5:443");
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String at = pointer(where, field.getKey());
        String name;
        try {
          name = SniRoute.checkServerName(field.getKey());
        } catch (IllegalArgumentException e) {
          throw fail(at, e.getMessage());
        }
        if (routes.containsKey(name)) {
          throw fail(at, "server name '" + field.getKey() + "' is given twice (names are compared without regard to "
              + "case): expected each name once");
        }
        routes.put(name, target(field.getValue(), at, "route '" + field.getKey() + "'"));
      }
      return routes;
    }

    private String target(JsonNode node, String at, String what) {
      if (!node.isTextual()) {
        throw fail(at, what + " is " + kind(node) + ": expected a target: " + PassthroughTargets.EXPECTED);
      }
      try {
        return PassthroughTargets.checked(node.textValue());
      } catch (IllegalArgumentException e) {
        throw fail(at, e.getMessage());
      }
    }

    private @Nullable Integer number(JsonNode parent, String name, int min, int max, String expected) {
      JsonNode node = parent.get(name);
      if (node == null) {
        return null;
      }
      String at = pointer(WHERE, name);
      String text = node.isIntegralNumber() ? node.asText() : node.isTextual() ? node.textValue() : null;
      if (text == null || !text.matches("[0-9]{1,10}") || Long.parseLong(text) < min || Long.parseLong(text) > max) {
        throw fail(at, name + " " + (text == null ? "is " + kind(node) : "'" + text + "'") + ": expected "
            + expected);
      }
      return Integer.parseInt(text);
    }

    private @Nullable Duration millis(JsonNode parent, String name, Consumer<Duration> check) {
      Integer value = number(parent, name, 0, Integer.MAX_VALUE, "a whole number of milliseconds");
      if (value == null) {
        return null;
      }
      Duration duration = Duration.ofMillis(value);
      try {
        check.accept(duration);
      } catch (IllegalArgumentException e) {
        throw fail(pointer(WHERE, name), name + " " + value + " is out of range: expected "
            + e.getMessage().substring(e.getMessage().indexOf("expected ") + "expected ".length()));
      }
      return duration;
    }

    private InvalidConfigException fail(String pointer, String problem) {
      return new InvalidConfigException(file, pointer, problem, null);
    }

    private static String pointer(String parent, String name) {
      return parent + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    private static String kind(JsonNode node) {
      if (node.isNull()) {
        return "null";
      }
      if (node.isArray()) {
        return "a list";
      }
      if (node.isObject()) {
        return "an object";
      }
      if (node.isNumber()) {
        return "a number";
      }
      if (node.isBoolean()) {
        return "a boolean";
      }
      return "a string";
    }
  }
}
