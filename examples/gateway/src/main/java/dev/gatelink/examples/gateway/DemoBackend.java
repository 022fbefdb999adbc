package dev.gatelink.examples.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A backend on loopback that answers every request with JSON naming itself and echoing what it got: method,
 * path, query, Host header and body size, so that whoever calls it through the gateway sees which backend
 * served and what the gateway sent.
 */
final class DemoBackend {
  private final String name;
  private final HttpServer server;

  private DemoBackend(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  /**
   * Starts a backend on {@code 127.0.0.1} and a free port.
   *
   * @param vertx the Vert.x instance to run on
   * @param name the name it answers with
   * @return a future of the backend, once it listens
   */
  static Future<DemoBackend> start(Vertx vertx, String name) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.requestHandler(request -> answer(name, request));
    return server.listen().map(listening -> new DemoBackend(name, listening));
  }

  private static void answer(String name, HttpServerRequest request) {
    request.body().onComplete(body -> {
      JsonObject echo = new JsonObject()
          .put("service", name)
          .put("method", request.method().name())
          .put("path", request.path())
          .put("query", request.query() == null ? "" : request.query())
          .put("host", request.getHeader(HttpHeaders.HOST))
          .put("requestId", request.getHeader("x-request-id"))
          .put("bodyBytes", body.succeeded() ? body.result().length() : 0);
      request.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(echo.encode() + "\n");
    });
  }

  /** {@return the name it answers with} */
  String name() {
    return name;
  }

  /** {@return its base URL, {@code http://127.0.0.1:PORT}} */
  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** {@return a future completed once it has stopped listening} */
  Future<Void> close() {
    return server.close();
  }
}
