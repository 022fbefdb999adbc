package dev.gatelink.gateway;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on loopback that answers with its own identity: body {@code NAME METHOD URI}, header
 * {@code x-backend: NAME}, and records each request it saw (method, request target, headers, body length)
 * and each connection it accepted, so a test can assert exactly what reached which backend.
 */
final class IdentityBackend implements AutoCloseable {
  /** A request as the backend saw it. */
  record Seen(String method, String uri, MultiMap headers, long bodyBytes, String version) {}

  final String name;
  final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger closedConnections = new AtomicInteger();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private IdentityBackend(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  static IdentityBackend start(Vertx vertx, String name) throws Exception {
    return start(vertx, name, new HttpServerOptions(), null);
  }

  /**
   * Starts a backend; {@code custom}, when given, handles requests instead of the identity answer (after
   * the request is recorded by the custom handler itself).
   */
  static IdentityBackend start(Vertx vertx, String name, HttpServerOptions options,
      Handler<HttpServerRequest> custom) throws Exception {
    IdentityBackend[] self = new IdentityBackend[1];
    HttpServer server = vertx.createHttpServer(new HttpServerOptions(options).setHost("127.0.0.1").setPort(0));
    server.connectionHandler(connection -> {
      self[0].connections.incrementAndGet();
      connection.closeHandler(v -> self[0].closedConnections.incrementAndGet());
    });
    server.requestHandler(request -> {
      if (custom != null) {
        custom.handle(request);
        return;
      }
      long[] bytes = new long[1];
      request.handler(data -> bytes[0] += data.length());
      request.exceptionHandler(self[0].failures::add);
      request.endHandler(v -> {
        self[0].seen.add(new Seen(request.method().name(), request.uri(), HttpHeaders.headers().addAll(request.headers()),
            bytes[0], request.version().name()));
        request.response()
            .putHeader("x-backend", name)
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
            .end(name + " " + request.method().name() + " " + request.uri());
      });
    });
    self[0] = new IdentityBackend(name, server);
    server.listen().await(10, TimeUnit.SECONDS);
    return self[0];
  }

  int port() {
    return server.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  Seen next() throws InterruptedException {
    Seen request = seen.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("backend " + name + " saw no request within 10 s");
    }
    return request;
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
