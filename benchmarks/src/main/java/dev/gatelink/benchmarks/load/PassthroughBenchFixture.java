package dev.gatelink.benchmarks.load;

import dev.gatelink.nlb.passthrough.TlsPassthroughListener;
import dev.gatelink.nlb.passthrough.TlsPassthroughOptions;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Target;
import dev.gatelink.target.TlsPolicy;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS-passthrough benchmark's Java processes ({@code benchmarks/scripts/passthrough-bench.sh}): a TLS backend
 * with a certificate of its own, and Gatelink's TLS-passthrough listener routing one server name (SNI) to it. Each
 * runs in a process of its own, so that the script reads each one's CPU time from {@code /proc}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.gatelink.benchmarks.load.PassthroughBenchFixture --role backend \
 *     [--server-name localhost] [--bulk-bytes 1048576] [--host 127.0.0.1] [--port 0] [--event-loops 1] [--transport auto]
 * java -cp benchmarks/target/benchmarks.jar dev.gatelink.benchmarks.load.PassthroughBenchFixture --role passthrough \
 *     --backend-port PORT [--backend-host 127.0.0.1] [--server-name localhost] [--host 127.0.0.1] [--port 0] \
 *     [--event-loops 1] [--transport auto] [--zero-copy true]
 * </pre>
 *
 * <p>The backend is an HTTPS/1.1 server (Vert.x, the JDK's TLS) with a self-signed ECDSA P-256 certificate made at
 * start for {@code --server-name}; it answers {@code GET /bulk} with {@code --bulk-bytes} bytes and any other request
 * with {@code hello world\n}, and answers every server name (it is the "direct" target). The passthrough listener
 * routes {@code --server-name} to the backend and has no default route, so a ClientHello with another name or none
 * is refused. Each prints exactly one line, {@code listening on PORT}, when it is ready, and serves until stopped.
 *
 * <p>{@code --zero-copy} sets the listener's zero-copy relay ({@code splice} where both channels are epoll channels;
 * on by default, as in {@link TlsPassthroughOptions}); {@code false} copies bytes through pooled buffers.
 */
public final class PassthroughBenchFixture {
  /** The body of every answer but {@code /bulk}'s. */
  public static final String HELLO = "hello world\n";
  /** The path answered with the bulk body. */
  public static final String BULK_PATH = "/bulk";
  /** The default server name: one that resolves to 127.0.0.1 everywhere, as wrk sends its URL's host as SNI. */
  public static final String DEFAULT_SERVER_NAME = "localhost";
  /** The default size of the bulk body: 1 MiB. */
  public static final int DEFAULT_BULK_BYTES = 1 << 20;

  private static final String USAGE = "PassthroughBenchFixture --role backend|passthrough [--server-name localhost]"
      + " [--host 127.0.0.1] [--port 0] [--event-loops 1] [--transport auto] [--bulk-bytes 1048576]"
      + " [--backend-host 127.0.0.1] [--backend-port PORT] [--zero-copy true]";
  private static final List<String> OPTIONS = List.of("role", "server-name", "host", "port", "event-loops",
      "transport", "bulk-bytes", "backend-host", "backend-port", "zero-copy");
  private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain");
  private static final CharSequence OCTET_STREAM = HttpHeaders.createOptimized("application/octet-stream");

  private PassthroughBenchFixture() {}

  /**
   * A backend's certificate and key, in PEM files.
   *
   * @param certificatePath the certificate's file
   * @param keyPath the private key's file (PKCS#8)
   * @param certificate the certificate
   */
  public record BackendCertificate(String certificatePath, String keyPath, X509Certificate certificate) {
    /**
     * Makes a self-signed ECDSA P-256 certificate for a server name, in temporary files deleted when the JVM exits.
     * ECDSA rather than RSA so that a handshake costs the backend and the client little and the new-connection
     * workload measures more connections (a proxy that passes TLS through does no cryptography either way).
     *
     * @param serverName the certificate's subject and DNS name
     * @return the certificate
     * @throws Exception if it cannot be made
     */
    @SuppressWarnings("deprecation") // Netty 4.2 points to netty-pkitesting, which this project does not ship
    public static BackendCertificate selfSigned(String serverName) throws Exception {
      io.netty.handler.ssl.util.SelfSignedCertificate made =
          new io.netty.handler.ssl.util.SelfSignedCertificate(serverName, "EC", 256);
      made.certificate().deleteOnExit();
      made.privateKey().deleteOnExit();
      return new BackendCertificate(made.certificate().getPath(), made.privateKey().getPath(), made.cert());
    }
  }

