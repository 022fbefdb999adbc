package dev.gatelink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CorsConfiguration} (spec section 1.8): the range of maxAge, credentials with '*', copies of the lists. */
class CorsConfigurationModelTest {

  private static CorsConfiguration withMaxAge(@Nullable Integer maxAge) {
    return new CorsConfiguration(List.of("https://www.example.com"), false, List.of(), maxAge, List.of("GET"),
        List.of("Authorization"));
  }

  @Test
  void fieldsAreKeptAsGiven() {
    CorsConfiguration cors = new CorsConfiguration(List.of("https://www.example.com", "https://*"), true,
        List.of("Date", "x-api-id"), 300, List.of("GET", "POST", "DELETE"), List.of("Authorization", "*"));

    assertThat(cors.allowOrigins()).containsExactly("https://www.example.com", "https://*");
    assertThat(cors.allowCredentials()).isTrue();
    assertThat(cors.exposeHeaders()).containsExactly("Date", "x-api-id");
    assertThat(cors.maxAge()).isEqualTo(300);
    assertThat(cors.allowMethods()).containsExactly("GET", "POST", "DELETE");
    assertThat(cors.allowHeaders()).containsExactly("Authorization", "*");
  }

  @Test
  void maxAgeMinus2IsRefused() {
    assertThatThrownBy(() -> withMaxAge(-2))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("maxAge -2 is out of range: expected -1 to 86400");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 600, 86_400})
  void maxAgeFromMinus1To86400IsAccepted(int maxAge) {
    assertThat(withMaxAge(maxAge).maxAge()).isEqualTo(maxAge);
  }

  @Test
  void maxAge86401IsRefused() {
    assertThatThrownBy(() -> withMaxAge(86_401))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("maxAge 86401 is out of range: expected -1 to 86400");
  }

  @Test
  void maxAgeMayBeUnset() {
    assertThat(withMaxAge(null).maxAge()).isNull();
  }

  @Test
  void credentialsWithEveryOriginAreRefused() {
    assertThatThrownBy(() -> new CorsConfiguration(List.of("*"), true, List.of(), null, List.of(), List.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("allowCredentials is true and allowOrigins has '*':"
            + " allow-credentials is not supported if 'allow-origin' is *");
  }

  @Test
  void credentialsWithStarAmongOtherOriginsAreRefused() {
    assertThatThrownBy(() -> new CorsConfiguration(List.of("https://www.example.com", "*"), true, List.of(), null,
            List.of(), List.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("allowCredentials is true and allowOrigins has '*':"
            + " allow-credentials is not supported if 'allow-origin' is *");
  }

  @Test
  void everyOriginWithoutCredentialsIsAccepted() {
    assertThat(new CorsConfiguration(List.of("*"), false, List.of(), null, List.of(), List.of()).allowOrigins())
        .containsExactly("*");
  }

  @Test
  void credentialsWithListedOriginsAreAccepted() {
    CorsConfiguration cors =
        new CorsConfiguration(List.of("https://www.example.com"), true, List.of(), null, List.of(), List.of());

    assertThat(cors.allowCredentials()).isTrue();
  }

  @Test
  void listsAreCopiedSoLaterChangesDoNotReachTheConfiguration() {
    List<String> origins = new ArrayList<>(List.of("https://www.example.com"));
    CorsConfiguration cors = new CorsConfiguration(origins, false, List.of(), null, List.of(), List.of());

    origins.add("*");

    assertThat(cors.allowOrigins()).containsExactly("https://www.example.com");
  }

  @Test
  void listsCannotBeChanged() {
    CorsConfiguration cors = withMaxAge(null);

    assertThatThrownBy(() -> cors.allowMethods().add("PUT")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void configurationsWithTheSameFieldsAreEqual() {
    assertThat(withMaxAge(600)).isEqualTo(withMaxAge(600)).hasSameHashCodeAs(withMaxAge(600));
  }
}
