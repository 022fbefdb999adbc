package dev.gatelink.cloudmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import dev.gatelink.config.InvalidConfigException;

/** Cloud Map integration uris: the two forms claimed, their parts, their filters, and every error whole. */
class CloudMapServiceUriTest {
  private static final String ARN_FORM = "expected arn:aws:servicediscovery:REGION:ACCOUNT:service/srv-ID[?key=value&...]";
  private static final String SHORTHAND_FORM = "expected cloudmap://NAMESPACE/SERVICE[?key=value&...]";

  @Test
  void serviceArnWithTheQueryOfApiGatewaysDocumentation() {
    CloudMapServiceUri uri = CloudMapServiceUri.parse(
        "arn:aws:servicediscovery:us-east-2:123456789012:service/srv-id?stage=prod&deployment=green_deployment");

    assertThat(uri).isEqualTo(new CloudMapServiceUri("aws", "us-east-2", "123456789012", "srv-id", null, null,
        Map.of("stage", "prod", "deployment", "green_deployment")));
    assertThat(uri.queryParameters().keySet()).containsExactly("stage", "deployment");
  }

  @Test
  void serviceArnWithoutQueryHasNoFilters() {
    CloudMapServiceUri uri =
        CloudMapServiceUri.parse("arn:aws-cn:servicediscovery:cn-north-1:111122223333:service/srv-0f1e2d3c4b5a6978");

    assertThat(uri).isEqualTo(new CloudMapServiceUri("aws-cn", "cn-north-1", "111122223333",
        "srv-0f1e2d3c4b5a6978", null, null, Map.of()));
  }

  @Test
  void shorthandNamesTheNamespaceAndService() {
    CloudMapServiceUri uri = CloudMapServiceUri.parse("cloudmap://orders.internal/api.v1?deployment=blue");

    assertThat(uri).isEqualTo(new CloudMapServiceUri(null, null, null, null, "orders.internal", "api.v1",
        Map.of("deployment", "blue")));
  }

  @Test
  void queryValuesArePercentDecodedAndPlusStaysPlus() {
    CloudMapServiceUri uri = CloudMapServiceUri.parse("cloudmap://ns/svc?team=a%20b&ver=1+2&k%3Dx=%21y");

    assertThat(uri.queryParameters()).containsExactly(
        Map.entry("team", "a b"), Map.entry("ver", "1+2"), Map.entry("k=x", "!y"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abc",
      "ARN:AWS:SERVICEDISCOVERY:x",
      "arn:aws:servicediscovery",
      "cloudmap://ns/svc",
      "CloudMap://ns"})
  void bothFormsAreClaimedEvenWhenInvalid(String uri) {
    assertThat(CloudMapServiceUri.claims(uri)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/50dc6c495c0c9188/0467ef3c8400ae65",
      "http://orders.internal", "cloudmap:/ns/svc", "arn:aws:s3:::bucket", "servicediscovery"})
  void otherUrisAreNotClaimed(String uri) {
    assertThat(CloudMapServiceUri.claims(uri)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      arn:aws:servicediscovery:us-east-1:123456789012                            | expected 6 parts separated by ':' | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a:x            | expected 6 parts separated by ':' | A
      arn:AWS:servicediscovery:us-east-1:123456789012:service/srv-a              | partition 'AWS' is not valid | A
      arn:aws:servicediscovery:useast1:123456789012:service/srv-a                | region 'useast1' is not valid | A
      arn:aws:servicediscovery:us-east-1:1234:service/srv-a                      | account '1234' is not 12 digits | A
      arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-a             | resource 'namespace/ns-a' is not a service (service/srv-ID) | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/orders             | service id 'orders' is not valid: expected srv- and lower-case letters and digits | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-A1             | service id 'srv-A1' is not valid: expected srv- and lower-case letters and digits | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?             | the query after '?' is empty | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?stage        | query parameter 'stage' has no '=': expected key=value | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?a=1&&b=2     | query parameter '' has no '=': expected key=value | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?=1           | query parameter key '' is not valid: expected 1 to 255 printable ASCII characters without spaces | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?a%20b=1      | query parameter key 'a b' is not valid: expected 1 to 255 printable ASCII characters without spaces | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?a=%20x       | query parameter a value ' x' is not valid: expected up to 1,024 printable ASCII characters, spaces and tabs only inside | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?a=%C3%A9     | query parameter a value '\u00e9' is not valid: expected up to 1,024 printable ASCII characters, spaces and tabs only inside | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?a=1&a=2      | query parameter a is given twice: expected each key once | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?a=%2         | '%2' has a malformed percent escape | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?a=%zz        | '%zz' has a malformed percent escape | A
      arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a?a=%C3        | '%C3' does not decode to UTF-8 | A
      cloudmap://orders.internal                                                 | expected exactly one '/' between the namespace and the service | S
      cloudmap://orders.internal/api/v1                                          | expected exactly one '/' between the namespace and the service | S
      cloudmap:///api                                                            | namespace '' is not valid: expected 1 to 1,024 printable ASCII characters without spaces, '/', '?', '#' or '%' | S
      cloudmap://ns/                                                             | service '' is not valid: expected DNS labels of letters, digits, '-' and '_', at most 127 characters | S
      cloudmap://ns/-api                                                         | service '-api' is not valid: expected DNS labels of letters, digits, '-' and '_', at most 127 characters | S
      cloudmap://ns/api..v1                                                      | service 'api..v1' is not valid: expected DNS labels of letters, digits, '-' and '_', at most 127 characters | S
      cloudmap://ns/svc?a                                                        | query parameter 'a' has no '=': expected key=value | S
      """)
  void invalidUriFailsNamingItWhatIsWrongAndTheFormExpected(String uri, String problem, String form) {
    String expected = problem.replace("\\u00e9", "\u00e9");
    assertThatThrownBy(() -> CloudMapServiceUri.parse(uri))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("uri '" + uri + "': " + expected + ": " + (form.equals("A") ? ARN_FORM : SHORTHAND_FORM));
  }

  @Test
  void aValueOver1024CharactersIsRefused() {
    String value = "v".repeat(1025);
    String uri = "cloudmap://ns/svc?a=" + value;

    assertThatThrownBy(() -> CloudMapServiceUri.parse(uri))
        .hasMessage("uri '" + uri + "': query parameter a value '" + value + "' is not valid: expected up to 1,024"
            + " printable ASCII characters, spaces and tabs only inside: " + SHORTHAND_FORM);
  }

  @Test
  void theFiltersCannotBeChanged() {
    CloudMapServiceUri uri = CloudMapServiceUri.parse("cloudmap://ns/svc?a=1");

    assertThatThrownBy(() -> uri.queryParameters().put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
  }
}
