package dev.gatelink.nlb.passthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.nlb.passthrough.ConnectionLog.Refusal;
import dev.gatelink.target.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The passthrough listener against real TLS backends on loopback, each with its own certificate: clients see the
 * backend's certificate (the listener did not end TLS), and plain backends see the client's bytes exactly.
 */
class PassthroughListenerTest {
  static {
    LeakRecorder.install();
  }

  private static Vertx vertx;
  private static TlsBackend api;
  private static TlsBackend wild;
  private static TlsBackend fallback;
  private static javax.net.ssl.TrustManager[] trustManagers;

  private final BlockingQueue<ConnectionLog> logs = new LinkedBlockingQueue<>();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private @Nullable TlsPassthroughListener listener;
  private FixedTarget apiTarget;
  private FixedTarget wildTarget;
  private FixedTarget fallbackTarget;

  @BeforeAll
  static void backends() throws Exception {
    vertx = Vertx.vertx();
    api = TlsBackend.start(vertx, "api", "api.example.test", false);
    wild = TlsBackend.start(vertx, "wild", "any.wild.test", false);
    fallback = TlsBackend.start(vertx, "fallback", "default.test", false);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (TlsBackend backend : List.of(api, wild, fallback)) {
      trust.setCertificateEntry(backend.name, backend.x509);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    trustManagers = factory.getTrustManagers();
  }

  /**
   * {@return a client context of its own, trusting the three backends} A JDK client that resumes a session sends
   * the server name of that session, whatever it was asked to send; a fresh context resumes nothing.
   */
  private static SSLContext clientTls() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers, null);
    return context;
  }

  @AfterAll
  static void stop() throws Exception {
    for (TlsBackend backend : List.of(api, wild, fallback)) {
      backend.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    assertThat(LeakRecorder.leaksAfterGc()).isEmpty();
  }

  @AfterEach
  void closeListener() throws Exception {
    for (AutoCloseable resource : closing) {
      resource.close();
    }
    if (listener != null) {
      listener.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Starts a listener with routes api.example.test, *.wild.test and a default route, changed by {@code custom}. */
  private TlsPassthroughListener listen(UnaryOperator<TlsPassthroughOptions.Builder> custom) throws Exception {
    apiTarget = FixedTarget.at("api", api.port());
    wildTarget = FixedTarget.at("wild", wild.port());
    fallbackTarget = FixedTarget.at("fallback", fallback.port());
    TlsPassthroughOptions options = custom.apply(TlsPassthroughOptions.builder()
        .host("127.0.0.1")
        .route("api.example.test", apiTarget)
        .route("*.wild.test", wildTarget)
        .defaultTarget(fallbackTarget)).build();
    listener = TlsPassthroughListener.start(vertx, options, logs::add).await(10, TimeUnit.SECONDS);
    return listener;
  }

  private ConnectionLog nextLog() throws InterruptedException {
    ConnectionLog log = logs.poll(10, TimeUnit.SECONDS);
    assertThat(log).as("a connection log within 10 s").isNotNull();
    return log;
  }

  /** A TLS client: the greeting line its backend sent, and the certificate it saw. */
  private record Answer(String backend, java.security.cert.Certificate certificate) {}

  private Answer ask(int port, @Nullable String serverName) throws Exception {
    try (SSLSocket socket = tlsSocket(port, serverName)) {
      InputStream in = socket.getInputStream();
      String greeting = line(in);
      socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(line(in)).isEqualTo("ping");
      return new Answer(greeting.substring(0, greeting.indexOf(' ')), socket.getSession().getPeerCertificates()[0]);
    }
  }

  private SSLSocket tlsSocket(int port, @Nullable String serverName) throws Exception {
    SSLSocket socket = (SSLSocket) clientTls().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    if (serverName != null) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      socket.setSSLParameters(parameters);
    }
    socket.startHandshake();
    return socket;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int i = 0; i < 200; i++) {
      int b = in.read();
      if (b == -1 || b == '\n') {
        return line.toString(StandardCharsets.US_ASCII);
      }
      line.write(b);
    }
    throw new AssertionError("no end of line within 200 bytes: " + line);
  }

  /** {@return the first TLS record a JDK client sends: its ClientHello, with the server name when given} */
  private static byte[] clientHello(@Nullable String serverName) throws Exception {
    SSLEngine engine = clientTls().createSSLEngine();
    engine.setUseClientMode(true);
    if (serverName != null) {
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      engine.setSSLParameters(parameters);
    }
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] record = new byte[out.remaining()];
    out.get(record);
    assertThat(record[0]).as("a handshake record").isEqualTo((byte) 22);
    return record;
  }

  /** {@return the same hello as two records, the first holding {@code firstLength} bytes of the message} */
  private static byte[] splitHello(byte[] record, int firstLength) {
    byte[] message = Arrays.copyOfRange(record, 5, record.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : List.of(Arrays.copyOfRange(message, 0, firstLength),
        Arrays.copyOfRange(message, firstLength, message.length))) {
      out.write(new byte[] {22, record[1], record[2], (byte) (part.length >> 8), (byte) part.length}, 0, 5);
      out.write(part, 0, part.length);
    }
    return out.toByteArray();
  }

  private Socket rawClient(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    closing.add(socket);
    return socket;
  }

  private RawBackend rawBackend() throws IOException {
    RawBackend backend = new RawBackend();
    closing.add(backend);
    return backend;
  }

  @Test
  void exactNamesRouteWithoutRegardToCaseAndTheClientSeesTheBackendsCertificate() throws Exception {
    int port = listen(options -> options).actualPort();

    Answer answer = ask(port, "API.Example.TEST");

    assertThat(answer.backend()).isEqualTo("api");
    assertThat(answer.certificate()).isEqualTo(api.x509);
    assertThat(apiTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.serverName()).isEqualTo("api.example.test");
    assertThat(log.route()).isEqualTo("api.example.test");
    assertThat(log.endpoint()).isEqualTo(apiTarget.endpoint);
    assertThat(log.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(log.refusal()).isNull();
    assertThat(log.bytesFromClient()).isPositive();
    assertThat(log.bytesToClient()).isPositive();
    assertThat(listener.openConnections()).isZero();
  }

  @Test
  void wildcardsMatchOneLabelAndEverythingElseTakesTheDefaultRoute() throws Exception {
    int port = listen(options -> options).actualPort();

    assertThat(ask(port, "a.wild.test")).isEqualTo(new Answer("wild", wild.x509));
    assertThat(ask(port, "a.b.wild.test")).isEqualTo(new Answer("fallback", fallback.x509));
    assertThat(ask(port, "wild.test")).isEqualTo(new Answer("fallback", fallback.x509));
    assertThat(ask(port, "other.test")).isEqualTo(new Answer("fallback", fallback.x509));
    assertThat(ask(port, null)).isEqualTo(new Answer("fallback", fallback.x509));

    List<String> routes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ConnectionLog log = nextLog();
      routes.add(log.serverName() + " -> " + log.route());
    }
    assertThat(routes).containsExactly("a.wild.test -> *.wild.test", "a.b.wild.test -> $default",
        "wild.test -> $default", "other.test -> $default", "null -> $default");
    assertThat(wildTarget.reports).containsExactly(Outcome.SUCCESS);
  }

  @Test
  void withoutADefaultRouteAnUnknownNameOrNoNameIsClosedWithoutAByte() throws Exception {
    int port = listen(options -> options.defaultTarget(null)).actualPort();

    for (String name : Arrays.asList("unknown.test", null)) {
      Socket client = rawClient(port);
      client.getOutputStream().write(clientHello(name));
      assertThat(client.getInputStream().read()).isEqualTo(-1);
      ConnectionLog log = nextLog();
      assertThat(log.serverName()).isEqualTo(name);
      assertThat(log.route()).isNull();
      assertThat(log.refusal()).isEqualTo(Refusal.NO_ROUTE);
      assertThat(log.outcome()).isNull();
      assertThat(log.bytesFromClient()).isZero();
    }
    assertThat(ask(port, "api.example.test").backend()).isEqualTo("api");
  }

  @Test
  void aHelloWrittenOneByteAtATimeIsPassedOnExactlyAndTheBackendAnswersIt() throws Exception {
    RawBackend raw = rawBackend();
    FixedTarget rawTarget = new FixedTarget("raw", dev.gatelink.target.Endpoint.of("127.0.0.1", raw.port()), true);
    int port = listen(options -> options.route("raw.test", rawTarget)).actualPort();
    byte[] hello = clientHello("raw.test");

    Socket client = rawClient(port);
    OutputStream out = client.getOutputStream();
    for (byte b : hello) {
      out.write(b);
      out.flush();
    }
    out.write("after".getBytes(StandardCharsets.US_ASCII));
    try (Socket backend = raw.accept()) {
      byte[] seen = RawBackend.read(backend.getInputStream(), hello.length + 5);
      assertThat(seen).isEqualTo(concat(hello, "after".getBytes(StandardCharsets.US_ASCII)));
      backend.getOutputStream().write("answer".getBytes(StandardCharsets.US_ASCII));
      assertThat(RawBackend.read(client.getInputStream(), 6)).asString().isEqualTo("answer");
    }
    assertThat(client.getInputStream().read()).isEqualTo(-1);
    client.close();

    assertThat(rawTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.route()).isEqualTo("raw.test");
    assertThat(log.bytesFromClient()).isEqualTo(hello.length + 5);
    assertThat(log.bytesToClient()).isEqualTo(6);
  }

  @Test
  void aHelloInOneByteWritesOrSplitAcrossTwoRecordsReachesARealTlsBackend() throws Exception {
    int port = listen(options -> options.defaultTarget(null)).actualPort();
    byte[] hello = clientHello("api.example.test");

    List<byte[]> variants = List.of(hello, splitHello(hello, 100));
    for (int variant = 0; variant < variants.size(); variant++) {
      Socket client = rawClient(port);
      OutputStream out = client.getOutputStream();
      try {
        for (byte b : variants.get(variant)) {
          out.write(b);
          out.flush();
        }
      } catch (IOException e) {
        throw new AssertionError("variant " + variant + ": " + logs, e);
      }
      // The backend's JDK TLS read the hello: its first record is a handshake record holding a ServerHello (2).
      byte[] answer;
      try {
        answer = RawBackend.read(client.getInputStream(), 6);
      } catch (AssertionError e) {
        throw new AssertionError("variant " + variant + ": " + logs, e);
      }
      assertThat(answer[0]).as("variant %s: record type", variant).isEqualTo((byte) 22);
      assertThat(answer[5]).as("variant %s: handshake type", variant).isEqualTo((byte) 2);
      client.close();
      assertThat(apiTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
      ConnectionLog log = nextLog();
      assertThat(log.route()).isEqualTo("api.example.test");
      assertThat(log.bytesFromClient()).isEqualTo(variants.get(variant).length);
    }
  }

  @Test
  void aHelloSplitAcrossTwoRecordsIsRoutedByItsNameAndPassedOnExactly() throws Exception {
    RawBackend raw = rawBackend();
    int port = listen(options -> options.route("split.test", FixedTarget.at("raw", raw.port()))).actualPort();
    byte[] hello = clientHello("split.test");

    // Split after the handshake header, before the server name. (Netty 4.2.9 does not route a hello whose 4-byte
    // handshake header is itself split across records; no client sends one.)
    for (int firstLength : List.of(4, 100)) {
      byte[] split = splitHello(hello, firstLength);
      Socket client = rawClient(port);
      client.getOutputStream().write(split);
      try (Socket backend = raw.accept()) {
        assertThat(RawBackend.read(backend.getInputStream(), split.length)).isEqualTo(split);
      }
      assertThat(client.getInputStream().read()).isEqualTo(-1);
      client.close();
      ConnectionLog log = nextLog();
      assertThat(log.route()).isEqualTo("split.test");
      assertThat(log.bytesFromClient()).isEqualTo(split.length);
    }
  }

  @Test
  void bytesThatAreNotAClientHelloAreRefusedWithoutDisturbingOtherConnections() throws Exception {
    int port = listen(options -> options).actualPort();
    byte[] oversized = new byte[5 + 16_384];
    byte[] header = {22, 3, 1, 0x40, 0, 1, 0x10, 0, 0};
    System.arraycopy(header, 0, oversized, 0, header.length);
    List<byte[]> refused = List.of(
        "GET / HTTP/1.1\r\nHost: api.example.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        // An SSLv2-style ClientHello: a two-byte length with the high bit set, then message type 1.
        new byte[] {(byte) 0x80, 0x2e, 1, 3, 1, 0, 0x15, 0, 0, 0, 0x10},
        // A handshake record of another message type (ServerHello).
        new byte[] {22, 3, 3, 0, 6, 2, 0, 0, 2, 3, 3},
        // An alert record.
        new byte[] {21, 3, 3, 0, 2, 2, 40},
        // An empty handshake record.
        new byte[] {22, 3, 1, 0, 0},
        // A ClientHello of 1 MiB, over the 64 KiB limit.
        oversized);

    try (SSLSocket bystander = tlsSocket(port, "api.example.test")) {
      InputStream bystanderIn = bystander.getInputStream();
      assertThat(line(bystanderIn)).startsWith("api ");
      for (byte[] bytes : refused) {
        Socket client = rawClient(port);
        client.getOutputStream().write(bytes);
        assertThat(client.getInputStream().read()).isEqualTo(-1);
        ConnectionLog log = nextLog();
        assertThat(log.refusal()).as("refusal of %s", Arrays.toString(Arrays.copyOf(bytes, 8)))
            .isEqualTo(Refusal.NOT_TLS);
        assertThat(log.route()).isNull();
      }
      bystander.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(line(bystanderIn)).isEqualTo("still here");
    }
    assertThat(apiTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    assertThat(nextLog().outcome()).isEqualTo(Outcome.SUCCESS);
  }

  @Test
  void aSilentClientOrAPartialHelloIsClosedAfterTheHelloTimeout() throws Exception {
    int port = listen(options -> options.helloTimeout(Duration.ofMillis(300))).actualPort();
    byte[] hello = clientHello("api.example.test");

    for (byte[] sent : List.of(new byte[0], Arrays.copyOf(hello, 30))) {
      Socket client = rawClient(port);
      client.getOutputStream().write(sent);
      assertThat(client.getInputStream().read()).isEqualTo(-1);
      ConnectionLog log = nextLog();
      assertThat(log.refusal()).isEqualTo(Refusal.HELLO_TIMEOUT);
      assertThat(log.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
    assertThat(apiTarget.reports).isEmpty();
  }

  @Test
  void aClientThatShutsItsOutputStillGetsTheBackendsAnswer() throws Exception {
    RawBackend raw = rawBackend();
    FixedTarget rawTarget = FixedTarget.at("raw", raw.port());
    int port = listen(options -> options.route("raw.test", rawTarget)).actualPort();
    byte[] hello = clientHello("raw.test");

    Socket client = rawClient(port);
    client.getOutputStream().write(concat(hello, "request".getBytes(StandardCharsets.US_ASCII)));
    client.shutdownOutput();
    try (Socket backend = raw.accept()) {
      InputStream in = backend.getInputStream();
      assertThat(RawBackend.read(in, hello.length + 7)).isEqualTo(concat(hello, "request".getBytes()));
      assertThat(in.read()).as("the client's end of stream, passed on").isEqualTo(-1);
      backend.getOutputStream().write("response".getBytes(StandardCharsets.US_ASCII));
      backend.shutdownOutput();
      assertThat(RawBackend.read(client.getInputStream(), 8)).asString().isEqualTo("response");
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }

    assertThat(rawTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.bytesFromClient()).isEqualTo(hello.length + 7);
    assertThat(log.bytesToClient()).isEqualTo(8);
  }

  @Test
  void aBackendThatShutsItsOutputStillGetsWhatTheClientSends() throws Exception {
    RawBackend raw = rawBackend();
    FixedTarget rawTarget = FixedTarget.at("raw", raw.port());
    int port = listen(options -> options.route("raw.test", rawTarget)).actualPort();
    byte[] hello = clientHello("raw.test");

    Socket client = rawClient(port);
    client.getOutputStream().write(hello);
    try (Socket backend = raw.accept()) {
      InputStream in = backend.getInputStream();
      assertThat(RawBackend.read(in, hello.length)).isEqualTo(hello);
      backend.getOutputStream().write("greeting".getBytes(StandardCharsets.US_ASCII));
      backend.shutdownOutput();
      assertThat(RawBackend.read(client.getInputStream(), 8)).asString().isEqualTo("greeting");
      assertThat(client.getInputStream().read()).as("the backend's end of stream, passed on").isEqualTo(-1);
      client.getOutputStream().write("more".getBytes(StandardCharsets.US_ASCII));
      client.shutdownOutput();
      assertThat(RawBackend.read(in, 4)).asString().isEqualTo("more");
      assertThat(in.read()).isEqualTo(-1);
    }

    assertThat(rawTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.bytesFromClient()).isEqualTo(hello.length + 4);
    assertThat(log.bytesToClient()).isEqualTo(8);
  }

  @Test
  void aTargetThatRefusesConnectionsClosesTheClientAndHearsConnectFailure() throws Exception {
    int closedPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = free.getLocalPort();
    }
    FixedTarget refusing = FixedTarget.at("refusing", closedPort);
    int port = listen(options -> options.route("refusing.test", refusing)).actualPort();

    Socket client = rawClient(port);
    client.getOutputStream().write(clientHello("refusing.test"));
    assertThat(client.getInputStream().read()).isEqualTo(-1);

    assertThat(refusing.nextReport()).isEqualTo(Outcome.CONNECT_FAILURE);
    ConnectionLog log = nextLog();
    assertThat(log.outcome()).isEqualTo(Outcome.CONNECT_FAILURE);
    assertThat(log.endpoint()).isEqualTo(refusing.endpoint);
    assertThat(log.bytesToClient()).isZero();
    assertThat(refusing.reports).isEmpty();
  }

  @Test
  void anIdleConnectionIsClosedAndItsTargetHearsTimeout() throws Exception {
    RawBackend raw = rawBackend();
    FixedTarget rawTarget = FixedTarget.at("raw", raw.port());
    int port = listen(options -> options.route("raw.test", rawTarget).idleTimeout(Duration.ofMillis(300)))
        .actualPort();
    byte[] hello = clientHello("raw.test");

    Socket client = rawClient(port);
    client.getOutputStream().write(hello);
    try (Socket backend = raw.accept()) {
      assertThat(RawBackend.read(backend.getInputStream(), hello.length)).isEqualTo(hello);
      assertThat(client.getInputStream().read()).isEqualTo(-1);
      assertThat(backend.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(rawTarget.nextReport()).isEqualTo(Outcome.TIMEOUT);
    ConnectionLog log = nextLog();
    assertThat(log.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(log.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void closingTheListenerClosesItsConnectionsAndTheirTargetsHearCancelled() throws Exception {
    RawBackend raw = rawBackend();
    FixedTarget rawTarget = FixedTarget.at("raw", raw.port());
    TlsPassthroughListener started = listen(options -> options.route("raw.test", rawTarget));
    byte[] hello = clientHello("raw.test");

    Socket client = rawClient(started.actualPort());
    client.getOutputStream().write(hello);
    try (Socket backend = raw.accept()) {
      assertThat(RawBackend.read(backend.getInputStream(), hello.length)).isEqualTo(hello);
      started.close().await(10, TimeUnit.SECONDS);
      assertThat(client.getInputStream().read()).isEqualTo(-1);
      assertThat(backend.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(rawTarget.nextReport()).isEqualTo(Outcome.CANCELLED);
    assertThat(nextLog().outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(started.openConnections()).isZero();
  }

  @Test
  void connectionsOverTheLimitsAreClosed() throws Exception {
    int port = listen(options -> options.maxConnections(3).maxConnectionsPerTarget(1)).actualPort();

    try (SSLSocket first = tlsSocket(port, "api.example.test")) {
      assertThat(line(first.getInputStream())).startsWith("api ");
      Socket second = rawClient(port);
      second.getOutputStream().write(clientHello("api.example.test"));
      assertThat(second.getInputStream().read()).isEqualTo(-1);
      ConnectionLog refusedByTarget = nextLog();
      assertThat(refusedByTarget.refusal()).isEqualTo(Refusal.TOO_MANY_TARGET_CONNECTIONS);
      assertThat(refusedByTarget.route()).isEqualTo("api.example.test");

      Socket silent = rawClient(port);
      try (SSLSocket other = tlsSocket(port, "a.wild.test")) {
        assertThat(line(other.getInputStream())).startsWith("wild ");
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.openConnections() == 3);
        Socket fourth = rawClient(port);
        assertThat(fourth.getInputStream().read()).isEqualTo(-1);
        assertThat(nextLog().refusal()).isEqualTo(Refusal.TOO_MANY_CONNECTIONS);
      }
      silent.close();
    }
    assertThat(apiTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    assertThat(wildTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.openConnections() == 0);
    assertThat(ask(port, "api.example.test").backend()).isEqualTo("api");
  }

  @Test
  void sixtyFourMegabytesAreRelayedBothWays() throws Exception {
    int port = listen(options -> options).actualPort();
    int total = 64 * 1024 * 1024;
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (SSLSocket socket = tlsSocket(port, "api.example.test")) {
      InputStream in = socket.getInputStream();
      assertThat(line(in)).startsWith("api ");
      CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
        CRC32 crc = new CRC32();
        Random random = new Random(42);
        byte[] chunk = new byte[64 * 1024];
        try {
          OutputStream out = socket.getOutputStream();
          for (int written = 0; written < total; written += chunk.length) {
            random.nextBytes(chunk);
            crc.update(chunk);
            out.write(chunk);
          }
          out.flush();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        return crc.getValue();
      }, writer);
      CRC32 crc = new CRC32();
      byte[] buffer = new byte[64 * 1024];
      long received = 0;
      while (received < total) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, total - received));
        assertThat(n).as("bytes echoed before the end of stream").isPositive();
        crc.update(buffer, 0, n);
        received += n;
      }
      assertThat(crc.getValue()).isEqualTo(sent.get(60, TimeUnit.SECONDS));
    } finally {
      writer.shutdownNow();
    }
    assertThat(apiTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.bytesFromClient()).isGreaterThan(total);
    assertThat(log.bytesToClient()).isGreaterThan(total);
  }

  @Test
  void twoHundredConcurrentVertxClientsEachSeeTheirBackendsCertificate() throws Exception {
    int port = listen(options -> options).actualPort();
    NetClient client = vertx.createNetClient(new NetClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(api.certificate.certificatePath())
            .addCertPath(wild.certificate.certificatePath()))
        .setHostnameVerificationAlgorithm(""));
    List<Future<String>> answers = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      TlsBackend backend = i % 2 == 0 ? api : wild;
      String serverName = i % 2 == 0 ? "api.example.test" : "c" + i + ".wild.test";
      String message = "message " + i;
      expected.add(backend.name + " " + message + " " + true);
      answers.add(client.connect(new ConnectOptions().setHost("127.0.0.1").setPort(port)
          .setSniServerName(serverName).setSsl(true)).compose(socket -> {
            Promise<String> answered = Promise.promise();
            Buffer received = Buffer.buffer();
            socket.handler(data -> {
              received.appendBuffer(data);
              String text = received.toString(StandardCharsets.US_ASCII);
              int end = text.indexOf('\n');
              if (end >= 0 && text.length() >= end + 1 + message.length()) {
                boolean certificate;
                try {
                  certificate = socket.peerCertificates().get(0).equals(backend.x509);
                } catch (Exception e) {
                  answered.tryFail(e);
                  return;
                }
                answered.tryComplete(text.substring(0, text.indexOf(' ')) + " " + text.substring(end + 1) + " "
                    + certificate);
                socket.close();
              }
            });
            socket.write(message);
            return answered.future();
          }));
    }
    List<String> results = new ArrayList<>();
    try {
      io.vertx.core.Future.join(answers).await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      long done = answers.stream().filter(Future::isComplete).count();
      throw new AssertionError(done + " done; logs " + logs.size() + ": " + logs.stream().limit(5).toList()
          + " open " + listener.openConnections() + " " + answers.stream().filter(Future::isComplete).limit(3)
          .map(f -> f.succeeded() ? f.result() : String.valueOf(f.cause())).toList(), e);
    }
    for (Future<String> answer : answers) {
      results.add(answer.succeeded() ? answer.result() : String.valueOf(answer.cause()));
    }
    assertThat(results).isEqualTo(expected);
    for (int i = 0; i < 100; i++) {
      assertThat(apiTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
      assertThat(wildTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    }
    client.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aProxyProtocolHeaderGivesTheBackendTheClientsAddress() throws Exception {
    try (TlsBackend proxied = TlsBackend.start(vertx, "proxied", "proxied.test", true)) {
      FixedTarget proxiedTarget = FixedTarget.at("proxied", proxied.port());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("proxied", proxied.x509);
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trustManagers.getTrustManagers(), null);
      int port = listen(options -> options.route("proxied.test", proxiedTarget).proxyProtocol(true)).actualPort();

      try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("proxied.test")));
        socket.setSSLParameters(parameters);
        assertThat(line(socket.getInputStream())).isEqualTo("proxied 127.0.0.1:" + socket.getLocalPort());
        assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(proxied.x509);
      }
      assertThat(proxiedTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    }
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
