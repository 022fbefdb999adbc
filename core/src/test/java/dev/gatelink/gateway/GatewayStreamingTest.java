package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/**
 * Bodies stream through the gateway both ways with back-pressure: 50 MB each way under the tests' bounded
 * heap (core's Surefire runs with -Xmx128m), chunked encoding, kept-alive backend connections, and a client
 * that goes away releasing its backend connection.
 */
class GatewayStreamingTest {
  private static final long FIFTY_MB = 50L * 1024 * 1024;

  private static Vertx vertx;
  private static LoopbackBackend echo;
  private static LoopbackBackend download;
  private static LoopbackBackend chunked;
  private static LoopbackBackend silent;
  private static final AtomicInteger silentRequests = new AtomicInteger();
  private static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    echo = LoopbackBackend.start(vertx, "echo");
    download = LoopbackBackend.start(vertx, "download", new HttpServerOptions(), request -> {
      HttpServerResponse response = request.response();
      response.putHeader("content-length", Long.toString(FIFTY_MB));
      sendPattern(response, FIFTY_MB);
    });
    chunked = LoopbackBackend.start(vertx, "chunked", new HttpServerOptions(), request -> {
      request.body().onSuccess(body -> request.response().setChunked(true)
          .putHeader("x-request-transfer-encoding", String.valueOf(request.getHeader("transfer-encoding")))
          .write("first;")
          .compose(v -> request.response().end("second:" + body.length())));
    });
    silent = LoopbackBackend.start(vertx, "silent", new HttpServerOptions(), request -> silentRequests.incrementAndGet());
    ApiDefinition api = ApiDefinition.builder()
        .route("POST /upload", Integration.http(echo.url() + "/upload"))
        .route("GET /download", Integration.http(download.url() + "/download"))
        .route("POST /chunked", Integration.http(chunked.url() + "/chunked"))
        .route("GET /echo", Integration.http(echo.url() + "/echo"))
        .route("HEAD /echo", Integration.http(echo.url() + "/echo"))
        .route("GET /silent", Integration.http(silent.url() + "/silent"))
        .build();
    gateway = GatewayServer.start(vertx, api, builder -> builder.maxRequestBodyBytes(64L * 1024 * 1024));
  }

  /** Writes {@code total} bytes of a repeating pattern, waiting for the socket to drain whenever it is full. */
  static void sendPattern(HttpServerResponse response, long total) {
    Buffer chunk = Buffer.buffer(pattern(64 * 1024));
    long[] sent = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (sent[0] < total && !response.writeQueueFull()) {
        int length = (int) Math.min(chunk.length(), total - sent[0]);
        response.write(length == chunk.length() ? chunk.copy() : chunk.getBuffer(0, length));
        sent[0] += length;
      }
      if (sent[0] >= total) {
        response.end();
      } else {
        response.drainHandler(v -> pump[0].run());
      }
    };
    pump[0].run();
  }

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i % 251);
    }
    return bytes;
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    for (LoopbackBackend backend : new LoopbackBackend[] {echo, download, chunked, silent}) {
      backend.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void forgetEarlierRequests() {
    echo.seen().clear();
  }

  @Test
  void fiftyMegabytesStreamUpToTheBackend() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/upload"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(FIFTY_MB))).build());

    assertThat(response.statusCode()).isEqualTo(200);
    LoopbackBackend.Seen seen = echo.next();
    assertThat(seen.bodyBytes()).isEqualTo(FIFTY_MB);
    assertThat(seen.headers().get("transfer-encoding")).isEqualTo("chunked");
  }

  @Test
  void fiftyMegabytesStreamDownToTheClientIntact() throws Exception {
    HttpResponse<InputStream> response = gateway.client.send(
        HttpRequest.newBuilder(gateway.uri("/download")).GET().build(), HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-length")).hasValue(Long.toString(FIFTY_MB));
    PatternCheck received = PatternCheck.read(response.body());
    assertThat(received.bytes()).isEqualTo(FIFTY_MB);
    assertThat(received.mismatches()).isZero();
  }

  @Test
  void chunkedRequestAndResponseStayChunked() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/chunked"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(100_000))).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("first;second:100000");
    assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
    assertThat(response.headers().firstValue("x-request-transfer-encoding")).hasValue("chunked");
  }

  @Test
  void fixedLengthRequestKeepsItsContentLength() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/upload"))
        .POST(HttpRequest.BodyPublishers.ofString("hello")).build());

    assertThat(response.body()).isEqualTo("echo POST /upload");
    LoopbackBackend.Seen seen = echo.next();
    assertThat(seen.headers().get("content-length")).isEqualTo("5");
    assertThat(seen.headers().get("transfer-encoding")).isNull();
    assertThat(seen.bodyBytes()).isEqualTo(5);
  }

  @Test
  void headIsForwardedAndAnsweredWithoutBody() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/echo"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(echo.next().method()).isEqualTo("HEAD");
  }

  @Test
  void sequentialRequestsReuseOneKeptAliveBackendConnection() throws Exception {
    LoopbackBackend fresh = LoopbackBackend.start(vertx, "fresh");
    try (GatewayServer own = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /x", Integration.http(fresh.url() + "/x")).build())) {
      for (int i = 0; i < 20; i++) {
        assertThat(own.get("/x").body()).isEqualTo("fresh GET /x");
      }
      assertThat(fresh.connections()).isEqualTo(1);
    } finally {
      fresh.close();
    }
  }

  @Test
  void clientThatDisconnectsReleasesTheBackendConnection() throws Exception {
    int closedBefore = silent.closedConnections();
    int requestsBefore = silentRequests.get();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.server.actualPort())) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /silent HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> silentRequests.get() == requestsBefore + 1);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> silent.closedConnections() == closedBefore + 1);
  }

  @Test
  void backendThatClosesAfterEachResponseGetsAFreshConnectionEachTime() throws Exception {
    LoopbackBackend closer = LoopbackBackend.start(vertx, "closer", new HttpServerOptions(),
        request -> request.response().putHeader("connection", "close").end("closing"));
    try (GatewayServer own = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /x", Integration.http(closer.url() + "/x")).build())) {
      for (int i = 0; i < 5; i++) {
        assertThat(own.get("/x").body()).isEqualTo("closing");
      }
      assertThat(closer.connections()).isEqualTo(5);
    } finally {
      closer.close();
    }
  }

  @Test
  void requestsBeyondThePoolSizeWaitForAConnectionInTurn() throws Exception {
    LoopbackBackend slow = LoopbackBackend.start(vertx, "slow", new HttpServerOptions(),
        request -> vertx.setTimer(100, id -> request.response().end("slow " + request.uri())));
    try (GatewayServer own = GatewayServer.start(vertx, ApiDefinition.builder()
        .route("GET /{n}", Integration.http(slow.url() + "/{n}")).build(),
        builder -> builder.maxConnectionsPerEndpoint(1))) {
      java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(own.client.sendAsync(HttpRequest.newBuilder(own.uri("/" + i)).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < 4; i++) {
        assertThat(answers.get(i).get(10, TimeUnit.SECONDS).body()).isEqualTo("slow /" + i);
      }
      assertThat(slow.connections()).isEqualTo(1);
    } finally {
      slow.close();
    }
  }

  /** How many bytes a stream of {@link #sendPattern}'s pattern had, and how many of them were not the pattern. */
  record PatternCheck(long bytes, long mismatches) {
    static PatternCheck read(InputStream stream) throws java.io.IOException {
      long count = 0;
      long mismatches = 0;
      try (InputStream body = stream) {
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = body.read(buffer)) >= 0) {
          for (int i = 0; i < read; i++) {
            if (buffer[i] != (byte) (((count + i) % (64 * 1024)) % 251)) {
              mismatches++;
            }
          }
          count += read;
        }
      }
      return new PatternCheck(count, mismatches);
    }
  }

  /** A stream of {@code length} bytes of a repeating pattern, generated as it is read. */
  static final class PatternStream extends InputStream {
    private final long length;
    private long position;

    PatternStream(long length) {
      this.length = length;
    }

    @Override
    public int read() {
      return position < length ? (int) (position++ % 251) : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(count, length - position);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = (byte) ((position + i) % 251);
      }
      position += n;
      return n;
    }
  }
}
