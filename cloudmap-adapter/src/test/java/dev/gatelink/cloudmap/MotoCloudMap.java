package dev.gatelink.cloudmap;

import dev.gatelink.aws.VertxSdkHttpClient;
import dev.gatelink.testing.MotoServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;

/** Cloud Map clients for the tests, pointed at moto: test credentials, eu-west-1, no host prefix. */
final class MotoCloudMap {
  static final Region REGION = Region.EU_WEST_1;

  private MotoCloudMap() {}

  /** {@return a blocking client over the JDK's URL connection, to arrange the tests' services and instances} */
  static ServiceDiscoveryClient client(MotoServer moto) {
    return ServiceDiscoveryClient.builder()
        .endpointOverride(moto.endpoint())
        .region(REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  /** {@return an asynchronous client on {@link VertxSdkHttpClient}, to add to (interceptors) and build} */
  static ServiceDiscoveryAsyncClientBuilder asyncClient(MotoServer moto, Vertx vertx) {
    return ServiceDiscoveryAsyncClient.builder()
        .endpointOverride(moto.endpoint())
        .region(REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(new VertxSdkHttpClient(vertx, new HttpClientOptions()));
  }
}
