package dev.gatelink.nlb.passthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * On Vert.x's io_uring transport the listener refuses to start: its connections leak socket descriptors under load
 * there (about one per two connections in passthrough-bench.sh's connect workload; NIO and epoll do not), so it
 * says so rather than exhaust the process's descriptors. Fails, rather than skips, where io_uring cannot run.
 */
class PassthroughListenerOnIoUringTest {
  @Test
  void startingOnIoUringFailsSayingWhyAndListensOnNothing() throws Exception {
    assertThat(Transport.IO_URING.available()).as("io_uring runs here: %s", Transport.IO_URING.unavailabilityCause())
        .isTrue();
    Vertx vertx = Vertx.builder().withTransport(Transport.IO_URING).build();
    try {
      assertThatThrownBy(() -> TlsPassthroughListener.start(vertx, TlsPassthroughOptions.builder().host("127.0.0.1")
          .defaultTarget(FixedTarget.at("fallback", 9)).build()).await(10, TimeUnit.SECONDS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("TLS passthrough listener cannot run on Vert.x's io_uring transport yet (its connections leak "
              + "socket descriptors under load): expected the epoll or NIO transport");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
