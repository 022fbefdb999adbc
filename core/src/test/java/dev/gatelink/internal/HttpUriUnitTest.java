package dev.gatelink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.gatelink.config.InvalidConfigException;

/** {@link HttpUri#parse(String)}: scheme, host, port, Host header, path and query of a resolved uri. */
class HttpUriUnitTest {

  @Test
  void httpDefaultsToPort80() {
    assertThat(HttpUri.parse("http://orders.example.com/orders"))
        .isEqualTo(new HttpUri(false, "orders.example.com", 80, "orders.example.com", "/orders", null));
  }

  @Test
  void httpsDefaultsToPort443() {
    assertThat(HttpUri.parse("https://orders.example.com/orders"))
        .isEqualTo(new HttpUri(true, "orders.example.com", 443, "orders.example.com", "/orders", null));
  }

  @Test
  void schemeIsCaseInsensitive() {
    assertThat(HttpUri.parse("HTTPS://orders.example.com/"))
        .isEqualTo(new HttpUri(true, "orders.example.com", 443, "orders.example.com", "/", null));
  }

  @Test
  void explicitPortIsUsedAndKeptInTheAuthority() {
    assertThat(HttpUri.parse("http://orders.example.com:8080/orders"))
        .isEqualTo(new HttpUri(false, "orders.example.com", 8080, "orders.example.com:8080", "/orders", null));
  }

  @Test
  void explicitDefaultPortIsKeptInTheAuthority() {
    assertThat(HttpUri.parse("https://orders.example.com:443/"))
        .isEqualTo(new HttpUri(true, "orders.example.com", 443, "orders.example.com:443", "/", null));
  }

  @Test
  void ipv4AddressIsAHost() {
    assertThat(HttpUri.parse("http://127.0.0.1:9000/x"))
        .isEqualTo(new HttpUri(false, "127.0.0.1", 9000, "127.0.0.1:9000", "/x", null));
  }

  @Test
  void ipv6AddressWithAPortHasNoBracketsInTheHost() {
    assertThat(HttpUri.parse("http://[::1]:8080/orders"))
        .isEqualTo(new HttpUri(false, "::1", 8080, "[::1]:8080", "/orders", null));
  }

  @Test
  void ipv6AddressWithoutAPortUsesTheDefaultPort() {
    assertThat(HttpUri.parse("https://[2001:db8::7]/"))
        .isEqualTo(new HttpUri(true, "2001:db8::7", 443, "[2001:db8::7]", "/", null));
  }

  @Test
  void unclosedIpv6AddressIsRefused() {
    assertThatThrownBy(() -> HttpUri.parse("http://[::1/orders"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://[::1/orders' has an unclosed IPv6 address: expected [ADDRESS]");
  }

  @Test
  void textAfterAnIpv6AddressIsRefused() {
    assertThatThrownBy(() -> HttpUri.parse("http://[::1]8080/orders"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://[::1]8080/orders' has text after the IPv6 address: expected [ADDRESS]:PORT");
  }

  @Test
  void emptyIpv6AddressIsRefused() {
    assertThatThrownBy(() -> HttpUri.parse("http://[]/orders"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://[]/orders' has IPv6 address '': expected hexadecimal groups separated by colons, such as [::1]");
  }

  @Test
  void port1IsAccepted() {
    assertThat(HttpUri.parse("http://a.example.com:1/").port()).isEqualTo(1);
  }

  @Test
  void port65535IsAccepted() {
    assertThat(HttpUri.parse("http://a.example.com:65535/").port()).isEqualTo(65_535);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "65536", "abc", "", "-1", "123456", "99999", "8o"})
  void portOutsideTheRangeIsRefused(String port) {
    String uri = "http://a.example.com:" + port + "/orders";

    assertThatThrownBy(() -> HttpUri.parse(uri))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri '" + uri + "' has port '" + port + "': expected 1 to 65535");
  }

  @Test
  void badPortAfterAnIpv6AddressIsRefused() {
    assertThatThrownBy(() -> HttpUri.parse("http://[::1]:0/"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://[::1]:0/' has port '0': expected 1 to 65535");
  }

  @Test
  void userInformationIsRefused() {
    assertThatThrownBy(() -> HttpUri.parse("http://user:secret@orders.example.com/"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http://user:secret@orders.example.com/' has user information:"
            + " expected http(s)://HOST[:PORT]/PATH");
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders_internal", "-orders.example.com", "orders..example.com", "ord ers"})
  void hostThatIsNotAHostNameIsRefused(String host) {
    String uri = "http://" + host + "/";

    assertThatThrownBy(() -> HttpUri.parse(uri))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri '" + uri + "' has host '" + host + "': expected a host name or an IP address");
  }

  @Test
  void emptyHostIsRefused() {
    assertThatThrownBy(() -> HttpUri.parse("http:///orders"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri 'http:///orders' has host '': expected a host name or an IP address");
  }

  @Test
  void queryIsSplitFromThePath() {
    assertThat(HttpUri.parse("http://a.example.com/orders/{id}?expand=items&v=2"))
        .isEqualTo(new HttpUri(false, "a.example.com", 80, "a.example.com", "/orders/{id}", "expand=items&v=2"));
  }

  @Test
  void queryRightAfterTheAuthorityLeavesAnEmptyPath() {
    assertThat(HttpUri.parse("http://a.example.com:81?v=2"))
        .isEqualTo(new HttpUri(false, "a.example.com", 81, "a.example.com:81", "", "v=2"));
  }

  @Test
  void emptyQueryIsEmptyNotAbsent() {
    assertThat(HttpUri.parse("http://a.example.com/x?").query()).isEmpty();
  }

  @Test
  void uriWithoutPathHasAnEmptyPathAndNoQuery() {
    assertThat(HttpUri.parse("http://a.example.com"))
        .isEqualTo(new HttpUri(false, "a.example.com", 80, "a.example.com", "", null));
  }

  @Test
  void onlyTheFirstQuestionMarkStartsTheQuery() {
    assertThat(HttpUri.parse("http://a.example.com/x?a=1?b=2").query()).isEqualTo("a=1?b=2");
  }
}
