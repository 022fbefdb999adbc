package dev.gatelink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Stage}: names, stage variables (spec sections 1.2 and 6.2), equality and immutability. */
class StageModelTest {
  private static final String NAME_RULE = "' is not valid: expected $default or 1 to 128 letters, digits, hyphens"
      + " and underscores";

  private static Map<String, String> variables(int count) {
    Map<String, String> variables = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      variables.put("v" + i, "value" + i);
    }
    return variables;
  }

  // Names

  @Test
  void defaultStageIsServedAtTheRoot() {
    Stage stage = Stage.of("$default");

    assertThat(stage.name()).isEqualTo("$default");
    assertThat(stage.isDefault()).isTrue();
    assertThat(stage.variables()).isEmpty();
  }

  @Test
  void defaultNameConstantIsDollarDefault() {
    assertThat(Stage.DEFAULT_NAME).isEqualTo("$default");
    assertThat(Stage.MAX_VARIABLES).isEqualTo(100);
  }

  @Test
  void namedStageIsNotTheDefault() {
    Stage stage = Stage.of("prod");

    assertThat(stage.name()).isEqualTo("prod");
    assertThat(stage.isDefault()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"prod", "Prod-2", "blue_green", "-", "_", "0", "v1-beta_2"})
  void nameOfLettersDigitsHyphensAndUnderscoresIsAccepted(String name) {
    assertThat(Stage.of(name).name()).isEqualTo(name);
  }

  @Test
  void nameOf128CharactersIsAccepted() {
    String name = "s".repeat(128);

    assertThat(Stage.of(name).name()).isEqualTo(name);
  }

  @Test
  void nameOf129CharactersIsRefused() {
    String name = "s".repeat(129);

    assertThatThrownBy(() -> Stage.of(name))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage name '" + name + NAME_RULE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad name", "", "$Default", "$DEFAULT", "default$", "$prod", "prod.v1", "prod/v1", "é"})
  void nameWithOtherCharactersIsRefused(String name) {
    assertThatThrownBy(() -> Stage.of(name))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage name '" + name + NAME_RULE);
  }

  @Test
  void nameWithASpaceIsRefusedWithTheWholeMessage() {
    assertThatThrownBy(() -> Stage.of("bad name"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage name 'bad name' is not valid: expected $default or 1 to 128 letters, digits, hyphens"
            + " and underscores");
  }

  @Test
  void nameIsCheckedWithVariablesToo() {
    assertThatThrownBy(() -> Stage.of("bad name", Map.of("host", "a.example.com")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage name 'bad name" + NAME_RULE);
  }

  // Variables

  @Test
  void variablesAreKeptInTheirOrder() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("zeta", "1");
    given.put("alpha", "2");
    given.put("mid_3", "3");

    assertThat(Stage.of("prod", given).variables())
        .containsExactly(Map.entry("zeta", "1"), Map.entry("alpha", "2"), Map.entry("mid_3", "3"));
  }

  @Test
  void valueWithEveryAllowedCharacterIsAccepted() {
    String value = "AZaz09-._~:/?#&=,";

    assertThat(Stage.of("prod", Map.of("all", value)).variables()).containsExactly(Map.entry("all", value));
  }

  @Test
  void urlAsAValueIsAccepted() {
    assertThat(Stage.of("prod", Map.of("url", "https://orders.example.com:8443/v1?x=1&y=2#top")).variables())
        .containsExactly(Map.entry("url", "https://orders.example.com:8443/v1?x=1&y=2#top"));
  }

  @Test
  void valueWithASpaceIsRefused() {
    assertThatThrownBy(() -> Stage.of("prod", Map.of("host", "a b")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage 'prod': stage variable host value 'a b' is not valid:"
            + " expected one or more of A-Z a-z 0-9 - . _ ~ : / ? # & = ,");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a;b", "a%20b", "a+b", "${x}", "a@b", "é"})
  void valueWithOtherCharactersIsRefused(String value) {
    assertThatThrownBy(() -> Stage.of("prod", Map.of("host", value)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage 'prod': stage variable host value '" + value + "' is not valid:"
            + " expected one or more of A-Z a-z 0-9 - . _ ~ : / ? # & = ,");
  }

  @ParameterizedTest
  @ValueSource(strings = {"my-var", "my.var", "", "a b", "$x"})
  void variableNameWithOtherThanLettersDigitsAndUnderscoresIsRefused(String name) {
    assertThatThrownBy(() -> Stage.of("prod", Map.of(name, "v")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage 'prod': stage variable name '" + name
            + "' is not valid: expected letters, digits and underscores");
  }

  @Test
  void variableNameOfLettersDigitsAndUnderscoresIsAccepted() {
    assertThat(Stage.of("prod", Map.of("Orders_Host_2", "v")).variables())
        .containsExactly(Map.entry("Orders_Host_2", "v"));
  }

  @Test
  void hundredVariablesAreAccepted() {
    assertThat(Stage.of("prod", variables(100)).variables()).hasSize(100).containsEntry("v99", "value99");
  }

  @Test
  void hundredAndOneVariablesAreRefused() {
    assertThatThrownBy(() -> Stage.of("prod", variables(101)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage 'prod' has 101 stage variables: expected at most 100");
  }

  @Test
  void defaultStageMayHaveVariables() {
    assertThat(Stage.of("$default", Map.of("host", "a.example.com")).variables())
        .containsExactly(Map.entry("host", "a.example.com"));
  }

  // Immutability, equality

  @Test
  void variablesCannotBeChanged() {
    Stage stage = Stage.of("prod", Map.of("host", "a.example.com"));

    assertThatThrownBy(() -> stage.variables().put("other", "x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void changingTheGivenMapAfterwardsDoesNotChangeTheStage() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("host", "a.example.com");
    Stage stage = Stage.of("prod", given);

    given.put("host", "b.example.com");

    assertThat(stage.variables()).containsExactly(Map.entry("host", "a.example.com"));
  }

  @Test
  void stagesWithTheSameNameAndVariablesAreEqual() {
    assertThat(Stage.of("prod", Map.of("host", "a")))
        .isEqualTo(Stage.of("prod", Map.of("host", "a")))
        .hasSameHashCodeAs(Stage.of("prod", Map.of("host", "a")));
  }

  @Test
  void stageWithoutVariablesEqualsTheOneMadeWithAnEmptyMap() {
    assertThat(Stage.of("prod")).isEqualTo(Stage.of("prod", Map.of()));
  }

  @Test
  void stagesWithDifferentVariablesAreNotEqual() {
    assertThat(Stage.of("prod", Map.of("host", "a"))).isNotEqualTo(Stage.of("prod", Map.of("host", "b")));
  }

  @Test
  void stagesWithDifferentNamesAreNotEqual() {
    assertThat(Stage.of("prod")).isNotEqualTo(Stage.of("beta"));
  }

  @Test
  void toStringIsTheNameAlone() {
    assertThat(Stage.of("prod")).hasToString("prod");
  }

  @Test
  void toStringShowsTheVariables() {
    assertThat(Stage.of("prod", Map.of("host", "a.example.com"))).hasToString("prod {host=a.example.com}");
  }
}
