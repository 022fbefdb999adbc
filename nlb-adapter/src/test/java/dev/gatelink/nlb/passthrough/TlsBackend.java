package dev.gatelink.nlb.passthrough;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

/**
 * A TLS backend on 127.0.0.1 with a certificate of its own made for the test: on each connection it sends
 * {@code NAME HOST:PORT\n} (the client address it sees, the one of a PROXY header when it reads them), then echoes
 * what it gets, with back-pressure, and closes when the client's side ends.
 */
final class TlsBackend implements AutoCloseable {
  final String name;
  final SelfSignedCertificate certificate;
  final X509Certificate x509;
  private final NetServer server;

  private TlsBackend(String name, SelfSignedCertificate certificate, X509Certificate x509, NetServer server) {
    this.name = name;
    this.certificate = certificate;
    this.x509 = x509;
    this.server = server;
  }

  static TlsBackend start(Vertx vertx, String name, String serverName, boolean proxyProtocol) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create(serverName);
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)
        .setSsl(true).setKeyCertOptions(certificate.keyCertOptions()).setUseProxyProtocol(proxyProtocol));
    server.connectHandler(socket -> {
      socket.write(name + " " + socket.remoteAddress().host() + ":" + socket.remoteAddress().port() + "\n");
      socket.pipeTo(socket);
    });
    server.listen().await(10, TimeUnit.SECONDS);
    X509Certificate x509;
    try (InputStream in = Files.newInputStream(Path.of(certificate.certificatePath()))) {
      x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    return new TlsBackend(name, certificate, x509, server);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    certificate.delete();
  }
}
