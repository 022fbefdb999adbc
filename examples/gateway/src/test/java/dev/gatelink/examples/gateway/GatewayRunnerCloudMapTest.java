package dev.gatelink.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;

/**
 * The runner with an OpenAPI file whose integrations are Cloud Map services, discovered in moto through
 * {@code --aws-endpoint}: a service ARN with {@code x-gatelink-target} options, and the shorthand with a query
 * parameter.
 */
@ExtendWith({MotoServerExtension.class, RunnerAwsCredentials.class})
class GatewayRunnerCloudMapTest {
  private Vertx vertx;
  private LoopbackBackend blue;
  private LoopbackBackend green;
  private ServiceDiscoveryClient cloudMap;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start(MotoServer moto) throws Exception {
    moto.reset();
    vertx = Vertx.vertx();
    blue = LoopbackBackend.start(vertx, "blue");
    green = LoopbackBackend.start(vertx, "green");
    cloudMap = ServiceDiscoveryClient.builder().endpointOverride(moto.endpoint()).region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    cloudMap.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String integration(String uri) {
    return "      x-amazon-apigateway-integration:\n"
        + "        type: http_proxy\n"
        + "        connectionType: VPC_LINK\n"
        + "        connectionId: vl-1234ab\n"
        + "        uri: " + uri + "\n"
        + "        payloadFormatVersion: \"1.0\"\n";
  }

  private String get(GatewayRunner runner, String path) throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(runner.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  @Test
  void serviceArnsWithOptionsAndTheShorthandAreDiscoveredThroughTheAwsEndpoint(MotoServer moto, @TempDir Path dir)
      throws Exception {
    cloudMap.createHttpNamespace(r -> r.name("shop.internal"));
    String namespaceId = cloudMap.listNamespaces(r -> { }).namespaces().get(0).id();
    var service = cloudMap.createService(r -> r.name("orders").namespaceId(namespaceId)).service();
    for (LoopbackBackend backend : List.of(blue, green)) {
      cloudMap.registerInstance(r -> r.serviceId(service.id()).instanceId(backend.name()).attributes(Map.of(
          "AWS_INSTANCE_IPV4", "127.0.0.1", "AWS_INSTANCE_PORT", Integer.toString(backend.port()),
          "deployment", backend.name())));
    }
    cloudMap.updateInstanceCustomHealthStatus(r -> r.serviceId(service.id()).instanceId("blue")
        .status(CustomHealthStatus.UNHEALTHY));
    Path api = Files.writeString(dir.resolve("api.yaml"), "openapi: 3.0.1\n"
        + "info: {title: shop, version: \"1\"}\n"
        + "paths:\n"
        + "  /all/{proxy+}:\n"
        + "    x-amazon-apigateway-any-method:\n"
        + integration(service.arn())
        + "      x-gatelink-target:\n"
        + "        healthStatus: ALL\n"
        + "        optionalParameters:\n"
        + "          deployment: blue\n"
        + "  /green/{proxy+}:\n"
        + "    x-amazon-apigateway-any-method:\n"
        + integration("cloudmap://shop.internal/orders?deployment=green"));
    GatewayRunner runner = GatewayRunner.start(RunnerOptions.parse(List.of("--api", api.toString(), "--port", "0",
        "--aws-endpoint", moto.endpoint().toString(), "--aws-region", "eu-west-1"), Map.of()), System.err);
    try {
      // ALL keeps the unhealthy blue instance, and the optional parameter prefers it.
      assertThat(get(runner, "/all/orders/1")).isEqualTo("200 blue GET /all/orders/1");
      assertThat(get(runner, "/green/orders/2")).isEqualTo("200 green GET /green/orders/2");
    } finally {
      assertThat(runner.stop()).isTrue();
    }
  }
}
