package dev.gatelink.nlb.passthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compiled route table and the options' validation, without a network. */
class SniRouteTableTest {
  private final FixedTarget exact = FixedTarget.at("exact", 1);
  private final FixedTarget wildcard = FixedTarget.at("wildcard", 2);
  private final FixedTarget deeper = FixedTarget.at("deeper", 3);
  private final FixedTarget fallback = FixedTarget.at("fallback", 4);

  private String route(SniRouteTable table, String serverName) {
    SniRouteTable.Entry entry = table.find(serverName);
    return entry == null ? "refused" : entry.name + " -> " + ((FixedTarget) entry.target).name;
  }

  @Test
  void exactNamesWinOverWildcardsOfOneLabelAndTheRestTakesTheDefault() {
    SniRouteTable table = new SniRouteTable(List.of(SniRoute.of("API.example.com", exact),
        SniRoute.of("*.example.com", wildcard), SniRoute.of("*.eu.example.com", deeper)), fallback);

    assertThat(route(table, "api.example.com")).isEqualTo("api.example.com -> exact");
    assertThat(route(table, "www.example.com")).isEqualTo("*.example.com -> wildcard");
    assertThat(route(table, "x.eu.example.com")).isEqualTo("*.eu.example.com -> deeper");
    assertThat(route(table, "a.b.example.com")).isEqualTo("$default -> fallback");
    assertThat(route(table, "example.com")).isEqualTo("$default -> fallback");
    assertThat(route(table, ".example.com")).isEqualTo("$default -> fallback");
    assertThat(route(table, "wwwexample.com")).isEqualTo("$default -> fallback");
    assertThat(table.find(null).name).isEqualTo("$default");
  }

  @Test
  void withoutADefaultRouteAMissIsNull() {
    SniRouteTable table = new SniRouteTable(List.of(SniRoute.of("*.example.com", wildcard)), null);

    assertThat(table.find("a.example.com").target).isSameAs(wildcard);
    assertThat(table.find("example.com")).isNull();
    assertThat(table.find(null)).isNull();
  }

  @Test
  void manyWildcardsAreAllFound() {
    List<SniRoute> routes = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      routes.add(SniRoute.of("*.d" + i + ".test", FixedTarget.at("t" + i, 1000 + i)));
    }
    SniRouteTable table = new SniRouteTable(routes, null);

    for (int i = 0; i < 100; i++) {
      assertThat(route(table, "x.d" + i + ".test")).isEqualTo("*.d" + i + ".test -> t" + i);
      assertThat(table.find("d" + i + ".test")).isNull();
    }
  }

  @Test
  void routesSharingATargetShareItsConnectionCount() {
    SniRouteTable table = new SniRouteTable(List.of(SniRoute.of("a.test", exact), SniRoute.of("*.b.test", exact),
        SniRoute.of("c.test", wildcard)), exact);

    assertThat(table.find("a.test").open).isSameAs(table.find("x.b.test").open).isSameAs(table.find(null).open)
        .isNotSameAs(table.find("c.test").open);
  }

  @Test
  void invalidNamesAndOptionsAreRefusedWithTheirWholeMessage() {
    for (String name : List.of("", "*", "*.", "a.*.test", "a..test", ".a.test", "a.test.", "a b.test", "**.test")) {
      assertThatThrownBy(() -> SniRoute.of(name, exact)).hasMessage("SNI route server name '" + name
          + "' is not valid: expected a DNS name such as 'api.example.com' or a wildcard of one label such as"
          + " '*.example.com'");
    }
    assertThatThrownBy(() -> TlsPassthroughOptions.builder().route("a.test", exact).route("A.test", wildcard).build())
        .hasMessage("SNI route server name 'a.test' is given twice: expected each server name once");
    assertThatThrownBy(() -> TlsPassthroughOptions.builder().build())
        .hasMessage("no SNI route and no default route: expected at least one");
    assertThatThrownBy(() -> TlsPassthroughOptions.builder().helloTimeout(Duration.ZERO))
        .hasMessage("helloTimeout PT0S is out of range: expected 1 ms to 5 min");
    assertThatThrownBy(() -> TlsPassthroughOptions.builder().idleTimeout(Duration.ofDays(2)))
        .hasMessage("idleTimeout PT48H is out of range: expected 1 ms to 1 day");
    assertThatThrownBy(() -> TlsPassthroughOptions.builder().maxConnections(0))
        .hasMessage("maxConnections 0 is out of range: expected at least 1");
    assertThatThrownBy(() -> TlsPassthroughOptions.builder().port(65_536))
        .hasMessage("port 65536 is out of range: expected 0 to 65535");
  }

  @Test
  void optionsCopyThroughTheirBuilder() {
    TlsPassthroughOptions options = TlsPassthroughOptions.builder().host("127.0.0.1").port(8443)
        .route("a.test", exact).defaultTarget(fallback).helloTimeout(Duration.ofSeconds(2))
        .idleTimeout(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(3)).maxConnections(5)
        .maxConnectionsPerTarget(2).proxyProtocol(true).build();

    assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
    assertThat(options.toBuilder().proxyProtocol(false).build()).isNotEqualTo(options);
    assertThat(options.routes()).containsExactly(SniRoute.of("a.test", exact));
    assertThat(TlsPassthroughOptions.builder().defaultTarget(fallback).build().idleTimeout())
        .isEqualTo(Duration.ofSeconds(350));
  }
}