  /**
   * Starts the backend: HTTPS/1.1 with the given certificate, one server per event loop on one port.
   *
   * @param vertx the Vert.x instance; it should have at least {@code eventLoops} event loops
   * @param host the address to bind
   * @param port the port, or 0 for a free one
   * @param eventLoops how many event loops serve
   * @param certificate the certificate it presents, whatever the server name asked
   * @param bulkBytes the size of {@code /bulk}'s body
   * @return the port it listens on
   */
  public static Future<Integer> startBackend(Vertx vertx, String host, int port, int eventLoops,
      BackendCertificate certificate, int bulkBytes) {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.certificatePath())
            .setKeyPath(certificate.keyPath()));
    Buffer hello = Buffer.buffer(HELLO);
    Buffer bulk = Buffer.buffer(new byte[bulkBytes]);
    return LoopbackServers.listen(vertx, options, eventLoops, () -> backendHandler(hello, bulk));
  }

  private static Handler<HttpServerRequest> backendHandler(Buffer hello, Buffer bulk) {
    return request -> {
      boolean isBulk = BULK_PATH.equals(request.path());
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, isBulk ? OCTET_STREAM : TEXT_PLAIN)
          .end(isBulk ? bulk : hello);
    };
  }

  /**
   * Starts Gatelink's TLS-passthrough listener with one route, {@code serverName} to the backend, and no default
   * route.
   *
   * @param vertx the Vert.x instance whose event loops and transport it runs on
   * @param host the address to bind
   * @param port the port, or 0 for a free one
   * @param serverName the one server name routed
   * @param backend the backend's address
   * @return the listener, once it listens
   */
  public static Future<TlsPassthroughListener> startPassthrough(Vertx vertx, String host, int port,
      String serverName, Endpoint backend, boolean zeroCopy) {
    return TlsPassthroughListener.start(vertx, TlsPassthroughOptions.builder().host(host).port(port)
        .route(serverName, fixedTarget(backend)).zeroCopy(zeroCopy).build());
  }

  /**
   * {@return a target that always picks one endpoint, reached without TLS of Gatelink's own}
   *
   * @param endpoint the endpoint
   */
  public static Target fixedTarget(Endpoint endpoint) {
    return Target.fixed(endpoint, TlsPolicy.none());
  }

  /**
   * Runs the backend or the passthrough listener until the process is stopped.
   *
   * @param args the options of {@link PassthroughBenchFixture}'s usage
   * @throws Exception if the program cannot start
   */
  public static void main(String[] args) throws Exception {
    CommandLine.run(USAGE, () -> {
      CommandLine options = CommandLine.parse("PassthroughBenchFixture", args, OPTIONS);
      String role = options.required("role");
      String serverName = options.string("server-name", DEFAULT_SERVER_NAME);
      String host = options.string("host", "127.0.0.1");
      int port = options.integer("port", 0, 0, 65535);
      int eventLoops = options.integer("event-loops", 1, 1, 64);
      String transport = options.string("transport", "auto");
      Future<Integer> listening;
      switch (role) {
        case "backend" -> {
          int bulkBytes = options.integer("bulk-bytes", DEFAULT_BULK_BYTES, 1, 1 << 30);
          BackendCertificate certificate = BackendCertificate.selfSigned(serverName);
          Vertx vertx = VertxTransports.vertx("PassthroughBenchFixture", transport, eventLoops);
          listening = startBackend(vertx, host, port, eventLoops, certificate, bulkBytes);
        }
        case "passthrough" -> {
          Endpoint backend = Endpoint.of(options.string("backend-host", "127.0.0.1"),
              options.requiredInteger("backend-port", 1, 65535));
          Vertx vertx = VertxTransports.vertx("PassthroughBenchFixture", transport, eventLoops);
          listening = startPassthrough(vertx, host, port, serverName, backend, options.flag("zero-copy", true))
              .map(TlsPassthroughListener::actualPort);
        }
        default -> throw new IllegalArgumentException("PassthroughBenchFixture: option '--role' is '" + role
            + "'; expected backend or passthrough");
      }
      listening
          .onSuccess(actual -> System.out.println("listening on " + actual))
          .onFailure(failure -> {
            System.err.println("PassthroughBenchFixture: " + role + " cannot listen on " + host + ":" + port + ": "
                + failure);
            System.exit(1);
          });
    });
  }
}
