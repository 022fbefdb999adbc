package dev.gatelink.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Headers#isHopByHop(String)}: the headers dropped in both directions. */
class HeadersUnitTest {

  @ParameterizedTest
  @ValueSource(strings = {"te", "TE", "Te", "trailer", "Trailer", "TRAILER", "trailers", "Trailers", "upgrade",
      "Upgrade", "UPGRADE", "connection", "Connection", "CONNECTION", "keep-alive", "Keep-Alive", "KEEP-ALIVE",
      "proxy-connection", "Proxy-Connection", "transfer-encoding", "Transfer-Encoding", "TRANSFER-ENCODING",
      "proxy-authenticate", "Proxy-Authenticate", "proxy-authorization", "Proxy-Authorization",
      "PROXY-AUTHORIZATION", "tRaNsFeR-eNcOdInG"})
  void hopByHopHeaderInAnyCaseIsHopByHop(String name) {
    assertThat(Headers.isHopByHop(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"content-length", "Content-Length", "host", "Host", "content-type", "authorization",
      "forwarded", "via", "x-forwarded-for", "expect", "cookie", "", "t", "tee", "upgrades", "connections",
      "keep-alive2", "transfer-encodin", "proxy-authorizatio", "apigw-requestid"})
  void endToEndHeaderIsNotHopByHop(String name) {
    assertThat(Headers.isHopByHop(name)).isFalse();
  }

  @Test
  void requestIdHeaderNameIsApiGateways() {
    assertThat(Headers.REQUEST_ID).isEqualTo("apigw-requestid");
  }
}
