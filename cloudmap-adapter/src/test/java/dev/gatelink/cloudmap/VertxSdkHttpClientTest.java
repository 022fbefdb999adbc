package dev.gatelink.cloudmap;

import dev.gatelink.aws.VertxSdkHttpClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceSummary;

/** Cloud Map's asynchronous SDK client over VertxSdkHttpClient, against moto on loopback. */
@ExtendWith(MotoServerExtension.class)
class VertxSdkHttpClientTest {
  private static Vertx vertx;
  private static ServiceDiscoveryAsyncClient cloudMap;

  @BeforeAll
  static void start(MotoServer moto) {
    vertx = Vertx.vertx();
    cloudMap = MotoCloudMap.asyncClient(moto, vertx)
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    cloudMap.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset(MotoServer moto) throws Exception {
    moto.reset();
  }

  @Test
  void requestsWithBodiesAndTheirAnswersGoThrough() {
    cloudMap.createHttpNamespace(r -> r.name("orders.internal")).join();

    List<String> names = cloudMap.listNamespaces(r -> { }).join().namespaces().stream()
        .map(NamespaceSummary::name).toList();

    assertThat(names).containsExactly("orders.internal");
  }

  @Test
  void discoverInstancesReturnsTheRegisteredInstanceWithItsAttributes() {
    String namespaceId = cloudMap.createHttpNamespace(r -> r.name("orders.internal")).thenCompose(created ->
        cloudMap.listNamespaces(r -> { })).join().namespaces().get(0).id();
    String serviceId = cloudMap.createService(r -> r.name("api").namespaceId(namespaceId)).join().service().id();
    cloudMap.registerInstance(r -> r.serviceId(serviceId).instanceId("i-1").attributes(Map.of(
        "AWS_INSTANCE_IPV4", "127.0.0.1", "AWS_INSTANCE_PORT", "8080", "deployment", "blue"))).join();

    List<HttpInstanceSummary> instances = cloudMap.discoverInstances(r -> r.namespaceName("orders.internal")
        .serviceName("api").queryParameters(Map.of("deployment", "blue"))).join().instances();

    assertThat(instances).hasSize(1);
    assertThat(instances.get(0).instanceId()).isEqualTo("i-1");
    assertThat(instances.get(0).attributes()).isEqualTo(Map.of(
        "AWS_INSTANCE_IPV4", "127.0.0.1", "AWS_INSTANCE_PORT", "8080", "deployment", "blue"));
  }

  @Test
  void anErrorAnswerBecomesTheSdksException() {
    assertThatThrownBy(() -> cloudMap.getNamespace(r -> r.id("ns-missing")).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(NamespaceNotFoundException.class);
  }
}
