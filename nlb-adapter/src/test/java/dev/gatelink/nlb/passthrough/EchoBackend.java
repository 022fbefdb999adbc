package dev.gatelink.nlb.passthrough;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * A plain TCP backend on 127.0.0.1 for many connections at once: on each it sends {@code NAME\n}, then echoes what
 * it gets (the ClientHello first) with back-pressure, and closes when the client's side ends. TLS is the client's
 * and the backend's business; the listener only routes by the hello and relays bytes, which this shows exactly.
 */
final class EchoBackend implements AutoCloseable {
  final String name;
  private final NetServer server;

  private EchoBackend(String name, NetServer server) {
    this.name = name;
    this.server = server;
  }

  static EchoBackend start(Vertx vertx, String name) throws Exception {
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    server.connectHandler(socket -> {
      socket.write(name + "\n");
      socket.pipeTo(socket);
    });
    server.listen().await(10, TimeUnit.SECONDS);
    return new EchoBackend(name, server);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
