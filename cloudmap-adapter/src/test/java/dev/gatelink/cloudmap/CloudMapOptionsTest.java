package dev.gatelink.cloudmap;

import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.LoadBalancing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatusFilter;

/** Cloud Map's target options: read from names and values, written back, and refused with whole messages. */
class CloudMapOptionsTest {
  private static final String ROLE = "arn:aws:iam::111111111111:role/cloudmap-reader";

  @Test
  void noOptionIsHealthyRoundRobinWithTheProvidersClientAndTiming() {
    CloudMapOptions options = CloudMapOptions.parse(Map.of());

    assertThat(options.healthStatus()).isEqualTo(HealthStatusFilter.HEALTHY);
    assertThat(options.optionalParameters()).isEmpty();
    assertThat(options.loadBalancing()).isEqualTo(LoadBalancing.ROUND_ROBIN);
    assertThat(options.region()).isNull();
    assertThat(options.roleArn()).isNull();
    assertThat(options.externalId()).isNull();
    assertThat(options.roleSessionName()).isEqualTo("gatelink");
    assertThat(options.reportHealth()).isFalse();
    assertThat(options.pollInterval()).isNull();
    assertThat(options.maxAge()).isNull();
    assertThat(options.maxStaleness()).isNull();
    assertThat(options.asMap()).isEmpty();
    assertThat(options).isEqualTo(CloudMapOptions.builder().build());
  }

  @Test
  void everyOptionIsReadAndWrittenBackTheSame() {
    Map<String, String> written = new LinkedHashMap<>();
    written.put("healthStatus", "HEALTHY_OR_ELSE_ALL");
    written.put("optionalParameters.zone", "eu-west-1a");
    written.put("optionalParameters.tier", "gold plus");
    written.put("loadBalancing", "least_outstanding_requests");
    written.put("region", "eu-central-1");
    written.put("roleArn", ROLE);
    written.put("externalId", "gatelink-prod");
    written.put("roleSessionName", "orders-gateway");
    written.put("reportHealth", "true");
    written.put("pollIntervalMillis", "5000");
    written.put("maxAgeMillis", "60000");
    written.put("maxStalenessMillis", "300000");

    CloudMapOptions options = CloudMapOptions.parse(written);

    assertThat(options.healthStatus()).isEqualTo(HealthStatusFilter.HEALTHY_OR_ELSE_ALL);
    assertThat(options.optionalParameters()).containsExactly(Map.entry("zone", "eu-west-1a"),
        Map.entry("tier", "gold plus"));
    assertThat(options.loadBalancing()).isEqualTo(LoadBalancing.LEAST_OUTSTANDING_REQUESTS);
    assertThat(options.region()).isEqualTo("eu-central-1");
    assertThat(options.roleArn()).isEqualTo(ROLE);
    assertThat(options.externalId()).isEqualTo("gatelink-prod");
    assertThat(options.roleSessionName()).isEqualTo("orders-gateway");
    assertThat(options.reportHealth()).isTrue();
    assertThat(options.pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.maxAge()).isEqualTo(Duration.ofMinutes(1));
    assertThat(options.maxStaleness()).isEqualTo(Duration.ofMinutes(5));
    assertThat(options.asMap()).containsExactlyEntriesOf(written);
  }

  @Test
  void theBuilderWritesTheSameOptionsAsTheNames() {
    CloudMapOptions built = CloudMapOptions.builder()
        .healthStatus(HealthStatusFilter.ALL)
        .optionalParameter("zone", "eu-west-1a")
        .loadBalancing(LoadBalancing.LEAST_OUTSTANDING_REQUESTS)
        .assumeRole(ROLE, null)
        .pollInterval(Duration.ofMillis(250))
        .build();

    assertThat(built.asMap()).containsExactly(
        Map.entry("healthStatus", "ALL"),
        Map.entry("optionalParameters.zone", "eu-west-1a"),
        Map.entry("loadBalancing", "least_outstanding_requests"),
        Map.entry("roleArn", ROLE),
        Map.entry("pollIntervalMillis", "250"));
    assertThat(CloudMapOptions.parse(built.asMap())).isEqualTo(built);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "healthStatus|UNHEALTHY|healthStatus 'UNHEALTHY' would send requests only to unhealthy instances: expected "
          + "HEALTHY, HEALTHY_OR_ELSE_ALL or ALL",
      "healthStatus|healthy|healthStatus 'healthy' is not a health filter: expected HEALTHY, HEALTHY_OR_ELSE_ALL or ALL",
      "loadBalancing|least_connections|loadBalancing 'least_connections' is not a load balancing algorithm: expected "
          + "round_robin, least_outstanding_requests or weighted_random",
      "region|EU-WEST-1|region 'EU-WEST-1' is not a region name: expected one such as eu-west-1",
      "roleArn|arn:aws:iam::1111:role/x|roleArn 'arn:aws:iam::1111:role/x' is not a role ARN: expected "
          + "arn:aws:iam::ACCOUNT:role/NAME",
      "reportHealth|yes|reportHealth 'yes' is not valid: expected true or false",
      "pollIntervalMillis|0|pollIntervalMillis '0' is not valid: expected a whole number of milliseconds from 1 to "
          + "999999999",
      "maxAgeMillis|1.5|maxAgeMillis '1.5' is not valid: expected a whole number of milliseconds from 1 to 999999999",
      "optionalParameters.zone|' a'|optionalParameters.zone ' a' is not an attribute value: expected at most 1024 "
          + "printable ASCII characters, spaces and tabs inside only",
      "healthFilter|ALL|unknown target option 'healthFilter': expected healthStatus, optionalParameters.NAME, "
          + "loadBalancing, region, roleArn, externalId, roleSessionName, reportHealth, pollIntervalMillis, "
          + "maxAgeMillis or maxStalenessMillis",
  })
  void anOptionThatIsNotValidIsRefusedByName(String name, String value, String message) {
    assertThatThrownBy(() -> CloudMapOptions.parse(Map.of(name, value)))
        .isInstanceOfSatisfying(TargetOptionException.class, e -> assertThat(e.option()).isEqualTo(name))
        .hasMessage(message);
  }

  @Test
  void anExternalIdOrSessionNameNeedsARole() {
    assertThatThrownBy(() -> CloudMapOptions.parse(Map.of("externalId", "gatelink-prod")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("externalId is given without roleArn: expected the role it is for");
    assertThatThrownBy(() -> CloudMapOptions.builder().roleSessionName("orders-gateway").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("roleSessionName is given without roleArn: expected the role it is for");
  }

  @Test
  void anOptionalParameterIsGivenOnce() {
    assertThatThrownBy(() -> CloudMapOptions.builder().optionalParameter("zone", "a").optionalParameter("zone", "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optionalParameters.zone is given twice: expected each optional parameter once");
  }
}
