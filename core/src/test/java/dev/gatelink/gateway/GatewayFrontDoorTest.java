package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.Integration;
import dev.gatelink.testing.LoopbackBackend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The front door, through raw sockets: slow heads and stalled bodies answered 408 and closed, idle connections
 * closed, ambiguous framing refused with 400 and nothing after it served, HTTP/2 streams bounded and reset floods
 * closed, and ordinary traffic untouched. The limits are short here (300 ms for heads and bodies, 2 s idle).
 */
class GatewayFrontDoorTest {
  private static final Duration HEADER_TIMEOUT = Duration.ofMillis(300);
  private static final Duration BODY_TIMEOUT = Duration.ofMillis(300);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
  private static final int MAX_STREAMS = 2;
  private static final int MAX_RESETS = 10;
  private static final FrontDoorOptions LIMITS = FrontDoorOptions.builder()
      .headerTimeout(HEADER_TIMEOUT)
      .bodyTimeout(BODY_TIMEOUT)
      .idleTimeout(IDLE_TIMEOUT)
      .http2MaxConcurrentStreams(MAX_STREAMS)
      .http2MaxResets(MAX_RESETS)
      .http2ResetWindow(Duration.ofSeconds(30))
      .build();
  private static final String TIMEOUT_408 = "HTTP/1\\.1 408 Request Timeout\r\n"
      + "content-type: application/json\r\n"
      + "content-length: 29\r\n"
      + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n"
      + "connection: close\r\n\r\n"
      + "\\{\"message\":\"Request Timeout\"\\}";
  private static final String BAD_REQUEST_400 = "HTTP/1\\.1 400 Bad Request\r\n"
      + "content-type: application/json\r\n"
      + "content-length: 25\r\n"
      + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n"
      + "connection: close\r\n\r\n"
      + "\\{\"message\":\"Bad Request\"\\}";
  private static final String OK_200 = "HTTP/1\\.1 200 OK\r\n"
      + "x-backend: ok\r\n"
      + "content-type: text/plain\r\n"
      + "content-length: \\d+\r\n"
      + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n\r\n";

