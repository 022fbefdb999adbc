package dev.gatelink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceSummary;

/** The extension in use: one moto per class, given to the tests, answering the AWS SDK's Cloud Map calls. */
@ExtendWith(MotoServerExtension.class)
class MotoServerExtensionTest {
  private static MotoServer started;
  private static ServiceDiscoveryClient cloudMap;

  @BeforeAll
  static void client(MotoServer moto) {
    started = moto;
    cloudMap = ServiceDiscoveryClient.builder()
        .endpointOverride(moto.endpoint())
        .region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  @AfterAll
  static void close() {
    cloudMap.close();
  }

  @BeforeEach
  void reset(MotoServer moto) throws Exception {
    moto.reset();
  }

  @Test
  void theSameServerIsGivenToEveryTestOfTheClass(MotoServer moto) {
    assertThat(moto).isSameAs(started);
    assertThat(moto.endpoint().getHost()).isIn("127.0.0.1", "localhost");
  }

  @Test
  void cloudMapCallsAreAnswered() {
    cloudMap.createHttpNamespace(request -> request.name("orders.internal").description("tests"));

    List<String> names = cloudMap.listNamespaces(request -> { }).namespaces().stream()
        .map(NamespaceSummary::name).toList();

    assertThat(names).containsExactly("orders.internal");
  }

  @Test
  void resetForgetsWhatWasCreated(MotoServer moto) throws Exception {
    cloudMap.createHttpNamespace(request -> request.name("gone.internal"));

    moto.reset();

    assertThat(cloudMap.listNamespaces(request -> { }).namespaces()).isEmpty();
  }
}
