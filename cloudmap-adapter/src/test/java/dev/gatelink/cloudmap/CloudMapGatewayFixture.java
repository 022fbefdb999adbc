package dev.gatelink.cloudmap;

import dev.gatelink.target.RefreshSettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.gateway.Gateway;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/**
 * A gateway in front of one Cloud Map service of one loopback instance, in moto, whose Cloud Map client (the
 * caller's own, {@link CloudMapTargetProvider#withClient}) counts its calls with an SDK interceptor. Each
 * subclass gets a moto of its own.
 */
@ExtendWith(MotoServerExtension.class)
abstract class CloudMapGatewayFixture {
  /** Cloud Map calls that failed (after the SDK's retries). */
  final AtomicInteger failedCalls = new AtomicInteger();
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private Vertx vertx;
  private ServiceDiscoveryAsyncClient cloudMap;
  private HttpServer backend;
  private Gateway gateway;
  private HttpServer front;
  private HttpClient clients;

  @BeforeEach
  void start(MotoServer moto) throws Exception {
    moto.reset();
    vertx = Vertx.vertx();
    cloudMap = MotoCloudMap.asyncClient(moto, vertx)
        .overrideConfiguration(c -> c
            .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true)
            .addExecutionInterceptor(new ExecutionInterceptor() {
              @Override
              public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    name -> new AtomicInteger()).incrementAndGet();
              }

              @Override
              public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                failedCalls.incrementAndGet();
              }
            }))
        .build();
    backend = vertx.createHttpServer().requestHandler(request -> request.response().end("api " + request.path()))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    cloudMap.createHttpNamespace(r -> r.name("orders.internal")).join();
    String namespaceId = cloudMap.listNamespaces(r -> { }).join().namespaces().get(0).id();
    String serviceId = cloudMap.createService(r -> r.name("api").namespaceId(namespaceId)).join().service().id();
    cloudMap.registerInstance(r -> r.serviceId(serviceId).instanceId("i-1").attributes(Map.of(
        "AWS_INSTANCE_IPV4", "127.0.0.1", "AWS_INSTANCE_PORT", Integer.toString(backend.actualPort())))).join();
    String arn = "arn:aws:servicediscovery:eu-west-1:123456789012:service/" + serviceId;
    calls.clear();
    ApiDefinition api = ApiDefinition.builder()
        .route("ANY /{proxy+}", Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1")
            .uri(arn).build())
        .build();
    gateway = Gateway.builder(vertx, api)
        .targetProvider(CloudMapTargetProvider.builder().client(cloudMap)
            .refresh(RefreshSettings.builder().refreshInterval(Duration.ofMillis(200)).build()).build())
        .start().await(10, TimeUnit.SECONDS);
    front = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)).requestHandler(gateway)
        .listen().await(10, TimeUnit.SECONDS);
    clients = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    front.close().await(10, TimeUnit.SECONDS);
    gateway.close().await(10, TimeUnit.SECONDS);
    cloudMap.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  int count(String operation) {
    AtomicInteger count = calls.get(operation);
    return count == null ? 0 : count.get();
  }

  /** Sends the requests all at once (the JDK's HTTP client); returns each status and body. */
  List<String> send(int requests) throws Exception {
    List<CompletableFuture<String>> answers = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      URI uri = URI.create("http://127.0.0.1:" + front.actualPort() + "/orders/" + i);
      answers.add(clients.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
          .thenApply(response -> response.statusCode() + " " + response.body()));
    }
    List<String> results = new ArrayList<>();
    for (CompletableFuture<String> answer : answers) {
      results.add(answer.get(30, TimeUnit.SECONDS));
    }
    return results;
  }
}
