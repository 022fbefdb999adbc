package dev.gatelink.nlb.passthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
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

  /** The route of a name and ALPN protocols, looked up in a buffer that holds the list among other bytes. */
  private String route(SniRouteTable table, @Nullable String serverName, String... offered) {
    ByteBuf hello = Unpooled.wrappedBuffer(new byte[] {9, 9, 9}, Hellos.alpn(offered), new byte[] {9});
    SniRouteTable.Entry entry = table.find(serverName, hello, 5, hello.writerIndex() - 1);
    return entry == null ? "refused"
        : entry.name + (entry.alpn == null ? "" : " " + entry.alpn) + " -> " + ((FixedTarget) entry.target).name;
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
  void alpnRoutesComeBeforeTheirNamesRouteAndExactNamesBeforeWildcards() {
    FixedTarget exactH2 = FixedTarget.at("exactH2", 5);
    FixedTarget wildH2 = FixedTarget.at("wildH2", 6);
    FixedTarget exactHttp1 = FixedTarget.at("exactHttp1", 7);
    SniRouteTable table = new SniRouteTable(List.of(SniRoute.of("api.example.com", List.of("h2"), exactH2),
        SniRoute.of("api.example.com", exact), SniRoute.of("*.example.com", List.of("h2", "h3"), wildH2),
        SniRoute.of("*.example.com", wildcard), SniRoute.of("web.example.com", List.of("http/1.1"), exactHttp1),
        SniRoute.of("web.example.com", List.of("h2"), exactH2)), fallback);

    assertThat(route(table, "api.example.com", "h2")).isEqualTo("api.example.com h2 -> exactH2");
    assertThat(route(table, "api.example.com", "http/1.1", "h2")).isEqualTo("api.example.com h2 -> exactH2");
    assertThat(route(table, "api.example.com", "h3")).isEqualTo("api.example.com -> exact");
    assertThat(route(table, "api.example.com")).isEqualTo("api.example.com -> exact");
    assertThat(route(table, "www.example.com", "h3", "h2")).isEqualTo("*.example.com h3 -> wildH2");
    assertThat(route(table, "www.example.com", "http/1.1")).isEqualTo("*.example.com -> wildcard");
    // The client's order of preference decides among one name's ALPN routes.
    assertThat(route(table, "web.example.com", "h2", "http/1.1")).isEqualTo("web.example.com h2 -> exactH2");
    assertThat(route(table, "web.example.com", "http/1.1", "h2")).isEqualTo("web.example.com http/1.1 -> exactHttp1");
    // A name with ALPN routes only, none offered: the wildcard's routes, then the default.
    assertThat(route(table, "web.example.com", "h3")).isEqualTo("*.example.com h3 -> wildH2");
    assertThat(route(table, "web.example.com", "spdy/3")).isEqualTo("*.example.com -> wildcard");
    assertThat(route(table, "a.b.example.com", "h2")).isEqualTo("$default -> fallback");
    assertThat(route(table, null, "h2")).isEqualTo("$default -> fallback");
    // Without ALPN (the lookup the benchmark measures), names with ALPN routes only are not theirs.
    assertThat(route(table, "web.example.com")).isEqualTo("*.example.com -> wildcard");
    // A protocol is compared whole, byte for byte.
    assertThat(route(table, "api.example.com", "h2c", "H2", "h")).isEqualTo("api.example.com -> exact");
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
    for (String protocol : List.of("", "h 2", "h\u00e92", "x".repeat(256))) {
      assertThatThrownBy(() -> SniRoute.of("a.test", List.of("h2", protocol), exact)).hasMessage("SNI route"
          + " 'a.test' ALPN protocol '" + protocol + "' is not valid: expected 1 to 255 printable ASCII characters"
          + " without spaces, such as 'h2' or 'http/1.1'");
    }
    assertThatThrownBy(() -> SniRoute.of("*.A.test", List.of("h2", "h2"), exact))
        .hasMessage("SNI route '*.a.test' with ALPN protocol 'h2' is given twice: expected each server name and ALPN"
            + " protocol once");
    assertThatThrownBy(() -> TlsPassthroughOptions.builder().route("a.test", List.of("http/1.1", "h2"), exact)
        .route("a.test", exact).route("A.test", List.of("h3", "h2"), wildcard).build())
        .hasMessage("SNI route 'a.test' with ALPN protocol 'h2' is given twice: expected each server name and ALPN"
            + " protocol once");
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
        .maxConnectionsPerTarget(2).proxyProtocol(true).route("a.test", List.of("h2"), wildcard).zeroCopy(false)
        .build();

    assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
    assertThat(options.toBuilder().proxyProtocol(false).build()).isNotEqualTo(options);
    assertThat(options.toBuilder().zeroCopy(true).build()).isNotEqualTo(options);
    assertThat(options.zeroCopy()).isFalse();
    assertThat(options.routes()).containsExactly(SniRoute.of("a.test", exact),
        SniRoute.of("A.test", List.of("h2"), wildcard));
    assertThat(options.routes().get(1)).isNotEqualTo(SniRoute.of("a.test", List.of("h3"), wildcard))
        .hasToString("SniRoute[a.test [h2] -> FixedTarget[wildcard]]");
    assertThat(TlsPassthroughOptions.builder().defaultTarget(fallback).build().idleTimeout())
        .isEqualTo(Duration.ofSeconds(350));
    assertThat(TlsPassthroughOptions.builder().defaultTarget(fallback).build().zeroCopy()).isTrue();
  }
}
