package dev.gatelink.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runner in-process: its servers, one per event loop on one port, and its stop. */
class GatewayRunnerTest {
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  @Test
  void oneServerPerEventLoopAllOnTheSamePort() throws Exception {
    RunnerOptions options = RunnerOptions.parse(List.of("--port", "0", "--event-loops", "3"), Map.of());
    GatewayRunner runner = GatewayRunner.start(options, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8));
    try {
      assertThat(runner.serverThreads()).hasSize(3).doesNotHaveDuplicates()
          .allSatisfy(thread -> assertThat(thread).startsWith("vert.x-eventloop-thread-"));
      assertThat(runner.port()).isBetween(1, 65_535);
      assertThat(runner.url()).isEqualTo("http://127.0.0.1:" + runner.port());

      Set<String> served = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> response = client.send(
            HttpRequest.newBuilder(URI.create(runner.url() + "/orders/" + i)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        served.add(new JsonObject(response.body()).getString("path"));
      }
      assertThat(served).hasSize(6);
    } finally {
      assertThat(runner.stop()).isTrue();
    }
  }

  @ParameterizedTest(name = "--transport {0}")
  @ValueSource(strings = {"nio", "epoll", "io_uring"})
  void eachTransportNamedServesOnThatTransport(String name) throws Exception {
    Transport expected = switch (name) {
      case "nio" -> Transport.NIO;
      case "epoll" -> Transport.EPOLL;
      default -> Transport.IO_URING;
    };
    RunnerOptions options = RunnerOptions.parse(List.of("--port", "0", "--transport", name), Map.of());
    GatewayRunner runner = GatewayRunner.start(options, System.err);
    try {
      assertThat(runner.transport()).isSameAs(expected);
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create(runner.url() + "/orders/42")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(response.body()).getString("service")).isEqualTo("orders");
    } finally {
      assertThat(runner.stop()).isTrue();
    }
  }

  @Test
  void autoTransportIsTheFirstOfEpollIoUringAndNioThatCanRunHere() throws Exception {
    Transport expected = Transport.EPOLL.available() ? Transport.EPOLL
        : Transport.IO_URING.available() ? Transport.IO_URING : Transport.NIO;
    GatewayRunner runner = GatewayRunner.start(RunnerOptions.parse(List.of("--port", "0"), Map.of()), System.err);
    try {
      assertThat(runner.transport()).isSameAs(expected);
    } finally {
      assertThat(runner.stop()).isTrue();
    }
  }

  @Test
  void wildcardHostIsCalledOnLoopbackInTheDemosCommands() throws Exception {
    RunnerOptions options = RunnerOptions.parse(List.of("--port", "0", "--host", "0.0.0.0"), Map.of());
    GatewayRunner runner = GatewayRunner.start(options, System.err);
    try {
      assertThat(runner.url()).isEqualTo("http://0.0.0.0:" + runner.port());
      assertThat(runner.localUrl()).isEqualTo("http://127.0.0.1:" + runner.port());
    } finally {
      assertThat(runner.stop()).isTrue();
    }
  }
}