  private static Vertx vertx;
  private static LoopbackBackend ok;
  private static LoopbackBackend held;
  private static LoopbackBackend slowReader;
  private static final List<HttpServerRequest> heldRequests = new CopyOnWriteArrayList<>();
  private static final AtomicInteger heldCount = new AtomicInteger();
  private static GatewayServer gateway;
  private static ScheduledExecutorService trickler;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    ok = LoopbackBackend.start(vertx, "ok");
    held = LoopbackBackend.start(vertx, "held", new HttpServerOptions(), request -> {
      heldCount.incrementAndGet();
      heldRequests.add(request);
    });
    // Reads nothing for 1 s (more than three body timeouts), so that the gateway must stop reading the client.
    slowReader = LoopbackBackend.start(vertx, "slow-reader", new HttpServerOptions(), request -> {
      request.pause();
      long[] bytes = new long[1];
      request.handler(data -> bytes[0] += data.length());
      request.endHandler(v -> request.response().end("slow-reader read " + bytes[0]));
      vertx.setTimer(1_000, id -> request.resume());
    });
    ApiDefinition api = ApiDefinition.builder()
        .route("GET /ok", Integration.http(ok.url() + "/ok"))
        .route("POST /upload", Integration.http(ok.url() + "/upload"))
        .route("GET /held", Integration.http(held.url() + "/held"))
        .route("POST /slow-reader", Integration.http(slowReader.url() + "/slow-reader"))
        .build();
    gateway = GatewayServer.start(vertx, api, builder -> builder.frontDoor(LIMITS));
    trickler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stop() throws Exception {
    trickler.shutdownNow();
    gateway.close();
    ok.close();
    held.close();
    slowReader.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void forgetEarlierRequests() {
    ok.seen().clear();
    ok.failures().clear();
    heldCount.set(0);
    heldRequests.clear();
  }

  // ---- HTTP/1.x: heads ----

  @Test
  void firstRequestHeadThatDoesNotArriveInTimeIsAnswered408AndTheConnectionClosed() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      long start = System.nanoTime();
      write(socket, "GET /ok HTTP/1.1\r\nHost: gw\r\n");

      assertThat(readToEnd(socket)).matches(TIMEOUT_408);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(HEADER_TIMEOUT, IDLE_TIMEOUT);
    }
    assertThat(ok.seen()).isEmpty();
  }

  @Test
  void headTrickledOneByteAtATimeIsTimedFromItsFirstByteNotBetweenBytes() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      OutputStream out = socket.getOutputStream();
      byte[] head = "GET /ok HTTP/1.1\r\nHost: gw\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
      AtomicInteger sent = new AtomicInteger();
      long start = System.nanoTime();
      // One byte every 50 ms: never idle for long, but the head is never complete.
      trickler.scheduleAtFixedRate(() -> {
        try {
          int i = sent.getAndIncrement();
          out.write(i < head.length ? head[i] : 'a');
          out.flush();
        } catch (IOException closed) {
          throw new IllegalStateException(closed);
        }
      }, 0, 50, TimeUnit.MILLISECONDS);

      assertThat(readToEnd(socket)).matches(TIMEOUT_408);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(HEADER_TIMEOUT, IDLE_TIMEOUT);
    }
    assertThat(ok.seen()).isEmpty();
  }

  @Test
  void slowHeadOfTheSecondRequestOnAKeptAliveConnectionIsAnswered408() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      assertThat(RawHttp.exchange(socket, "GET /ok HTTP/1.1\r\nHost: gw\r\n\r\n")).matches(OK_200 + "ok GET /ok");
      write(socket, "GET /ok?second HTTP/1.1\r\nHost: gw\r\n");

      assertThat(readToEnd(socket)).matches(TIMEOUT_408);
    }
    assertThat(ok.seen()).hasSize(1);
  }

  @Test
  void slowHeadWhileAnEarlierRequestAwaitsItsResponseClosesWithoutAnAnswer() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      write(socket, "GET /held HTTP/1.1\r\nHost: gw\r\n\r\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> heldCount.get() == 1);
      // The first request waits at the held backend: a 408 now would be read as its response.
      write(socket, "GET /ok HTTP/1.1\r\nHost: gw\r\n");

      assertThat(readToEnd(socket)).isEmpty();
    }
    assertThat(ok.seen()).isEmpty();
  }

  @Test
  void partOfTheHttp2PrefaceAndThenNothingIsClosedAfterTheHeaderTimeout() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      long start = System.nanoTime();
      write(socket, "PRI * HTTP/2.0\r\n");

      assertThat(readToEnd(socket)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(HEADER_TIMEOUT, IDLE_TIMEOUT);
    }
  }

  @Test
  void slowHeadOverTlsIsAnswered408() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("gateway.test");
    Gateway tlsGateway = Gateway.builder(vertx, ApiDefinition.builder()
            .route("GET /ok", Integration.http(ok.url() + "/ok")).build())
        .frontDoor(LIMITS).start().await(10, TimeUnit.SECONDS);
    HttpServer server = tlsGateway.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)
        .setSsl(true).setUseAlpn(true).setKeyCertOptions(certificate.keyCertOptions()));
    server.listen().await(10, TimeUnit.SECONDS);
    try (SSLSocket socket = (SSLSocket) trustingEveryone().getSocketFactory()
        .createSocket(InetAddress.getLoopbackAddress(), server.actualPort())) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      assertThat(RawHttp.exchange(socket, "GET /ok HTTP/1.1\r\nHost: gw\r\n\r\n")).matches(OK_200 + "ok GET /ok");
      write(socket, "GET /ok HTTP/1.1\r\nHost: gw\r\n");

      assertThat(readToEnd(socket)).matches(TIMEOUT_408);
    } finally {
      server.close().await(10, TimeUnit.SECONDS);
      tlsGateway.close().await(10, TimeUnit.SECONDS);
      certificate.delete();
    }
  }

  // ---- idle connections ----

  @Test
  void newConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      long start = System.nanoTime();

      assertThat(readToEnd(socket)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(100));
    }
  }

  @Test
  void keptAliveConnectionIsClosedAfterTheIdleTimeoutFollowingItsLastResponse() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      String response = RawHttp.exchange(socket, "GET /ok HTTP/1.1\r\nHost: gw\r\n\r\n");
      long answered = System.nanoTime();
      assertThat(response).matches(OK_200 + "ok GET /ok");

      assertThat(readToEnd(socket)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(100));
    }
  }

  @Test
  void connectionWaitingForItsResponseLongerThanTheIdleTimeoutIsKept() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      write(socket, "GET /held HTTP/1.1\r\nHost: gw\r\n\r\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> heldCount.get() == 1);
      // The gateway, not the client, is the one waiting: the integration's timeout bounds that, not idleness.
      // A connection opened now and left silent is closed after the idle timeout; by then the waiting one has
      // waited longer than that.
      try (Socket silent = RawHttp.open(port())) {
        assertThat(readToEnd(silent)).isEmpty();
      }
      heldRequests.forEach(request -> vertx.runOnContext(v -> request.response().end("released")));

      assertThat(RawHttp.exchange(socket, "")).matches("HTTP/1\\.1 200 OK\r\n"
          + "content-length: 8\r\n"
          + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n\r\n"
          + "released");
      long answered = System.nanoTime();
      assertThat(readToEnd(socket)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(100));
    }
  }

  @Test
  void http2ConnectionThatSendsNothingAfterItsPrefaceIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      H2 h2 = new H2(socket);
      h2.preface();
      h2.flush();
      long start = System.nanoTime();

      Frame settings = h2.next();
      assertThat(settings.type).isEqualTo(H2.SETTINGS);
      readToEnd(socket);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(100));
    }
  }

  @Test
  void serverMadeWithServerOptionsAndTheGatewayAsRequestHandlerHasTheIdleTimeout() throws Exception {
    HttpServer plain = vertx.createHttpServer(Gateway.serverOptions(LIMITS).setHost("127.0.0.1").setPort(0))
        .requestHandler(gateway.gateway);
    plain.listen().await(10, TimeUnit.SECONDS);
    try (Socket socket = RawHttp.open(plain.actualPort())) {
      String response = RawHttp.exchange(socket, "GET /ok HTTP/1.1\r\nHost: gw\r\n\r\n");
      long answered = System.nanoTime();
      assertThat(response).matches(OK_200 + "ok GET /ok");

      assertThat(readToEnd(socket)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(100));
    } finally {
      plain.close().await(10, TimeUnit.SECONDS);
    }
  }

  // ---- HTTP/1.x: bodies ----

  @Test
  void bodyThatStopsMovingIsAnswered408AndTheBackendNeverGetsAWholeRequest() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      write(socket, "POST /upload HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\nonly ten..");

      assertThat(readToEnd(socket)).matches(TIMEOUT_408);
    }
    // The gateway gives up on the backend request: the backend sees its connection reset mid-body.
    await().atMost(Duration.ofSeconds(10)).until(() -> !ok.failures().isEmpty());
    assertNothingWasForwarded();
  }

  @Test
  void chunkedBodyThatStopsInTheMiddleOfAChunkIsAnswered408() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      write(socket, "POST /upload HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n10\r\nonly a part");

      assertThat(readToEnd(socket)).matches(TIMEOUT_408);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !ok.failures().isEmpty());
    assertNothingWasForwarded();
  }

  @Test
  void bodyThatTheGatewayStopsReadingBecauseTheBackendIsSlowIsNotCut() throws Exception {
    int size = 8 * 1024 * 1024;
    try (Socket socket = RawHttp.open(port())) {
      write(socket, "POST /slow-reader HTTP/1.1\r\nHost: gw\r\nContent-Length: " + size + "\r\n\r\n");
      byte[] chunk = new byte[64 * 1024];
      for (int sent = 0; sent < size; sent += chunk.length) {
        socket.getOutputStream().write(chunk);
      }
      socket.getOutputStream().flush();

      assertThat(RawHttp.exchange(socket, "")).matches("HTTP/1\\.1 200 OK\r\n"
          + "content-length: \\d+\r\n"
          + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n\r\n"
          + "slow-reader read " + size);
    }
  }

  // ---- HTTP/1.x: framing ----

  @Test
  void bothContentLengthAndTransferEncodingIsRefused400AndNothingAfterItIsServed() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      // Framed by Content-Length, the body is "0\r\n\r\nGET /ok?smuggled ..."; framed as chunked, that is a second
      // request. Neither is forwarded.
      write(socket, "POST /upload HTTP/1.1\r\nHost: gw\r\nContent-Length: 42\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "0\r\n\r\n"
          + "GET /ok?smuggled HTTP/1.1\r\nHost: gw\r\n\r\n");

      assertThat(readToEnd(socket)).matches(BAD_REQUEST_400);
    }
    assertNothingWasForwarded();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "Transfer-Encoding: gzip",
      "Transfer-Encoding: chunked, gzip",
      "Transfer-Encoding: gzip, chunked",
      "Transfer-Encoding: xchunked",
      "Transfer-Encoding: chunked, chunked",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
      "Transfer-Encoding: identity",
      "Transfer-Encoding: ,"})
  void transferEncodingOtherThanChunkedIsRefused400AndNothingAfterItIsServed(String header) throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      write(socket, "POST /upload HTTP/1.1\r\nHost: gw\r\n" + header + "\r\n\r\n"
          + "0\r\n\r\n"
          + "GET /ok?smuggled HTTP/1.1\r\nHost: gw\r\n\r\n");

      assertThat(readToEnd(socket)).matches(BAD_REQUEST_400);
    }
    assertNothingWasForwarded();
  }

  @Test
  void transferEncodingInAnHttp10RequestIsRefused400() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      write(socket, "POST /upload HTTP/1.0\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

      assertThat(readToEnd(socket)).matches(BAD_REQUEST_400);
    }
    assertNothingWasForwarded();
  }

  @Test
  void refusedRequestAfterAGoodOneIsAnsweredAfterTheGoodOnesResponse() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      write(socket, "GET /ok?first HTTP/1.1\r\nHost: gw\r\n\r\n"
          + "POST /upload HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
          + "GET /ok?smuggled HTTP/1.1\r\nHost: gw\r\n\r\n");

      assertThat(readToEnd(socket)).matches(OK_200 + "ok GET /ok\\?first" + BAD_REQUEST_400);
    }
    assertThat(ok.next().uri()).isEqualTo("/ok?first");
    assertNothingWasForwarded();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"chunked", "CHUNKED", "Chunked ", "chunked,"})
  void chunkedAloneInAnyCaseIsForwarded(String coding) throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      String response = RawHttp.exchange(socket, "POST /upload HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: " + coding
          + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

      assertThat(response).matches(OK_200 + "ok POST /upload");
    }
    assertThat(ok.next().bodyBytes()).isEqualTo(5);
  }

  // ---- ordinary traffic ----

  @Test
  void keptAliveAndPipelinedRequestsWithinTheLimitsAreAllServedOnOneConnection() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      for (int i = 0; i < 5; i++) {
        assertThat(RawHttp.exchange(socket, "GET /ok?n=" + i + " HTTP/1.1\r\nHost: gw\r\n\r\n"))
            .matches(OK_200 + "ok GET /ok\\?n=" + i);
      }
      assertThat(RawHttp.exchange(socket, "POST /upload HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n\r\nhello"))
          .matches(OK_200 + "ok POST /upload");
      write(socket, "GET /ok?p=1 HTTP/1.1\r\nHost: gw\r\n\r\nGET /ok?p=2 HTTP/1.1\r\nHost: gw\r\n\r\n"
          + "GET /ok?p=3 HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");

      assertThat(readToEnd(socket)).matches(OK_200 + "ok GET /ok\\?p=1" + OK_200 + "ok GET /ok\\?p=2"
          + "HTTP/1\\.1 200 OK\r\n"
          + "x-backend: ok\r\n"
          + "content-type: text/plain\r\n"
          + "content-length: \\d+\r\n"
          + "apigw-requestid: [A-Za-z0-9+/]{15}=\r\n"
          + "connection: close\r\n\r\n"
          + "ok GET /ok\\?p=3");
    }
    assertThat(ok.seen()).hasSize(9);
  }

  @Test
  void http2UpgradeFromHttp11IsServed() throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(true));
    try {
      String answer = client.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setHost("127.0.0.1").setPort(port()).setURI("/upload"))
          .compose(request -> request.send(Buffer.buffer("upgraded"))
              .compose(response -> response.body().map(body -> response.version() + " " + response.statusCode()
                  + " " + body)))
          .await(10, TimeUnit.SECONDS);

      assertThat(answer).isEqualTo("HTTP_2 200 ok POST /upload");
      assertThat(ok.next().bodyBytes()).isEqualTo(8);
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void http2ConnectionUpgradedFromHttp11IsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      write(socket, "GET /ok HTTP/1.1\r\nHost: gw\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        assertThat(b).isNotNegative();
        head.append((char) b);
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
      H2 h2 = new H2(socket);
      h2.preface();
      h2.flush();
      long start = System.nanoTime();

      readToEnd(socket);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(100));
    }
    assertThat(ok.next().uri()).isEqualTo("/ok");
  }

  // ---- HTTP/2 ----

  @Test
  void http2StreamsOverTheLimitAreRefusedEvenWhenTheClientNeverAcknowledgesTheSettings() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      H2 h2 = new H2(socket);
      h2.preface();
      for (int stream = 1; stream <= 9; stream += 2) {
        h2.headers(stream, "GET", "/held", true);
      }
      h2.flush();

      Frame settings = h2.next();
      assertThat(settings.type).isEqualTo(H2.SETTINGS);
      assertThat(settings.setting(H2.SETTINGS_MAX_CONCURRENT_STREAMS)).isEqualTo(MAX_STREAMS);
      List<String> resets = new ArrayList<>();
      while (resets.size() < 3) {
        Frame frame = h2.next();
        if (frame.type == H2.RST_STREAM) {
          resets.add(frame.stream + ":" + frame.errorCode());
        }
      }
      assertThat(resets).containsExactly("5:" + H2.REFUSED_STREAM, "7:" + H2.REFUSED_STREAM, "9:" + H2.REFUSED_STREAM);
      await().atMost(Duration.ofSeconds(10)).until(() -> heldRequests.size() == MAX_STREAMS);
      assertThat(heldCount).hasValue(MAX_STREAMS);

      // Answered, the two streams make room for another.
      heldRequests.forEach(request -> vertx.runOnContext(v -> request.response().end("released")));
      List<String> answered = new ArrayList<>();
      while (answered.size() < 2) {
        Frame frame = h2.next();
        if (frame.type == H2.HEADERS) {
          answered.add(frame.stream + ":" + h2.decode(frame).status());
        }
      }
      assertThat(answered).containsExactlyInAnyOrder("1:200", "3:200");
      h2.headers(11, "GET", "/ok", true);
      h2.flush();
      Frame next;
      do {
        next = h2.next();
      } while (next.type != H2.HEADERS);
      assertThat(next.stream).isEqualTo(11);
      assertThat(h2.decode(next).status().toString()).isEqualTo("200");
    }
    assertThat(heldCount).hasValue(MAX_STREAMS);
  }

  @Test
  void http2RapidResetFloodIsAnsweredWithGoAwayAndTheConnectionClosed() throws Exception {
    int pairs = 3 * MAX_RESETS;
    try (Socket socket = RawHttp.open(port())) {
      H2 h2 = new H2(socket);
      h2.preface();
      h2.settingsAck();
      // HEADERS and RST_STREAM pairs, three times as many as allowed, in one write of about 1 KB: the gateway
      // reads them in one go, so that it has no unread byte when it closes (a close with unread bytes would
      // reset the connection, and the client might lose the GOAWAY).
      for (int i = 0; i < pairs; i++) {
        int stream = 2 * i + 1;
        h2.headers(stream, "GET", "/held", true);
        h2.reset(stream, H2.CANCEL);
      }
      h2.flush();

      Frame goAway;
      do {
        goAway = h2.next();
      } while (goAway.type != H2.GOAWAY);
      assertThat(goAway.goAwayErrorCode()).isEqualTo(H2.ENHANCE_YOUR_CALM);
      assertThat(h2.endOfStream()).isTrue();
    }
    // Streams after the one whose reset went over the limit were never read.
    assertThat(heldCount.get()).isLessThanOrEqualTo(MAX_RESETS + 1);
  }

  @Test
  void http2ResetsUpToTheLimitKeepTheConnection() throws Exception {
    try (Socket socket = RawHttp.open(port())) {
      H2 h2 = new H2(socket);
      h2.preface();
      h2.settingsAck();
      for (int i = 0; i < MAX_RESETS; i++) {
        int stream = 2 * i + 1;
        h2.headers(stream, "GET", "/held", true);
        h2.reset(stream, H2.CANCEL);
      }
      int last = 2 * MAX_RESETS + 1;
      h2.headers(last, "GET", "/ok", true);
      h2.flush();

      Frame frame;
      do {
        frame = h2.next();
        assertThat(frame.type).isNotEqualTo(H2.GOAWAY);
      } while (frame.type != H2.HEADERS || frame.stream != last);
      assertThat(h2.decode(frame).status().toString()).isEqualTo("200");
    }
  }

  // ---- helpers ----

  private static int port() {
    return gateway.server.actualPort();
  }

  /**
   * Asserts that no whole request reached the ok backend: the next it answers is a sentinel sent now, on a new
   * connection.
   */
  private static void assertNothingWasForwarded() throws Exception {
    assertThat(RawHttp.exchange(port(), "GET /ok?sentinel HTTP/1.1\r\nHost: gw\r\n\r\n"))
        .matches(OK_200 + "ok GET /ok\\?sentinel");
    assertThat(ok.next().uri()).isEqualTo("/ok?sentinel");
    assertThat(ok.seen()).isEmpty();
  }

  private static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** Reads until the server closes the connection; a connection left open fails the read after 10 s. */
  private static String readToEnd(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int read;
    while ((read = in.read(buffer)) >= 0) {
      out.write(buffer, 0, read);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static SSLContext trustingEveryone() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return context;
  }

  /** One HTTP/2 frame as read. */
  private record Frame(int type, int flags, int stream, byte[] payload) {
    long setting(int id) {
      for (int i = 0; i + 6 <= payload.length; i += 6) {
        if (((payload[i] & 0xff) << 8 | (payload[i + 1] & 0xff)) == id) {
          return readInt(i + 2) & 0xffffffffL;
        }
      }
      return -1;
    }

    long errorCode() {
      return readInt(0) & 0xffffffffL;
    }

    long goAwayErrorCode() {
      return readInt(4) & 0xffffffffL;
    }

    private int readInt(int at) {
      return (payload[at] & 0xff) << 24 | (payload[at + 1] & 0xff) << 16 | (payload[at + 2] & 0xff) << 8
          | (payload[at + 3] & 0xff);
    }
  }

  /**
   * HTTP/2 with prior knowledge over a plain socket: frames written by hand around Netty's HPACK encoder, read
   * frame by frame.
   */
  private static final class H2 {
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int GOAWAY = 7;
    static final int SETTINGS_MAX_CONCURRENT_STREAMS = 3;
    static final long REFUSED_STREAM = 0x7;
    static final long CANCEL = 0x8;
    static final long ENHANCE_YOUR_CALM = 0xb;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;

    private final DataInputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(true);

    H2(Socket socket) throws IOException {
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    /** The client preface and an empty SETTINGS frame, written at once. */
    void preface() throws IOException {
      pending.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      frame(SETTINGS, 0, 0, new byte[0]);
      flush();
    }

    void settingsAck() {
      frame(SETTINGS, 0x1, 0, new byte[0]);
    }

    void headers(int stream, String method, String path, boolean endStream) throws Exception {
      Http2Headers headers = new DefaultHttp2Headers()
          .method(method).path(path).scheme("http").authority("gw");
      ByteBuf block = Unpooled.buffer();
      try {
        encoder.encodeHeaders(stream, headers, block);
        byte[] bytes = new byte[block.readableBytes()];
        block.readBytes(bytes);
        frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, bytes);
      } finally {
        block.release();
      }
    }

    void reset(int stream, long errorCode) {
      frame(RST_STREAM, 0, stream, new byte[] {
          (byte) (errorCode >>> 24), (byte) (errorCode >>> 16), (byte) (errorCode >>> 8), (byte) errorCode});
    }

    void flush() throws IOException {
      out.write(pending.toByteArray());
      out.flush();
      pending.reset();
    }

    private void frame(int type, int flags, int stream, byte[] payload) {
      int length = payload.length;
      pending.write(length >>> 16);
      pending.write(length >>> 8);
      pending.write(length);
      pending.write(type);
      pending.write(flags);
      pending.write(stream >>> 24);
      pending.write(stream >>> 16);
      pending.write(stream >>> 8);
      pending.write(stream);
      pending.writeBytes(payload);
    }

    /** The next frame; fails on the end of the stream or after the socket's read timeout. */
    Frame next() throws IOException {
      byte[] header = new byte[9];
      in.readFully(header);
      int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
      int stream = ((header[5] & 0x7f) << 24) | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 8 | (header[8] & 0xff);
      byte[] payload = new byte[length];
      in.readFully(payload);
      return new Frame(header[3] & 0xff, header[4] & 0xff, stream, payload);
    }

    /** Whether the server closed the connection after the frames read so far, with no frame after them. */
    boolean endOfStream() throws IOException {
      return in.read() < 0;
    }

    /** The header block of a HEADERS frame, decoded; its padding and priority fields skipped. */
    Http2Headers decode(Frame headers) throws Exception {
      ByteBuf block = Unpooled.wrappedBuffer(headers.payload);
      try {
        int padding = 0;
        if ((headers.flags & PADDED) != 0) {
          padding = block.readUnsignedByte();
        }
        if ((headers.flags & PRIORITY) != 0) {
          block.skipBytes(5);
        }
        block.writerIndex(block.writerIndex() - padding);
        return decoder.decodeHeaders(headers.stream, block);
      } finally {
        block.release();
      }
    }
  }
}
