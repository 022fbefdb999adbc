package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link FrontDoorOptions}: defaults, copies, every error message whole, and the server options they make. */
class FrontDoorOptionsTest {

  @Test
  void defaultsAreTheDocumentedConstants() {
    FrontDoorOptions defaults = FrontDoorOptions.defaults();

    assertThat(defaults.headerTimeout()).isEqualTo(Duration.ofSeconds(30)).isEqualTo(FrontDoorOptions.DEFAULT_HEADER_TIMEOUT);
    assertThat(defaults.bodyTimeout()).isEqualTo(Duration.ofSeconds(30)).isEqualTo(FrontDoorOptions.DEFAULT_BODY_TIMEOUT);
    assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(60)).isEqualTo(FrontDoorOptions.DEFAULT_IDLE_TIMEOUT);
    assertThat(defaults.http2MaxConcurrentStreams()).isEqualTo(100);
    assertThat(defaults.http2MaxResets()).isEqualTo(200);
    assertThat(defaults.http2ResetWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(FrontDoorOptions.builder().build()).isEqualTo(defaults).hasSameHashCodeAs(defaults);
  }

  @Test
  void toBuilderCopiesEveryLimitAndLeavesTheOriginalAlone() {
    FrontDoorOptions options = FrontDoorOptions.builder()
        .headerTimeout(Duration.ofMillis(1500))
        .bodyTimeout(Duration.ofSeconds(5))
        .idleTimeout(Duration.ofMinutes(2))
        .http2MaxConcurrentStreams(16)
        .http2MaxResets(50)
        .http2ResetWindow(Duration.ofSeconds(10))
        .build();

    FrontDoorOptions changed = options.toBuilder().idleTimeout(Duration.ofSeconds(90)).build();

    assertThat(options.toBuilder().build()).isEqualTo(options);
    assertThat(changed.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(changed.headerTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(changed.http2MaxConcurrentStreams()).isEqualTo(16);
    assertThat(options.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(changed).isNotEqualTo(options);
    assertThat(options).hasToString("FrontDoorOptions{headerTimeout=PT1.5S, bodyTimeout=PT5S, idleTimeout=PT2M, "
        + "http2MaxConcurrentStreams=16, http2MaxResets=50, http2ResetWindow=PT10S}");
  }

  @Test
  void outOfRangeValuesAreRefusedWithWholeMessages() {
    FrontDoorOptions.Builder builder = FrontDoorOptions.builder();

    assertThatThrownBy(() -> builder.headerTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("headerTimeout PT0S is out of range: expected 1 ms to 24 h");
    assertThatThrownBy(() -> builder.bodyTimeout(Duration.ofNanos(999_999)))
        .hasMessage("bodyTimeout PT0.000999999S is out of range: expected 1 ms to 24 h");
    assertThatThrownBy(() -> builder.idleTimeout(Duration.ofHours(25)))
        .hasMessage("idleTimeout PT25H is out of range: expected 1 ms to 24 h");
    assertThatThrownBy(() -> builder.idleTimeout(Duration.ofSeconds(-1)))
        .hasMessage("idleTimeout PT-1S is out of range: expected 1 ms to 24 h");
    assertThatThrownBy(() -> builder.http2MaxConcurrentStreams(0))
        .hasMessage("http2MaxConcurrentStreams 0 is out of range: expected at least 1");
    assertThatThrownBy(() -> builder.http2MaxResets(-5))
        .hasMessage("http2MaxResets -5 is out of range: expected at least 1");
    assertThatThrownBy(() -> builder.http2ResetWindow(Duration.ofMillis(1500)))
        .hasMessage("http2ResetWindow PT1.5S is out of range: expected whole seconds from 1 s to 24 h");
    assertThatThrownBy(() -> builder.http2ResetWindow(Duration.ZERO))
        .hasMessage("http2ResetWindow PT0S is out of range: expected whole seconds from 1 s to 24 h");
    assertThatThrownBy(() -> builder.headerTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("headerTimeout");
    assertThat(builder.build()).isEqualTo(FrontDoorOptions.defaults());
  }

  @Test
  void limitsAtTheEdgesOfTheirRangesAreAccepted() {
    FrontDoorOptions options = FrontDoorOptions.builder()
        .headerTimeout(Duration.ofMillis(1))
        .bodyTimeout(Duration.ofHours(24))
        .http2MaxConcurrentStreams(Integer.MAX_VALUE)
        .http2ResetWindow(Duration.ofHours(24))
        .build();

    assertThat(options.headerTimeout()).isEqualTo(Duration.ofMillis(1));
    assertThat(options.bodyTimeout()).isEqualTo(Duration.ofHours(24));
    assertThat(options.http2MaxConcurrentStreams()).isEqualTo(Integer.MAX_VALUE);
    assertThat(options.http2ResetWindow()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void serverOptionsCarryTheLimitsVertxEnforces() {
    FrontDoorOptions limits = FrontDoorOptions.builder()
        .idleTimeout(Duration.ofMillis(2500))
        .http2MaxConcurrentStreams(8)
        .http2MaxResets(20)
        .http2ResetWindow(Duration.ofMinutes(1))
        .build();

    HttpServerOptions options = Gateway.serverOptions(limits);

    assertThat(options.getIdleTimeout()).isEqualTo(2500);
    assertThat(options.getIdleTimeoutUnit()).isEqualTo(TimeUnit.MILLISECONDS);
    assertThat(options.getReadIdleTimeout()).isZero();
    assertThat(options.getWriteIdleTimeout()).isZero();
    assertThat(options.getInitialSettings().getMaxConcurrentStreams()).isEqualTo(8);
    assertThat(options.getInitialSettings().getInitialWindowSize())
        .isEqualTo(new Http2Settings().getInitialWindowSize());
    assertThat(options.getHttp2RstFloodMaxRstFramePerWindow()).isEqualTo(20);
    assertThat(options.getHttp2RstFloodWindowDuration()).isEqualTo(60);
    assertThat(options.getHttp2RstFloodWindowDurationTimeUnit()).isEqualTo(TimeUnit.SECONDS);
    assertThat(options.isHttp2ClearTextEnabled()).isTrue();
    assertThat(options.getMaxHeaderSize()).isEqualTo(65_536);
  }

  @Test
  void serverOptionsWithoutArgumentsHaveTheDefaultLimits() {
    HttpServerOptions options = Gateway.serverOptions();

    assertThat(options.getIdleTimeout()).isEqualTo(60_000);
    assertThat(options.getIdleTimeoutUnit()).isEqualTo(TimeUnit.MILLISECONDS);
    assertThat(options.getInitialSettings().getMaxConcurrentStreams()).isEqualTo(100);
    assertThat(options.getHttp2RstFloodMaxRstFramePerWindow()).isEqualTo(200);
    assertThat(options.getHttp2RstFloodWindowDuration()).isEqualTo(30);
  }
}
