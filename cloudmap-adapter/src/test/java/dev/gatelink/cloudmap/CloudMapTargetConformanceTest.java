package dev.gatelink.cloudmap;

import dev.gatelink.aws.AwsOptions;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import dev.gatelink.testing.targets.TargetConformance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.Service;

/**
 * Cloud Map service targets pass the conformance suite: each integration is a service of its own in moto, whose
 * instances are the backends (127.0.0.1 and their ports), named by its ARN.
 */
@ExtendWith(MotoServerExtension.class)
class CloudMapTargetConformanceTest extends TargetConformance {
  private MotoServer moto;
  private ServiceDiscoveryClient cloudMap;
  private String namespaceId;
  private int services;

  @BeforeEach
  void namespace(MotoServer server) throws Exception {
    server.reset();
    moto = server;
    cloudMap = MotoCloudMap.client(server);
    cloudMap.createHttpNamespace(r -> r.name("conformance.internal"));
    namespaceId = cloudMap.listNamespaces(r -> { }).namespaces().get(0).id();
  }

  @AfterEach
  void closeClient() {
    cloudMap.close();
  }

  @Override
  protected TargetProvider provider() {
    return CloudMapTargetProvider.builder()
        .aws(AwsOptions.builder().endpoint(moto.endpoint()).region(MotoCloudMap.REGION.id())
            .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build())
        .refresh(RefreshSettings.builder().refreshInterval(Duration.ofMillis(100)).build())
        .build();
  }

  /** DiscoverInstances answers at most 1,000 instances. */
  @Override
  protected int maxBackends() {
    return 1_000;
  }

  @Override
  protected Integration integration(List<LoopbackBackend> backends) {
    Service service = newService();
    for (LoopbackBackend backend : backends) {
      register(service.id(), backend.name(), backend.host(), backend.port());
    }
    return integration(service.arn());
  }

  @Override
  protected Integration refusingIntegration() throws Exception {
    Service service = newService();
    register(service.id(), "refusing", "127.0.0.1", closedPort());
    return integration(service.arn());
  }

  private Service newService() {
    String name = "api-" + ++services;
    return cloudMap.createService(r -> r.name(name).namespaceId(namespaceId)).service();
  }

  private void register(String serviceId, String instanceId, String host, int port) {
    cloudMap.registerInstance(r -> r.serviceId(serviceId).instanceId(instanceId).attributes(Map.of(
        "AWS_INSTANCE_IPV4", host, "AWS_INSTANCE_PORT", Integer.toString(port))));
  }

  private static Integration integration(String serviceArn) {
    return Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1").uri(serviceArn)
        .build();
  }
}
