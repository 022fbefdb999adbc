package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.target.TlsPolicy;
import dev.gatelink.target.TrustMaterial;
import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target's own TLS policy: the request's {@code Host} as SNI and verification name, and trust material of the
 * target's own (PEM, JKS, PKCS#12) instead of the gateway's, which trusts nothing here but the JVM's CAs.
 */
class GatewayTargetTlsPolicyTest {
  private Vertx vertx;
  private LoopbackBackend backend;
  private HttpClientAgent client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    backend = LoopbackBackend.startTls(vertx, "secure", "orders.internal");
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    backend.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A provider of one target: the backend, with the given TLS policy. */
  private TargetProvider provider(TlsPolicy tls) {
    return new TargetProvider() {
      @Override
      public String name() {
        return "fixed-tls";
      }

      @Override
      public String accepts() {
        return "tls://backend";
      }

      @Override
      public @Nullable Target create(TargetSpec spec, TargetContext context) {
        if (!spec.uri().equals("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/tls/1/2")) {
          return null;
        }
        return Target.fixed(Endpoint.of("127.0.0.1", backend.port()), tls);
      }
    };
  }

  private GatewayServer gateway(TlsPolicy tls) throws Exception {
    return GatewayServer.start(vertx, ApiDefinition.builder().route("ANY /{proxy+}", Integration.builder()
        .connectionType(ConnectionType.VPC_LINK).connectionId("vl-1")
        .uri("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/tls/1/2").build()).build(),
        builder -> builder.targetProvider(provider(tls)));
  }

  /** A request sent to the gateway with the given Host: status and body. */
  private String send(GatewayServer gateway, String host) throws Exception {
    int port = gateway.server.actualPort();
    HttpClientResponse response = client.request(new RequestOptions()
            .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1")).setHost(host).setPort(port)
            .setURI("/orders/1"))
        .compose(request -> request.send()
            .compose(answer -> answer.body().map(body -> {
              answer.headers().set("x-body", body.toString());
              return answer;
            })))
        .await(10, TimeUnit.SECONDS);
    return response.statusCode() + " " + response.headers().get("x-body");
  }

  private Path store(Path dir, String type) throws Exception {
    Certificate certificate;
    try (InputStream pem = Files.newInputStream(Path.of(backend.certificate().certificatePath()))) {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(pem);
    }
    KeyStore store = KeyStore.getInstance(type);
    store.load(null, null);
    store.setCertificateEntry("orders", certificate);
    Path file = dir.resolve("trust." + type.toLowerCase());
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, "changeit".toCharArray());
    }
    return file;
  }

  @Test
  void theRequestsHostIsTheNameVerifiedAndSentAsSni() throws Exception {
    TrustMaterial pem = TrustMaterial.pem(List.of(Path.of(backend.certificate().certificatePath())));
    try (GatewayServer gateway = gateway(TlsPolicy.verifyRequestHost().withTrust(pem))) {
      assertThat(send(gateway, "orders.internal")).isEqualTo("200 secure GET /orders/1");
      assertThat(send(gateway, "billing.internal")).isEqualTo("500 {\"message\":\"Internal Server Error\"}");
    }
  }

  @Test
  void aJksStoreOfTheTargetsOwnIsTrusted(@TempDir Path dir) throws Exception {
    TrustMaterial jks = TrustMaterial.jks(store(dir, "JKS"), "changeit");
    try (GatewayServer gateway = gateway(TlsPolicy.verify("orders.internal").withTrust(jks))) {
      assertThat(send(gateway, "anything.example")).isEqualTo("200 secure GET /orders/1");
    }
  }

  @Test
  void aPkcs12StoreOfTheTargetsOwnIsTrusted(@TempDir Path dir) throws Exception {
    TrustMaterial pkcs12 = TrustMaterial.pkcs12(store(dir, "PKCS12"), "changeit");
    try (GatewayServer gateway = gateway(TlsPolicy.verify("orders.internal").withTrust(pkcs12))) {
      assertThat(send(gateway, "anything.example")).isEqualTo("200 secure GET /orders/1");
    }
  }

  @Test
  void withoutTrustOfItsOwnTheGatewaysTrustAppliesAndRefusesTheSelfSignedCertificate() throws Exception {
    try (GatewayServer gateway = gateway(TlsPolicy.verify("orders.internal"))) {
      assertThat(send(gateway, "anything.example")).isEqualTo("500 {\"message\":\"Internal Server Error\"}");
    }
  }
}
