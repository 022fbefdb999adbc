package dev.gatelink.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import dev.gatelink.config.ApiDefinition;

/** A gateway on a real HTTP server on loopback, behind its front door, and a JDK HTTP client to call it. */
final class GatewayServer implements AutoCloseable {
  final Gateway gateway;
  final HttpServer server;
  final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private GatewayServer(Gateway gateway, HttpServer server) {
    this.gateway = gateway;
    this.server = server;
  }

  static GatewayServer start(Vertx vertx, ApiDefinition api) throws Exception {
    return start(vertx, api, UnaryOperator.identity());
  }

  static GatewayServer start(Vertx vertx, ApiDefinition api, UnaryOperator<Gateway.Builder> options)
      throws Exception {
    Gateway gateway = options.apply(Gateway.builder(vertx, api)).start().await(10, TimeUnit.SECONDS);
    HttpServer server = gateway.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0));
    server.listen().await(10, TimeUnit.SECONDS);
    return new GatewayServer(gateway, server);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    gateway.close().await(10, TimeUnit.SECONDS);
  }
}
