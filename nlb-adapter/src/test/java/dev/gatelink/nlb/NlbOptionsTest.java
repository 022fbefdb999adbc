package dev.gatelink.nlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetOptions;
import dev.gatelink.target.WrittenTargetOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link NlbOptions}: typed, copied, written as a file writes them, and every refusal's whole message. */
class NlbOptionsTest {
  private static final String ROLE = "arn:aws:iam::111111111111:role/elb-reader";

  /** Names and values, alternately, as a map in that order. */
  private static Map<String, String> inOrder(String... namesAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void typedOptionsAreWrittenAsAFileWritesThemAndCopied() {
    NlbOptions options = NlbOptions.builder().region("us-east-1").assumeRole(ROLE, "gatelink").roleSessionName("gw")
        .loadBalancing(LoadBalancing.LEAST_OUTSTANDING_REQUESTS).inProcessTargets(true)
        .trustedCertificate(Path.of("/etc/ca/a.pem")).trustedCertificate(Path.of("/etc/ca/b.pem"))
        .refreshInterval(Duration.ofSeconds(5)).build();

    Map<String, String> written = inOrder("region", "us-east-1", "roleArn", ROLE, "externalId", "gatelink",
        "roleSessionName", "gw", "loadBalancing", "least_outstanding_requests", "inProcessTargets", "true",
        "trustedCertificates", "/etc/ca/a.pem,/etc/ca/b.pem", "refreshIntervalMillis", "5000");
    assertThat(options.asMap()).containsExactlyEntriesOf(written);
    assertThat(NlbOptions.of(WrittenTargetOptions.of(written))).isEqualTo(options);
    assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
    assertThat(options.toBuilder().inProcessTargets(false).build().asMap()).doesNotContainKey("inProcessTargets");
    assertThat(options.inProcessTargets()).isTrue();
    assertThat(options.roleArn()).isEqualTo(ROLE);
    assertThat(options.externalId()).isEqualTo("gatelink");
    assertThat(options.roleSessionName()).isEqualTo("gw");
    assertThat(options.refreshInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options).hasToString(written.toString());
  }

  @Test
  void noOptionsAreTheDefaults() {
    NlbOptions options = NlbOptions.of(TargetOptions.none());

    assertThat(options).isEqualTo(NlbOptions.builder().build());
    assertThat(options.asMap()).isEmpty();
    assertThat(options.region()).isNull();
    assertThat(options.roleArn()).isNull();
    assertThat(options.loadBalancing()).isEqualTo(LoadBalancing.ROUND_ROBIN);
    assertThat(options.inProcessTargets()).isFalse();
    assertThat(options.trustedCertificates()).isEmpty();
    assertThat(options.refreshInterval()).isNull();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      inProcessTargets      | yes          | inProcessTargets 'yes' is not valid: expected true or false
      inProcessRules        | true         | unknown target option 'inProcessRules': expected region, roleArn, externalId, roleSessionName, loadBalancing, inProcessTargets, trustedCertificates or refreshIntervalMillis
      loadBalancing         | random       | loadBalancing 'random' is not a load balancing algorithm: expected round_robin, least_outstanding_requests or weighted_random
      refreshIntervalMillis | 0            | refreshIntervalMillis '0' is not valid: expected a whole number of milliseconds from 1 to 999999999
      refreshIntervalMillis | 1.5          | refreshIntervalMillis '1.5' is not valid: expected a whole number of milliseconds from 1 to 999999999
      trustedCertificates   | a.pem,,b.pem | trustedCertificates 'a.pem,,b.pem' has an empty path: expected PEM file paths separated by commas
      externalId            | gatelink     | externalId is given without roleArn: expected the role it is for
      roleSessionName       | gw           | roleSessionName is given without roleArn: expected the role it is for
      """)
  void aWrittenOptionThatIsNotValidIsRefusedByName(String name, String value, String message) {
    assertThatThrownBy(() -> NlbOptions.of(WrittenTargetOptions.of(Map.of(name, value))))
        .isInstanceOf(TargetOptionException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((TargetOptionException) e).option()).isEqualTo(name));
  }

  @Test
  void aRegionOrRoleThatIsNotOneIsRefusedByName() {
    assertThatThrownBy(() -> NlbOptions.of(WrittenTargetOptions.of(Map.of("region", "Mars"))))
        .isInstanceOf(TargetOptionException.class)
        .hasMessage("region 'Mars' is not a region name: expected one such as eu-west-1");
    assertThatThrownBy(() -> NlbOptions.of(WrittenTargetOptions.of(Map.of("roleArn", "elb-reader"))))
        .isInstanceOf(TargetOptionException.class)
        .hasMessage("roleArn 'elb-reader' is not a role ARN: expected arn:aws:iam::ACCOUNT:role/NAME");
  }

  @Test
  void aRegionThatIsNotTheListenersIsRefusedWhenTheGatewayStarts() throws Exception {
    String arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/orders/50dc6c495c0c9188/"
        + "0467ef3c8400ae65";
    ApiDefinition api = ApiDefinition.builder().route("ANY /{proxy+}", Integration.builder()
        .connectionType(ConnectionType.VPC_LINK).connectionId("vpclink-1").uri(arn)
        .targetOptions(WrittenTargetOptions.of(Map.of("region", "eu-west-1"))).build()).build();
    Vertx vertx = Vertx.vertx();
    try {
      assertThatThrownBy(() -> Gateway.builder(vertx, api).start().await(20, TimeUnit.SECONDS))
          .hasMessage("stage '$default', route 'ANY /{proxy+}': target provider nlb refused integration uri '" + arn
              + "' with target options {region=eu-west-1}: region 'eu-west-1' is not the region of the listener "
              + "ARN, 'us-east-1': expected no region option, or 'us-east-1'");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Another provider's typed options. */
  private record CloudMapLike() implements TargetOptions {
    @Override
    public Map<String, String> asMap() {
      return Map.of("healthStatus", "ALL");
    }
  }

  @Test
  void anotherProvidersTypedOptionsAreNotReadAsAnNlbIntegrations() {
    assertThatThrownBy(() -> NlbOptions.of(new CloudMapLike()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target options CloudMapLike[] (CloudMapLike) are not a listener integration's: expected "
            + "NlbOptions");
  }

  @Test
  void aRefreshIntervalOutOfRangeIsRefusedInCode() {
    assertThatThrownBy(() -> NlbOptions.builder().refreshInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refreshIntervalMillis 0 is out of range: expected 1 to 999999999 milliseconds");
  }
}
