package dev.gatelink.testing;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A backend on 127.0.0.1 (a free port) that answers with its own identity: body {@code NAME METHOD URI},
 * header {@code x-backend: NAME}. It records each request it saw (method, request target, headers, body
 * length, HTTP version) and counts the connections it accepted and saw closed, so that a test can assert
 * exactly what reached which backend. {@link #startTls} serves HTTPS with a certificate made for the test.
 *
 * <p>Close it (or the Vert.x instance it runs on) after the test.
 */
public final class LoopbackBackend implements AutoCloseable {
  /**
   * A request as the backend saw it.
   *
   * @param method the method, such as {@code GET}
   * @param uri the request target, path and query as sent
   * @param headers a copy of the request's headers
   * @param bodyBytes the length of the body received
   * @param version the HTTP version, such as {@code HTTP_1_1}
   */
  public record Seen(String method, String uri, MultiMap headers, long bodyBytes, String version) {}

  private final String name;
  private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger closedConnections = new AtomicInteger();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final @Nullable SelfSignedCertificate certificate;
  private @Nullable HttpServer server;
  private String host = "127.0.0.1";

  private LoopbackBackend(String name, @Nullable SelfSignedCertificate certificate) {
    this.name = name;
    this.certificate = certificate;
  }

  /**
   * Starts a plain HTTP backend that answers with its identity.
   *
   * @param vertx the Vert.x instance to run on
   * @param name the name it answers with
   * @return the backend, listening
   * @throws Exception if it cannot listen within 10 s
   */
  public static LoopbackBackend start(Vertx vertx, String name) throws Exception {
    return start(vertx, name, new HttpServerOptions(), null);
  }

  /**
   * Starts a backend with server options of the test's choosing (host and port are always 127.0.0.1 and a
   * free port); {@code custom}, when given, handles each request instead of the identity answer, and records
   * what it wants to itself.
   *
   * @param vertx the Vert.x instance to run on
   * @param name the name it answers with
   * @param options the server's options (TLS, HTTP/2, limits)
   * @param custom the request handler to use instead of the identity answer, or null
   * @return the backend, listening
   * @throws Exception if it cannot listen within 10 s
   */
  public static LoopbackBackend start(Vertx vertx, String name, HttpServerOptions options,
      @Nullable Handler<HttpServerRequest> custom) throws Exception {
    return new LoopbackBackend(name, null).listen(vertx, options, custom);
  }

  /**
   * Starts an HTTPS backend that answers with its identity, with a self-signed certificate made now for
   * {@code serverName}; a client trusts it through {@link #certificate()}.
   *
   * @param vertx the Vert.x instance to run on
   * @param name the name it answers with
   * @param serverName the DNS name the certificate is for
   * @return the backend, listening
   * @throws Exception if it cannot listen within 10 s
   */
  public static LoopbackBackend startTls(Vertx vertx, String name, String serverName) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create(serverName);
    return new LoopbackBackend(name, certificate).listen(vertx,
        new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()), null);
  }

  /**
   * Starts a backend that answers with its identity on a loopback address and port of the test's choosing, such
   * as one of a load balancer's node addresses (127.0.0.2, 127.0.0.3, ...), all on the listener's port; over
   * TLS when a certificate is given (nodes of one load balancer share theirs).
   *
   * @param vertx the Vert.x instance to run on
   * @param name the name it answers with
   * @param host a loopback address, such as {@code 127.0.0.2}
   * @param port the port, or 0 for a free one
   * @param certificate the certificate to serve, or null for plain HTTP
   * @return the backend, listening
   * @throws Exception if it cannot listen within 10 s
   */
  public static LoopbackBackend startAt(Vertx vertx, String name, String host, int port,
      @Nullable SelfSignedCertificate certificate) throws Exception {
    HttpServerOptions options = certificate == null ? new HttpServerOptions()
        : new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
    return new LoopbackBackend(name, certificate).listen(vertx, options.setHost(host).setPort(port), null);
  }

  private LoopbackBackend listen(Vertx vertx, HttpServerOptions options, @Nullable Handler<HttpServerRequest> custom)
      throws Exception {
    HttpServerOptions placed = new HttpServerOptions(options);
    if (options.getHost() == null || options.getHost().equals(HttpServerOptions.DEFAULT_HOST)) {
      placed.setHost("127.0.0.1").setPort(0);
    }
    this.host = placed.getHost();
    HttpServer created = vertx.createHttpServer(placed);
    created.connectionHandler(connection -> {
      connections.incrementAndGet();
      connection.closeHandler(v -> closedConnections.incrementAndGet());
    });
    created.requestHandler(custom != null ? custom : this::answer);
    server = created.listen().await(10, TimeUnit.SECONDS);
    return this;
  }

  private void answer(HttpServerRequest request) {
    long[] bytes = new long[1];
    request.handler(data -> bytes[0] += data.length());
    request.exceptionHandler(failures::add);
    request.endHandler(v -> {
      seen.add(new Seen(request.method().name(), request.uri(), HttpHeaders.headers().addAll(request.headers()),
          bytes[0], request.version().name()));
      request.response()
          .putHeader("x-backend", name)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
          .end(name + " " + request.method().name() + " " + request.uri());
    });
  }

  /** {@return the name the backend answers with} */
  public String name() {
    return name;
  }

  /** {@return the address it listens on: 127.0.0.1 unless started with {@link #startAt}} */
  public String host() {
    return host;
  }

  /** {@return the port it listens on, on its {@link #host()}} */
  public int port() {
    return server().actualPort();
  }

  /** {@return its base URL, {@code http://127.0.0.1:PORT} or {@code https://...} for a TLS backend} */
  public String url() {
    return (certificate != null ? "https" : "http") + "://" + host + ":" + port();
  }

  /** {@return the requests it answered with its identity, oldest first; a test may take them} */
  public BlockingQueue<Seen> seen() {
    return seen;
  }

  /**
   * Takes the oldest request it answered, waiting up to 10 s for one.
   *
   * @return the request
   * @throws InterruptedException if interrupted while waiting
   * @throws AssertionError if no request came within 10 s
   */
  public Seen next() throws InterruptedException {
    Seen request = seen.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("backend " + name + " saw no request within 10 s");
    }
    return request;
  }

  /** {@return the connections it accepted so far} */
  public int connections() {
    return connections.get();
  }

  /** {@return the connections it saw closed so far} */
  public int closedConnections() {
    return closedConnections.get();
  }

  /** {@return the errors its requests reported while it read their bodies (a client gone, a reset)} */
  public List<Throwable> failures() {
    return failures;
  }

  /** {@return the certificate a TLS backend serves, for a client's trust options; null for plain HTTP} */
  public @Nullable SelfSignedCertificate certificate() {
    return certificate;
  }

  private HttpServer server() {
    if (server == null) {
      throw new IllegalStateException("backend " + name + " is not listening");
    }
    return server;
  }

  /** Stops listening, and deletes a TLS backend's certificate files. */
  @Override
  public void close() throws Exception {
    server().close().await(10, TimeUnit.SECONDS);
    if (certificate != null) {
      certificate.delete();
    }
  }
}
