package dev.gatelink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A moto_server started directly: it answers on loopback, and closing it ends its process. */
class MotoServerTest {
  private static final Pattern DESCRIPTION =
      Pattern.compile("moto_server \\(pid ([0-9]+)\\) on http://127\\.0\\.0\\.1:([0-9]+)");

  /** moto_server from PATH, with the extension's policy when it is missing (skip, or fail on CI). */
  private static Path motoServer() {
    MotoProvision provision = MotoProvision.decide(System.getenv(), () -> false);
    if (provision.kind() == MotoProvision.Kind.FAIL) {
      throw new IllegalStateException(provision.reason());
    }
    Assumptions.assumeTrue(provision.kind() == MotoProvision.Kind.LOCAL, provision::reason);
    return Objects.requireNonNull(provision.executable());
  }

  @Test
  void startsOnAFreeLoopbackPortAndClosingEndsTheProcess() throws Exception {
    MotoServer server = MotoServer.start(motoServer());
    Matcher description = DESCRIPTION.matcher(server.description());
    assertThat(description.matches()).as(server.description()).isTrue();
    long pid = Long.parseLong(description.group(1));
    int port = Integer.parseInt(description.group(2));
    assertThat(server.endpoint()).hasToString("http://127.0.0.1:" + port);
    assertThat(ProcessHandle.of(pid)).hasValueSatisfying(process -> assertThat(process.isAlive()).isTrue());

    server.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(java.util.Optional.empty(),
        java.util.Optional.of(false));
    assertThatThrownBy(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      }
    }).isInstanceOf(ConnectException.class);
  }

  @Test
  void twoServersGetTwoPorts() throws Exception {
    Path executable = motoServer();
    try (MotoServer first = MotoServer.start(executable); MotoServer second = MotoServer.start(executable)) {
      assertThat(first.endpoint().getPort()).isNotEqualTo(second.endpoint().getPort());
    }
  }
}
