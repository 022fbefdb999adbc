package dev.gatelink.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.benchmarks.load.PassthroughBenchFixture.BackendCertificate;
import dev.gatelink.target.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The passthrough benchmark's fixture over real sockets: the listener routes the server name to the TLS backend,
 * whose own certificate the client sees, and refuses a ClientHello with another name or none.
 */
class PassthroughBenchFixtureTest {
  private static final String SERVER_NAME = "bench.example.com";
  private static final int BULK_BYTES = 300_000;

  private Vertx vertx;
  private BackendCertificate certificate;
  private int passthroughPort;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    certificate = BackendCertificate.selfSigned(SERVER_NAME);
    int backend = PassthroughBenchFixture.startBackend(vertx, "127.0.0.1", 0, 1, certificate, BULK_BYTES)
        .await(10, TimeUnit.SECONDS);
    passthroughPort = PassthroughBenchFixture.startPassthrough(vertx, "127.0.0.1", 0, SERVER_NAME,
            Endpoint.of("127.0.0.1", backend), true)
        .await(10, TimeUnit.SECONDS).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void routesTheServerNameToTheBackendWhoseCertificateTheClientSees() throws Exception {
    try (SSLSocket socket = connect(SERVER_NAME)) {
      socket.startHandshake();
      Certificate[] seen = socket.getSession().getPeerCertificates();
      assertThat(seen[0]).isEqualTo(certificate.certificate());
      String answer = get(socket, "/");
      assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n" + PassthroughBenchFixture.HELLO);
    }
  }

  @Test
  void servesTheBulkBodyThroughTheListener() throws Exception {
    try (SSLSocket socket = connect(SERVER_NAME)) {
      String answer = get(socket, PassthroughBenchFixture.BULK_PATH);
      assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("content-length: " + BULK_BYTES + "\r\n");
      assertThat(answer.length() - answer.indexOf("\r\n\r\n") - 4).isEqualTo(BULK_BYTES);
    }
  }

  @Test
  void refusesAnotherServerNameAndNone() throws Exception {
    for (String name : new String[] {"unknown.example.com", null}) {
      try (SSLSocket socket = connect(name)) {
        assertThatThrownBy(socket::startHandshake).as("server name %s", name).isInstanceOf(IOException.class);
      }
    }
  }

  /** A TLS socket to the listener that trusts only the backend's certificate, sending {@code serverName} or none. */
  private SSLSocket connect(@Nullable String serverName) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("backend", certificate.certificate());
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
    socket.connect(new InetSocketAddress("127.0.0.1", passthroughPort), 10_000);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    socket.setSSLParameters(parameters);
    return socket;
  }

  /** Sends one request that closes the connection and reads the whole answer. */
  private static String get(SSLSocket socket, String path) throws IOException {
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nhost: " + SERVER_NAME
        + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    in.transferTo(answer);
    return answer.toString(StandardCharsets.ISO_8859_1);
  }
}
