package dev.gatelink.nlb.passthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code x-gatelink-passthrough} read from a file: every key, and every error with its file and pointer. */
class TlsPassthroughExtensionTest {
  @TempDir
  Path dir;

  private Path file(String extension) throws Exception {
    return Files.writeString(dir.resolve("api.yaml"), "openapi: 3.0.1\ninfo: {title: t, version: \"1\"}\n"
        + extension + "paths: {}\n");
  }

  @Test
  void readsEveryKeyKeepingTheRoutesInOrder() throws Exception {
    Path api = file("x-gatelink-passthrough:\n"
        + "  port: 8443\n"
        + "  routes:\n"
        + "    Orders.Example.com: 127.0.0.1:9443\n"
        + "    \"*.internal.example.com\": cloudmap://internal/api\n"
        + "    stock.example.com: arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/net/s/0a/1b\n"
        + "  default: \"[::1]:443\"\n"
        + "  proxyProtocol: true\n"
        + "  helloTimeoutMillis: 2000\n"
        + "  idleTimeoutMillis: \"60000\"\n"
        + "  connectTimeoutMillis: 3000\n"
        + "  maxConnections: 500\n"
        + "  maxConnectionsPerTarget: 100\n");

    Map<String, String> routes = new LinkedHashMap<>();
    routes.put("orders.example.com", "127.0.0.1:9443");
    routes.put("*.internal.example.com", "cloudmap://internal/api");
    routes.put("stock.example.com", "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/net/s/0a/1b");
    TlsPassthroughExtension read = TlsPassthroughExtension.read(api).orElseThrow();
    assertThat(read).isEqualTo(new TlsPassthroughExtension(8443, routes, "[::1]:443", true, Duration.ofSeconds(2),
        Duration.ofMinutes(1), Duration.ofSeconds(3), 500, 100));
    assertThat(List.copyOf(read.routes().keySet())).containsExactly("orders.example.com", "*.internal.example.com",
        "stock.example.com");
  }

  @Test
  void aFileWithoutItHasNone() throws Exception {
    assertThat(TlsPassthroughExtension.read(file(""))).isEqualTo(Optional.empty());
  }

  @Test
  void appliesItsSettingsToTheListenersOptions() throws Exception {
    TlsPassthroughExtension read = TlsPassthroughExtension.read(file("x-gatelink-passthrough:\n"
        + "  port: 8443\n  default: 127.0.0.1:9443\n  proxyProtocol: true\n  idleTimeoutMillis: 1000\n"
        + "  maxConnectionsPerTarget: 7\n")).orElseThrow();

    TlsPassthroughOptions options = read.applyTo(TlsPassthroughOptions.builder())
        .defaultTarget(FixedTarget.at("default", 9443)).build();

    assertThat(options.port()).isEqualTo(8443);
    assertThat(options.proxyProtocol()).isTrue();
    assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(options.maxConnectionsPerTarget()).isEqualTo(7);
    assertThat(options.helloTimeout()).isEqualTo(TlsPassthroughOptions.DEFAULT_HELLO_TIMEOUT);
    assertThat(options.maxConnections()).isEqualTo(TlsPassthroughOptions.DEFAULT_MAX_CONNECTIONS);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      "[8443]"                                  | /x-gatelink-passthrough | x-gatelink-passthrough is a list: expected an object with port and routes
      "{port: 1}"                               | /x-gatelink-passthrough | x-gatelink-passthrough has no routes and no default: expected routes of server names to targets, or a default target
      "{prot: 1, default: h:1}"                 | /x-gatelink-passthrough/prot | unknown key 'prot' in x-gatelink-passthrough: expected port, routes, default, proxyProtocol, helloTimeoutMillis, idleTimeoutMillis, connectTimeoutMillis, maxConnections or maxConnectionsPerTarget
      "{port: 70000, default: h:1}"             | /x-gatelink-passthrough/port | port '70000': expected a port number from 0 to 65535
      "{port: -1, default: h:1}"                | /x-gatelink-passthrough/port | port '-1': expected a port number from 0 to 65535
      "{port: 1.5, default: h:1}"               | /x-gatelink-passthrough/port | port is a number: expected a port number from 0 to 65535
      "{port: true, default: h:1}"              | /x-gatelink-passthrough/port | port is a boolean: expected a port number from 0 to 65535
      "{routes: [a], default: h:1}"             | /x-gatelink-passthrough/routes | routes is a list: expected an object of server names to targets, such as orders.example.com: 10.0.0.5:443
      "{routes: {a..b: h:1}}"                   | /x-gatelink-passthrough/routes/a..b | SNI route server name 'a..b' is not valid: expected a DNS name such as 'api.example.com' or a wildcard of one label such as '*.example.com'
      "{routes: {a.com: h:1, A.com: h:2}}"      | /x-gatelink-passthrough/routes/A.com | server name 'A.com' is given twice (names are compared without regard to case): expected each name once
      "{routes: {a.com: 443}}"                  | /x-gatelink-passthrough/routes/a.com | route 'a.com' is a number: expected a target: HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE
      "{routes: {a.com: h:0}}"                  | /x-gatelink-passthrough/routes/a.com | target 'h:0' has port 0: expected a port number from 1 to 65535
      "{default: orders}"                       | /x-gatelink-passthrough/default | target 'orders' is not valid: expected HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE
      "{default: null}"                         | /x-gatelink-passthrough/default | default is null: expected a target: HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE
      "{default: h:1, proxyProtocol: 'true'}"   | /x-gatelink-passthrough/proxyProtocol | proxyProtocol is a string: expected true or false
      "{default: h:1, helloTimeoutMillis: 0}"   | /x-gatelink-passthrough/helloTimeoutMillis | helloTimeoutMillis 0 is out of range: expected 1 ms to 5 min
      "{default: h:1, idleTimeoutMillis: 1s}"   | /x-gatelink-passthrough/idleTimeoutMillis | idleTimeoutMillis '1s': expected a whole number of milliseconds
      "{default: h:1, maxConnections: 0}"       | /x-gatelink-passthrough/maxConnections | maxConnections '0': expected a number from 1 to 2147483647
      """)
  void aBadValueNamesTheFileThePointerAndWhatWasExpected(String extension, String pointer, String problem)
      throws Exception {
    Path api = file("x-gatelink-passthrough: " + extension + "\n");

    assertThatThrownBy(() -> TlsPassthroughExtension.read(api))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(api + ": " + pointer + ": " + problem);
  }

  @Test
  void anUnreadableFileIsNamed() {
    Path missing = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> TlsPassthroughExtension.read(missing))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(missing + ": cannot be read: ");
  }
}
