package dev.gatelink.nlb.passthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.gatelink.nlb.passthrough.ConnectionLog.Refusal;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.transport.Transport;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The passthrough listener against real backends on loopback, run once per Netty transport (a subclass each): on
 * NIO bytes are copied through buffers, on epoll they are spliced once the ClientHello is passed on. TLS backends
 * hold their own certificates, which clients see (the listener did not end TLS); plain backends see the client's
 * bytes exactly. After each test every connection is closed and accounted for: no open connection, no connection
 * counted against a target, as many sockets, pipes and epoll descriptors as before, and no buffer Netty reports
 * as leaked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PassthroughListenerTest {
  static {
    LeakRecorder.install();
  }

  private final @Nullable Transport transport;
  private final String transportName;
  private Vertx vertx;
  private TlsBackend api;
  private TlsBackend wild;
  private TlsBackend fallback;
  private javax.net.ssl.TrustManager[] trustManagers;

  private final BlockingQueue<ConnectionLog> logs = new LinkedBlockingQueue<>();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private long descriptorsBefore;
  private @Nullable TlsPassthroughListener listener;
  private FixedTarget apiTarget;
  private FixedTarget wildTarget;
  private FixedTarget fallbackTarget;

  PassthroughListenerTest(@Nullable Transport transport, String transportName) {
    this.transport = transport;
    this.transportName = transportName;
  }

  /** {@return whether the relay splices on this transport, with zero copy on (the default)} */
  private boolean splices() {
    return transport == Transport.EPOLL;
  }

  @BeforeAll
  void backends() throws Exception {
    if (transport == null || !transport.available()) {
      throw new IllegalStateException("the " + transportName + " transport cannot run here: these tests must run on"
          + " it", transport == null ? null : transport.unavailabilityCause());
    }
    vertx = Vertx.builder().withTransport(transport).build();
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
    // Every event loop connects once (name resolvers and pools made on first use stay), so that what each test
    // opens can be counted against what was open before it.
    TlsPassthroughListener warmUp = listen(options -> options);
    for (int i = 0; i < 16; i++) {
      ask(warmUp.actualPort(), "api.example.test");
    }
    warmUp.close().await(10, TimeUnit.SECONDS);
    listener = null;
  }

  /**
   * {@return a client context of its own, trusting the three backends} A JDK client that resumes a session sends
   * the server name of that session, whatever it was asked to send; a fresh context resumes nothing.
   */
  private SSLContext clientTls() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers, null);
    return context;
  }

  @AfterAll
  void stop() throws Exception {
    for (TlsBackend backend : List.of(api, wild, fallback)) {
      backend.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    assertThat(LeakRecorder.leaksAfterGc()).isEmpty();
  }

  @BeforeEach
  void countDescriptors() {
    logs.clear();
    closing.clear();
    descriptorsBefore = Descriptors.notFiles();
  }

  @AfterEach
  void closeListener() throws Exception {
    for (AutoCloseable resource : closing) {
      resource.close();
    }
    closing.clear();
    TlsPassthroughListener started = listener;
    listener = null;
    if (started == null) {
      return;
    }
    started.close().await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> started.openConnections() == 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> started.routes().openToTargets() == 0);
    // At most as many as before: a descriptor an earlier test left closing (a client's socket, a selector) may
    // close meanwhile, so the count can fall; it never rises unless this test leaked one.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Descriptors.notFiles())
        .as("sockets, pipes and epoll descriptors open").isLessThanOrEqualTo(descriptorsBefore));
    assertThat(LeakRecorder.leaksAfterGc()).isEmpty();
  }

  /** Starts a listener with routes api.example.test, *.wild.test and a default route, changed by {@code custom}. */
  private TlsPassthroughListener listen(UnaryOperator<TlsPassthroughOptions.Builder> custom) throws Exception {
    apiTarget = FixedTarget.at("api", api.port());
    wildTarget = FixedTarget.at("wild", wild.port());
    fallbackTarget = FixedTarget.at("fallback", fallback.port());
    // Splicing from the start, so that every relay test exercises the spliced path on epoll; the switch of a
    // direction once bulk traffic comes (the default) has its own tests.
    TlsPassthroughOptions options = custom.apply(TlsPassthroughOptions.builder()
        .zeroCopyReadThreshold(0)
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

  private Socket accept(RawBackend backend) throws IOException {
    Socket socket = backend.accept();
    closing.add(socket);
    return socket;
  }

  /** A connection relayed to a plain backend: its target, the hello the client sent, and both ends. */
  private record Relayed(FixedTarget target, byte[] hello, Socket client, Socket backend) {}

  /**
   * {@return a connection relayed to a plain backend, to which a listener (changed by {@code custom}) routes
   * {@code raw.test}: the client sent its hello and {@code first}, and the backend read them}
   */
  private Relayed relayed(UnaryOperator<TlsPassthroughOptions.Builder> custom, String first) throws Exception {
    RawBackend raw = rawBackend();
    FixedTarget target = FixedTarget.at("raw", raw.port());
    int port = listen(options -> custom.apply(options.route("raw.test", target))).actualPort();
    byte[] hello = Hellos.jdk("raw.test");
    byte[] sent = Hellos.concat(hello, ascii(first));
    Socket client = rawClient(port);
    client.getOutputStream().write(sent);
    Socket backend = accept(raw);
    assertThat(RawBackend.read(backend.getInputStream(), sent.length)).isEqualTo(sent);
    return new Relayed(target, hello, client, backend);
  }

  private EchoBackend echoBackend(String name) throws Exception {
    EchoBackend backend = EchoBackend.start(vertx, name);
    closing.add(backend);
    return backend;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
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
    assertThat(log.offeredAlpn()).isEmpty();
    assertThat(log.route()).isEqualTo("api.example.test");
    assertThat(log.routeAlpn()).isNull();
    assertThat(log.endpoint()).isEqualTo(apiTarget.endpoint);
    assertThat(log.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(log.refusal()).isNull();
    assertThat(log.zeroCopy()).isEqualTo(splices());
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
      client.getOutputStream().write(Hellos.jdk(name));
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

  /**
   * The order of routes by server name and ALPN protocol: exact name and protocol, exact name, wildcard and
   * protocol, wildcard, default; among the protocol routes of one name, the client's first offered protocol that
   * one lists.
   */
  @Test
  void alpnProtocolsChooseAmongTheRoutesOfANameInTheDocumentedOrder() throws Exception {
    Map<String, EchoBackend> backends = new java.util.LinkedHashMap<>();
    for (String name : List.of("exactH2", "exact", "preferH2", "preferHttp1", "wildH2H3", "wild", "default")) {
      backends.put(name, echoBackend(name));
    }
    int port = listen(options -> options.routes(List.of())
        .route("alpn.test", List.of("h2"), FixedTarget.at("exactH2", backends.get("exactH2").port()))
        .route("alpn.test", FixedTarget.at("exact", backends.get("exact").port()))
        .route("prefer.test", List.of("h2"), FixedTarget.at("preferH2", backends.get("preferH2").port()))
        .route("prefer.test", List.of("http/1.1"), FixedTarget.at("preferHttp1", backends.get("preferHttp1").port()))
        .route("only.alpn.test", List.of("h2"), FixedTarget.at("exactH2", backends.get("exactH2").port()))
        .route("*.alpn.test", List.of("h2", "h3"), FixedTarget.at("wildH2H3", backends.get("wildH2H3").port()))
        .route("*.alpn.test", FixedTarget.at("wild", backends.get("wild").port()))
        .defaultTarget(FixedTarget.at("default", backends.get("default").port()))).actualPort();

    record Case(String serverName, List<String> offered, String backend, String route, @Nullable String alpn) {}
    List<Case> cases = List.of(
        new Case("alpn.test", List.of("h2", "http/1.1"), "exactH2", "alpn.test", "h2"),
        new Case("alpn.test", List.of("http/1.1", "h2"), "exactH2", "alpn.test", "h2"),
        new Case("alpn.test", List.of("http/1.1"), "exact", "alpn.test", null),
        new Case("alpn.test", List.of(), "exact", "alpn.test", null),
        new Case("prefer.test", List.of("http/1.1", "h2"), "preferHttp1", "prefer.test", "http/1.1"),
        new Case("prefer.test", List.of("h2", "http/1.1"), "preferH2", "prefer.test", "h2"),
        new Case("prefer.test", List.of("h3"), "default", "$default", null),
        new Case("only.alpn.test", List.of("http/1.1", "h3"), "wildH2H3", "*.alpn.test", "h3"),
        new Case("only.alpn.test", List.of("http/1.1"), "wild", "*.alpn.test", null),
        new Case("x.alpn.test", List.of("h3", "h2"), "wildH2H3", "*.alpn.test", "h3"),
        new Case("x.alpn.test", List.of(), "wild", "*.alpn.test", null),
        new Case("other.test", List.of("h2"), "default", "$default", null));
    for (Case expected : cases) {
      byte[] hello = Hellos.jdk(expected.serverName(), expected.offered().toArray(new String[0]));
      try (Socket client = rawClient(port)) {
        client.getOutputStream().write(hello);
        InputStream in = client.getInputStream();
        assertThat(line(in)).as("backend of %s", expected).isEqualTo(expected.backend());
        assertThat(RawBackend.read(in, hello.length)).as("the hello, echoed").isEqualTo(hello);
      }
      ConnectionLog log = nextLog();
      assertThat(log.serverName()).isEqualTo(expected.serverName());
      assertThat(log.offeredAlpn()).isEqualTo(expected.offered());
      assertThat(log.route() + " " + log.routeAlpn()).as("route of %s", expected)
          .isEqualTo(expected.route() + " " + expected.alpn());
      assertThat(log.bytesFromClient()).isEqualTo(hello.length);
    }
  }

  @Test
  void aHelloWrittenOneByteAtATimeIsPassedOnExactlyAndTheBackendAnswersIt() throws Exception {
    RawBackend raw = rawBackend();
    FixedTarget rawTarget = new FixedTarget("raw", Endpoint.of("127.0.0.1", raw.port()), true);
    int port = listen(options -> options.route("raw.test", rawTarget)).actualPort();
    byte[] hello = Hellos.jdk("raw.test");

    Socket client = rawClient(port);
    OutputStream out = client.getOutputStream();
    for (byte b : hello) {
      out.write(b);
      out.flush();
    }
    out.write(ascii("after"));
    Socket backend = accept(raw);
    byte[] seen = RawBackend.read(backend.getInputStream(), hello.length + 5);
    assertThat(seen).isEqualTo(Hellos.concat(hello, ascii("after")));
    backend.getOutputStream().write(ascii("answer"));
    assertThat(RawBackend.read(client.getInputStream(), 6)).asString().isEqualTo("answer");
    backend.close();
    assertThat(client.getInputStream().read()).isEqualTo(-1);
    client.close();

    assertThat(rawTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.route()).isEqualTo("raw.test");
    assertThat(log.bytesFromClient()).isEqualTo(hello.length + 5);
    assertThat(log.bytesToClient()).isEqualTo(6);
  }

  @Test
  void aHelloInOneByteWritesOrInManyRecordsReachesARealTlsBackend() throws Exception {
    int port = listen(options -> options.defaultTarget(null)).actualPort();
    byte[] hello = Hellos.jdk("api.example.test", "h2", "http/1.1");

    List<byte[]> variants = List.of(hello, Hellos.split(hello, 100), Hellos.inRecordsOf(hello, 7));
    for (int variant = 0; variant < variants.size(); variant++) {
      Socket client = rawClient(port);
      OutputStream out = client.getOutputStream();
      for (byte b : variants.get(variant)) {
        out.write(b);
        out.flush();
      }
      // The backend's JDK TLS read the hello: its first record is a handshake record holding a ServerHello (2).
      byte[] answer = RawBackend.read(client.getInputStream(), 6);
      assertThat(answer[0]).as("variant %s: record type", variant).isEqualTo((byte) 22);
      assertThat(answer[5]).as("variant %s: handshake type", variant).isEqualTo((byte) 2);
      client.close();
      assertThat(apiTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
      ConnectionLog log = nextLog();
      assertThat(log.route()).isEqualTo("api.example.test");
      assertThat(log.offeredAlpn()).containsExactly("h2", "http/1.1");
      assertThat(log.bytesFromClient()).isEqualTo(variants.get(variant).length);
    }
  }

  @Test
  void aHelloSplitAcrossSeveralRecordsIsRoutedByItsNameAndAlpnAndPassedOnExactly() throws Exception {
    RawBackend raw = rawBackend();
    RawBackend rawH2 = rawBackend();
    int port = listen(options -> options.route("split.test", FixedTarget.at("raw", raw.port()))
        .route("split.test", List.of("h2"), FixedTarget.at("rawH2", rawH2.port()))).actualPort();
    byte[] h2 = Hellos.jdk("split.test", "h2");
    byte[] plain = Hellos.jdk("split.test");

    // Records that split the hello anywhere after its 4-byte handshake header: right after it, in the middle,
    // in records of 16 and of 1 byte (which split the server name and ALPN extensions).
    record Split(byte[] sent, RawBackend backend, String route) {}
    for (Split split : List.of(new Split(Hellos.split(h2, 4), rawH2, "split.test h2"),
        new Split(Hellos.split(h2, 100, 3, 50), rawH2, "split.test h2"),
        new Split(Hellos.inRecordsOf(h2, 16), rawH2, "split.test h2"),
        new Split(Hellos.inRecordsOf(h2, 1), rawH2, "split.test h2"),
        new Split(Hellos.split(plain, 4), raw, "split.test null"))) {
      Socket client = rawClient(port);
      client.getOutputStream().write(split.sent());
      try (Socket backend = split.backend().accept()) {
        assertThat(RawBackend.read(backend.getInputStream(), split.sent().length)).isEqualTo(split.sent());
      }
      assertThat(client.getInputStream().read()).isEqualTo(-1);
      client.close();
      ConnectionLog log = nextLog();
      assertThat(log.route() + " " + log.routeAlpn()).isEqualTo(split.route());
      assertThat(log.bytesFromClient()).isEqualTo(split.sent().length);
    }
  }

  /**
   * Netty 4.2.9's {@code SslClientHelloHandler} reads the hello's 4-byte handshake header from its first record
   * only (see {@link NettyClientHelloTest}); the listener refuses a hello whose first record holds less of it at
   * once, as not TLS. No client is known to send such records.
   */
  @Test
  void aHelloWhoseHandshakeHeaderIsSplitAcrossRecordsIsRefusedAtOnce() throws Exception {
    int port = listen(options -> options.helloTimeout(Duration.ofMinutes(5))).actualPort();
    byte[] hello = Hellos.jdk("api.example.test");

    for (int firstLength : List.of(1, 2, 3)) {
      Socket client = rawClient(port);
      client.getOutputStream().write(Hellos.split(hello, firstLength));
      assertThat(client.getInputStream().read()).isEqualTo(-1);
      ConnectionLog log = nextLog();
      assertThat(log.refusal()).as("header split after %s bytes", firstLength).isEqualTo(Refusal.NOT_TLS);
      assertThat(log.route()).isNull();
      assertThat(log.bytesFromClient()).isZero();
    }
    assertThat(apiTarget.reports).isEmpty();
  }

  @Test
  void bytesThatAreNotAClientHelloAreRefusedWithoutDisturbingOtherConnections() throws Exception {
    EchoBackend made = echoBackend("made");
    int port = listen(options -> options.helloTimeout(Duration.ofMinutes(5))
        .route("made.test", FixedTarget.at("made", made.port()))).actualPort();
    byte[] oversizedHello = new byte[5 + 16_384];
    System.arraycopy(new byte[] {22, 3, 1, 0x40, 0, 1, 0x10, 0, 0}, 0, oversizedHello, 0, 9);
    byte[] alpn = Hellos.alpn("h2");
    List<byte[]> refused = List.of(
        ascii("GET / HTTP/1.1\r\nHost: api.example.test\r\n\r\n"),
        // An SSLv2-style ClientHello: a two-byte length with the high bit set, then message type 1.
        new byte[] {(byte) 0x80, 0x2e, 1, 3, 1, 0, 0x15, 0, 0, 0, 0x10},
        // A handshake record of another message type (ServerHello).
        new byte[] {22, 3, 3, 0, 6, 2, 0, 0, 2, 3, 3},
        // An alert record.
        new byte[] {21, 3, 3, 0, 2, 2, 40},
        // An empty handshake record.
        new byte[] {22, 3, 1, 0, 0},
        // A ClientHello of 1 MiB, over the 64 KiB limit.
        oversizedHello,
        // A handshake record of 2^14 + 2049 bytes, over TLS's limit (only its header is sent: it is refused at once,
        // not after the hello timeout).
        new byte[] {22, 3, 1, 0x48, 0x01, 1, 0, 0x48, 0},
        // Malformed hellos: an extension longer than the hello, an ALPN list with an empty name, bytes after the
        // extensions, a session id of 33 bytes.
        Hellos.record(Hellos.body(0, new byte[] {0, 10, 0, 16, 0, 20, 0, 3, 2, 'h', '2'})),
        Hellos.record(Hellos.body(0, Hellos.extensions(0, Hellos.serverName("api.example.test"), 16,
            new byte[] {0, 4, 2, 'h', '2', 0}))),
        Hellos.record(Hellos.concat(Hellos.body(0, Hellos.extensions(0, Hellos.serverName("api.example.test"), 16,
            alpn)), new byte[] {0})),
        Hellos.record(Hellos.body(33, Hellos.extensions(0, Hellos.serverName("api.example.test")))));

    try (SSLSocket bystander = tlsSocket(port, "api.example.test")) {
      InputStream bystanderIn = bystander.getInputStream();
      assertThat(line(bystanderIn)).startsWith("api ");
      for (byte[] bytes : refused) {
        Socket client = rawClient(port);
        client.getOutputStream().write(bytes);
        assertThat(client.getInputStream().read()).isEqualTo(-1);
        ConnectionLog log = nextLog();
        assertThat(log.refusal()).as("refusal of %s", Arrays.toString(Arrays.copyOf(bytes, 12)))
            .isEqualTo(Refusal.NOT_TLS);
        assertThat(log.route()).isNull();
        assertThat(log.bytesFromClient()).isZero();
      }
      bystander.getOutputStream().write(ascii("still here\n"));
      assertThat(line(bystanderIn)).isEqualTo("still here");
    }
    assertThat(apiTarget.nextReport()).isEqualTo(Outcome.SUCCESS);
    assertThat(nextLog().outcome()).isEqualTo(Outcome.SUCCESS);
    // A well-formed hand-made hello is routed by its name, and its ALPN protocols are logged.
    Socket wellFormed = rawClient(port);
    wellFormed.getOutputStream().write(Hellos.record(Hellos.body(32, Hellos.extensions(0,
        Hellos.serverName("made.test"), 16, Hellos.alpn("h2", "acme-tls/1")))));
    assertThat(line(wellFormed.getInputStream())).isEqualTo("made");
    wellFormed.close();
    ConnectionLog log = nextLog();
    assertThat(log.route()).isEqualTo("made.test");
    assertThat(log.offeredAlpn()).containsExactly("h2", "acme-tls/1");
  }

  @Test
  void aSilentClientOrAPartialHelloIsClosedAfterTheHelloTimeout() throws Exception {
    int port = listen(options -> options.helloTimeout(Duration.ofMillis(300))).actualPort();
    byte[] hello = Hellos.jdk("api.example.test");

    // Nothing; 30 bytes; two whole records and the start of a third.
    for (byte[] sent : List.of(new byte[0], Arrays.copyOf(hello, 30),
        Arrays.copyOf(Hellos.split(hello, 10, 10), 2 * (5 + 10) + 5 + 20))) {
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
    Relayed relayed = relayed(options -> options, "request");
    Socket client = relayed.client();
    Socket backend = relayed.backend();

    client.shutdownOutput();
    assertThat(backend.getInputStream().read()).as("the client's end of stream, passed on").isEqualTo(-1);
    backend.getOutputStream().write(ascii("response"));
    backend.shutdownOutput();
    assertThat(RawBackend.read(client.getInputStream(), 8)).asString().isEqualTo("response");
    assertThat(client.getInputStream().read()).isEqualTo(-1);

    assertThat(relayed.target().nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.bytesFromClient()).isEqualTo(relayed.hello().length + 7);
    assertThat(log.bytesToClient()).isEqualTo(8);
  }

  @Test
  void aBackendThatShutsItsOutputStillGetsWhatTheClientSends() throws Exception {
    Relayed relayed = relayed(options -> options, "");
    Socket client = relayed.client();
    Socket backend = relayed.backend();
    InputStream in = backend.getInputStream();

    backend.getOutputStream().write(ascii("greeting"));
    backend.shutdownOutput();
    assertThat(RawBackend.read(client.getInputStream(), 8)).asString().isEqualTo("greeting");
    assertThat(client.getInputStream().read()).as("the backend's end of stream, passed on").isEqualTo(-1);
    client.getOutputStream().write(ascii("more"));
    client.shutdownOutput();
    assertThat(RawBackend.read(in, 4)).asString().isEqualTo("more");
    assertThat(in.read()).isEqualTo(-1);

    assertThat(relayed.target().nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.bytesFromClient()).isEqualTo(relayed.hello().length + 4);
    assertThat(log.bytesToClient()).isEqualTo(8);
  }

  /**
   * Each side writes megabytes and shuts its output at once: the end of stream is seen while many of the bytes
   * still wait in the socket (spliced, the listener sees the FIN before it has moved them), and every byte arrives
   * before it. The client's bytes are read as they come; the backend's only once all are written, so that they wait
   * behind a reader that does not read (spliced: in the pipe and the socket buffers) when the end of stream comes.
   */
  @Test
  void megabytesWrittenJustBeforeAnEndOfStreamAllArriveBeforeIt() throws Exception {
    Relayed relayed = relayed(options -> options, "");
    Socket client = relayed.client();
    Socket backend = relayed.backend();
    int total = 8 << 20;
    int waiting = 2 << 20;
    ExecutorService writers = Executors.newFixedThreadPool(2);
    try {

      CompletableFuture<Long> clientSent = CompletableFuture.supplyAsync(() -> send(client, total, 1), writers);
      long[] backendGot = receive(backend.getInputStream());
      assertThat(backendGot[0]).as("bytes before the client's end of stream").isEqualTo(total);
      assertThat(backendGot[1]).isEqualTo(clientSent.get(60, TimeUnit.SECONDS));

      CompletableFuture<Long> backendSent = CompletableFuture.supplyAsync(() -> send(backend, waiting, 2), writers);
      await("2 MiB written into the socket buffers before any is read").atMost(Duration.ofSeconds(10))
          .until(backendSent::isDone);
      long[] clientGot = receive(client.getInputStream());
      assertThat(clientGot[0]).as("bytes before the backend's end of stream").isEqualTo(waiting);
      assertThat(clientGot[1]).isEqualTo(backendSent.get());
    } finally {
      writers.shutdownNow();
    }
    assertThat(relayed.target().nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.bytesFromClient()).isEqualTo(relayed.hello().length + total);
    assertThat(log.bytesToClient()).isEqualTo(waiting);
    assertThat(log.zeroCopy()).isEqualTo(splices());
  }

  /** {@return the CRC of {@code total} pseudo-random bytes written to the socket, whose output is then shut} */
  private static long send(Socket socket, long total, long seed) {
    byte[] block = new byte[1 << 20];
    new Random(seed).nextBytes(block);
    CRC32 crc = new CRC32();
    try {
      OutputStream out = socket.getOutputStream();
      for (long written = 0; written < total; ) {
        int length = (int) Math.min(block.length - (written % 997), total - written);
        int from = (int) (written % 997);
        crc.update(block, from, length);
        out.write(block, from, length);
        written += length;
      }
      out.flush();
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return crc.getValue();
  }

  /** {@return the count and CRC of the bytes read up to the end of the stream} */
  private static long[] receive(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[1 << 16];
    long count = 0;
    for (int n; (n = in.read(buffer)) != -1; ) {
      crc.update(buffer, 0, n);
      count += n;
    }
    return new long[] {count, crc.getValue()};
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
    client.getOutputStream().write(Hellos.jdk("refusing.test"));
    assertThat(client.getInputStream().read()).isEqualTo(-1);

    assertThat(refusing.nextReport()).isEqualTo(Outcome.CONNECT_FAILURE);
    ConnectionLog log = nextLog();
    assertThat(log.outcome()).isEqualTo(Outcome.CONNECT_FAILURE);
    assertThat(log.endpoint()).isEqualTo(refusing.endpoint);
    assertThat(log.bytesToClient()).isZero();
    assertThat(refusing.reports).isEmpty();
  }

  @Test
  void aTargetThatResetsTheConnectionClosesTheClientCleanlyAndHearsReset() throws Exception {
    Relayed relayed = relayed(options -> options, "request");
    Socket client = relayed.client();
    Socket backend = relayed.backend();

    backend.getOutputStream().write(ascii("partial"));
    assertThat(RawBackend.read(client.getInputStream(), 7)).asString().isEqualTo("partial");
    backend.setSoLinger(true, 0);
    backend.close();
    assertThat(client.getInputStream().read()).as("an end of stream, not a reset").isEqualTo(-1);

    assertThat(relayed.target().nextReport()).isEqualTo(Outcome.RESET);
    ConnectionLog log = nextLog();
    assertThat(log.outcome()).isEqualTo(Outcome.RESET);
    assertThat(log.bytesFromClient()).isEqualTo(relayed.hello().length + 7);
    assertThat(log.bytesToClient()).isEqualTo(7);
    assertThat(relayed.target().reports).isEmpty();
  }

  @Test
  void anIdleConnectionIsClosedAndItsTargetHearsTimeout() throws Exception {
    Relayed relayed = relayed(options -> options.idleTimeout(Duration.ofMillis(300)), "");

    assertThat(relayed.client().getInputStream().read()).isEqualTo(-1);
    assertThat(relayed.backend().getInputStream().read()).isEqualTo(-1);
    assertThat(relayed.target().nextReport()).isEqualTo(Outcome.TIMEOUT);
    ConnectionLog log = nextLog();
    assertThat(log.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(log.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void closingTheListenerClosesItsConnectionsAndTheirTargetsHearCancelled() throws Exception {
    Relayed relayed = relayed(options -> options, "");
    TlsPassthroughListener started = listener;

    started.close().await(10, TimeUnit.SECONDS);
    assertThat(relayed.client().getInputStream().read()).isEqualTo(-1);
    assertThat(relayed.backend().getInputStream().read()).isEqualTo(-1);
    assertThat(relayed.target().nextReport()).isEqualTo(Outcome.CANCELLED);
    assertThat(nextLog().outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(started.openConnections()).isZero();
  }

  @Test
  void connectionsOverTheLimitsAreClosed() throws Exception {
    int port = listen(options -> options.maxConnections(3).maxConnectionsPerTarget(1)).actualPort();

    try (SSLSocket first = tlsSocket(port, "api.example.test")) {
      assertThat(line(first.getInputStream())).startsWith("api ");
      Socket second = rawClient(port);
      second.getOutputStream().write(Hellos.jdk("api.example.test"));
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
  void theCountersCountEachConnectionOnceByHowItEnded() throws Exception {
    RawBackend raw = rawBackend();
    int closedPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = free.getLocalPort();
    }
    TlsPassthroughListener started = listen(options -> options.defaultTarget(null).helloTimeout(Duration.ofMillis(300))
        .route("raw.test", FixedTarget.at("raw", raw.port()))
        .route("refusing.test", FixedTarget.at("refusing", closedPort)));
    int port = started.actualPort();
    byte[] hello = Hellos.jdk("raw.test");

    List<ConnectionLog> ended = new ArrayList<>();
    Socket relayed = rawClient(port);
    relayed.getOutputStream().write(Hellos.concat(hello, ascii("ping")));
    Socket backend = accept(raw);
    assertThat(RawBackend.read(backend.getInputStream(), hello.length + 4)).isEqualTo(Hellos.concat(hello,
        ascii("ping")));
    backend.getOutputStream().write(ascii("pong!"));
    assertThat(RawBackend.read(relayed.getInputStream(), 5)).asString().isEqualTo("pong!");
    backend.close();
    assertThat(relayed.getInputStream().read()).isEqualTo(-1);
    relayed.close();
    ended.add(nextLog());
    assertThat(ended.get(0).outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(ended.get(0).bytesFromClient()).isEqualTo(hello.length + 4);
    assertThat(ended.get(0).bytesToClient()).isEqualTo(5);
    for (byte[] sent : List.of(Hellos.jdk("nobody.test"), ascii("GET / HTTP/1.1\r\n\r\n"), new byte[0],
        Hellos.jdk("refusing.test"))) {
      Socket client = rawClient(port);
      client.getOutputStream().write(sent);
      assertThat(client.getInputStream().read()).isEqualTo(-1);
      ended.add(nextLog());
    }
    Socket gone = rawClient(port);
    gone.getOutputStream().write(Arrays.copyOf(hello, 20));
    gone.close();
    ended.add(nextLog());
    assertThat(ended.stream().map(log -> log.outcome() != null ? log.outcome().name() : log.refusal().name()))
        .containsExactly("SUCCESS", "NO_ROUTE", "NOT_TLS", "HELLO_TIMEOUT", "CONNECT_FAILURE", "CLIENT_GONE");

    Map<Refusal, Long> refusals = new EnumMap<>(Refusal.class);
    for (Refusal reason : Refusal.values()) {
      refusals.put(reason, 0L);
    }
    refusals.putAll(Map.of(Refusal.NO_ROUTE, 1L, Refusal.NOT_TLS, 1L, Refusal.HELLO_TIMEOUT, 1L,
        Refusal.CLIENT_GONE, 1L));
    Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
    for (Outcome outcome : Outcome.values()) {
      outcomes.put(outcome, 0L);
    }
    outcomes.putAll(Map.of(Outcome.SUCCESS, 1L, Outcome.CONNECT_FAILURE, 1L));
    PassthroughCounters counters = started.counters();
    assertThat(counters).isEqualTo(new PassthroughCounters(6, refusals, outcomes,
        ended.stream().mapToLong(ConnectionLog::bytesFromClient).sum(), 5));
    assertThat(counters.refused(Refusal.NOT_TLS)).isEqualTo(1);
    assertThat(counters.ended(Outcome.SUCCESS)).isEqualTo(1);
    assertThat(counters.refusals().values().stream().mapToLong(Long::longValue).sum()
        + counters.outcomes().values().stream().mapToLong(Long::longValue).sum() + started.openConnections())
        .isEqualTo(counters.accepted());
  }

  /**
   * Where the relay splices, Netty makes a pipe (two descriptors) for each channel it splices into, once bytes
   * come; this is the evidence that the kernel moved them. With zero copy off, or on NIO, there is none.
   */
  @Test
  void bytesAreSplicedOnEpollThroughAPipeEachWay() throws Exception {
    assertThat(relayCountingPipes(true)).isEqualTo(splices() ? 4 : 0);
  }

  /**
   * With the default threshold a small exchange stays copied (no pipe), and a direction that then brings bulk
   * traffic goes on spliced on epoll (one pipe, for the channel it writes into), every byte counted.
   */
  @Test
  void byDefaultSmallExchangesAreCopiedAndBulkTrafficIsSplicedOnEpoll() throws Exception {
    long pipesBefore = Descriptors.pipes();
    Relayed relayed = relayed(options -> options.zeroCopyReadThreshold(
        TlsPassthroughOptions.DEFAULT_ZERO_COPY_READ_THRESHOLD), "ping");
    Socket client = relayed.client();
    Socket backend = relayed.backend();
    backend.getOutputStream().write(ascii("pong!"));
    assertThat(RawBackend.read(client.getInputStream(), 5)).asString().isEqualTo("pong!");
    assertThat(Descriptors.pipes() - pipesBefore).as("pipes after a small exchange").isZero();

    byte[] bulk = new byte[4 << 20];
    java.util.Arrays.fill(bulk, (byte) 'b');
    backend.getOutputStream().write(bulk);
    assertThat(RawBackend.read(client.getInputStream(), bulk.length)).isEqualTo(bulk);
    long pipes = Descriptors.pipes() - pipesBefore;
    client.close();
    assertThat(backend.getInputStream().read()).isEqualTo(-1);
    backend.close();

    assertThat(pipes).as("pipes after bulk traffic one way").isEqualTo(splices() ? 2 : 0);
    assertThat(relayed.target().nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.zeroCopy()).isEqualTo(splices());
    assertThat(log.bytesFromClient()).isEqualTo(relayed.hello().length + 4);
    assertThat(log.bytesToClient()).isEqualTo(5 + bulk.length);
  }

  @Test
  void aNegativeZeroCopyReadThresholdIsRefused() {
    assertThatThrownBy(() -> TlsPassthroughOptions.builder().zeroCopyReadThreshold(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zeroCopyReadThreshold -1 is out of range: expected at least 0");
  }

  @Test
  void withZeroCopyOffBytesAreCopiedOnEveryTransport() throws Exception {
    assertThat(relayCountingPipes(false)).isZero();
  }

  /** {@return the pipe descriptors opened while a connection relays a few bytes each way} */
  private long relayCountingPipes(boolean zeroCopy) throws Exception {
    long pipesBefore = Descriptors.pipes();
    Relayed relayed = relayed(options -> options.zeroCopy(zeroCopy), "");
    Socket client = relayed.client();
    Socket backend = relayed.backend();

    client.getOutputStream().write(ascii("ping"));
    assertThat(RawBackend.read(backend.getInputStream(), 4)).asString().isEqualTo("ping");
    backend.getOutputStream().write(ascii("pong!"));
    assertThat(RawBackend.read(client.getInputStream(), 5)).asString().isEqualTo("pong!");
    long pipes = Descriptors.pipes() - pipesBefore;
    client.close();
    assertThat(backend.getInputStream().read()).isEqualTo(-1);
    backend.close();

    assertThat(relayed.target().nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.zeroCopy()).isEqualTo(zeroCopy && splices());
    assertThat(log.bytesFromClient()).isEqualTo(relayed.hello().length + 4);
    assertThat(log.bytesToClient()).isEqualTo(5);
    return pipes;
  }

  @Test
  void sixtyFourMegabytesAreRelayedBothWaysThroughTls() throws Exception {
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

  /**
   * A gibibyte each way at once, through a heap of 128 MiB (surefire's -Xmx128m), with an idle timeout of 2 s that
   * a relay moving bytes must never reach. The backend ends TLS, so a plain backend after a real ClientHello is
   * what the listener sees of any; it counts and checksums what it gets.
   */
  @Test
  void aGibibyteEachWayPassesThroughABoundedHeap() throws Exception {
    Relayed relayed = relayed(options -> options.idleTimeout(Duration.ofSeconds(2)), "");
    Socket client = relayed.client();
    Socket backend = relayed.backend();
    long total = 1L << 30;
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {

      CompletableFuture<Long> clientSent = CompletableFuture.supplyAsync(() -> send(client, total, 1), threads);
      CompletableFuture<Long> backendSent = CompletableFuture.supplyAsync(() -> send(backend, total, 2), threads);
      CompletableFuture<long[]> backendGot = CompletableFuture.supplyAsync(() -> {
        try {
          return receive(backend.getInputStream());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, threads);
      long[] clientGot = receive(client.getInputStream());

      assertThat(clientGot).containsExactly(total, backendSent.get(120, TimeUnit.SECONDS));
      assertThat(backendGot.get(120, TimeUnit.SECONDS)).containsExactly(total, clientSent.get(120, TimeUnit.SECONDS));
    } finally {
      threads.shutdownNow();
    }
    assertThat(relayed.target().nextReport()).isEqualTo(Outcome.SUCCESS);
    ConnectionLog log = nextLog();
    assertThat(log.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(log.bytesFromClient()).isEqualTo(relayed.hello().length + total);
    assertThat(log.bytesToClient()).isEqualTo(total);
    assertThat(log.zeroCopy()).isEqualTo(splices());
  }

  @Test
  void twoHundredConcurrentVertxTlsClientsEachSeeTheirBackendsCertificate() throws Exception {
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
    Future.join(answers).await(60, TimeUnit.SECONDS);
    List<String> results = new ArrayList<>();
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

  /**
   * Two thousand connections open at once, half routed by exact name, half by wildcard, each echoed exactly by its
   * backend. Each takes four sockets of this JVM (client, listener's two, backend) and, spliced, two pipes; the
   * test fails, rather than skips, when the limit on open files is too low for that.
   */
  @Test
  void twoThousandConnectionsAtOnceAreEachRelayedExactly() throws Exception {
    int connections = 2_000;
    long needed = (long) connections * (splices() ? 8 : 4) + 200;
    long available = Descriptors.maxOpenFiles() - Descriptors.notFiles();
    if (available < needed) {
      fail("this test needs " + needed + " more open files than the " + Descriptors.notFiles() + " open, for "
          + connections + " connections; the limit is " + Descriptors.maxOpenFiles() + " (ulimit -n): raise it for"
          + " this build");
    }
    EchoBackend exact = echoBackend("exact");
    EchoBackend wildcard = echoBackend("wildcard");
    FixedTarget exactTarget = FixedTarget.at("exact", exact.port());
    FixedTarget wildcardTarget = FixedTarget.at("wildcard", wildcard.port());
    int port = listen(options -> options.routes(List.of()).defaultTarget(null)
        .route("exact.test", exactTarget).route("*.many.test", wildcardTarget)).actualPort();
    byte[] exactHello = Hellos.jdk("exact.test");
    byte[] wildcardHello = Hellos.jdk("one.many.test", "h2");
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(60_000));
    try {
      List<Future<NetSocket>> echoed = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        boolean byName = i % 2 == 0;
        Buffer sent = Buffer.buffer(byName ? exactHello : wildcardHello).appendString("message " + i);
        Buffer expected = Buffer.buffer((byName ? "exact" : "wildcard") + "\n").appendBuffer(sent);
        echoed.add(client.connect(port, "127.0.0.1").compose(socket -> {
          Promise<NetSocket> done = Promise.promise();
          Buffer received = Buffer.buffer();
          socket.handler(data -> {
            received.appendBuffer(data);
            if (received.length() >= expected.length()) {
              if (received.equals(expected)) {
                done.tryComplete(socket);
              } else {
                done.tryFail("connection got " + received + ", expected " + expected);
              }
            }
          });
          socket.write(sent);
          return done.future();
        }));
      }
      Future.all(echoed).await(120, TimeUnit.SECONDS);
      assertThat(listener.openConnections()).as("connections open at once").isEqualTo(connections);
      assertThat(listener.routes().openToTargets()).isEqualTo(connections);
      for (Future<NetSocket> socket : echoed) {
        socket.result().close();
      }
      long bytesFromClients = 0;
      for (int i = 0; i < connections; i++) {
        ConnectionLog log = nextLog();
        assertThat(log.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(log.zeroCopy()).isEqualTo(splices());
        assertThat(log.bytesToClient()).isEqualTo(log.bytesFromClient()
            + (log.route().equals("exact.test") ? "exact\n" : "wildcard\n").length());
        bytesFromClients += log.bytesFromClient();
      }
      long expectedBytes = (long) connections / 2 * (exactHello.length + wildcardHello.length);
      for (int i = 0; i < connections; i++) {
        expectedBytes += ("message " + i).length();
      }
      assertThat(bytesFromClients).isEqualTo(expectedBytes);
      assertThat(exactTarget.reports).hasSize(connections / 2).containsOnly(Outcome.SUCCESS);
      assertThat(wildcardTarget.reports).hasSize(connections / 2).containsOnly(Outcome.SUCCESS);
      assertThat(listener.counters().ended(Outcome.SUCCESS)).isEqualTo(connections);
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * {@code openssl s_client}, a client from outside the JVM, sees the certificate of the backend its server name
   * and ALPN protocol route to.
   */
  @Test
  void opensslSeesTheCertificateOfTheBackendItsServerNameAndAlpnRouteTo() throws Exception {
    int port = listen(options -> options.route("api.example.test", List.of("h2"), wildTarget)).actualPort();

    assertThat(openssl(port, "api.example.test", null)).isEqualTo("subject=CN = api.example.test, greeted by api");
    assertThat(nextLog().route()).isEqualTo("api.example.test");
    assertThat(openssl(port, "api.example.test", "h2")).isEqualTo("subject=CN = any.wild.test, greeted by wild");
    ConnectionLog log = nextLog();
    assertThat(log.route() + " " + log.routeAlpn()).isEqualTo("api.example.test h2");
    assertThat(log.offeredAlpn()).containsExactly("h2");
    assertThat(log.outcome()).isEqualTo(Outcome.SUCCESS);
  }

  /**
   * {@return the certificate subject {@code openssl s_client} printed, and the name in its backend's greeting, after
   * which its input is ended (and it ends)} It writes what it receives straight to its output, in the middle of a
   * line of what it buffers, so the greeting is looked for anywhere in a line.
   */
  private static String openssl(int port, String serverName, @Nullable String alpn) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", serverName));
    if (alpn != null) {
      command.addAll(List.of("-alpn", alpn));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.regex.Pattern greeting = java.util.regex.Pattern.compile("(api|wild|fallback) 127\\.0\\.0\\.1:\\d+");
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8)); OutputStream in = process.getOutputStream()) {
      CompletableFuture<String> greeted = CompletableFuture.supplyAsync(() -> {
        try {
          for (String line; (line = out.readLine()) != null && lines.size() < 500; ) {
            lines.add(line);
            java.util.regex.Matcher found = greeting.matcher(line);
            if (found.find()) {
              return found.group(1);
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        throw new AssertionError("openssl ended without the backend's greeting: " + lines);
      });
      String backend;
      try {
        backend = greeted.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("openssl printed no greeting of a backend within 30 s: " + lines, e);
      }
      in.close();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl ends once its input does").isTrue();
      return lines.stream().filter(line -> line.startsWith("subject=")).findFirst().orElse("no subject line")
          + ", greeted by " + backend;
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void aProxyProtocolHeaderGivesTheBackendTheClientsAddress() throws Exception {
    try (TlsBackend proxied = TlsBackend.start(vertx, "proxied", "proxied.test", true)) {
      FixedTarget proxiedTarget = FixedTarget.at("proxied", proxied.port());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("proxied", proxied.x509);
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, factory.getTrustManagers(), null);
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
      assertThat(nextLog().zeroCopy()).isEqualTo(splices());
    }
  }
}
