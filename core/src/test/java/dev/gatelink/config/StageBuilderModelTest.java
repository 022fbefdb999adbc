package dev.gatelink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Stage.Builder}: the same checks as {@link Stage#of}, access log settings, toBuilder and equality. */
class StageBuilderModelTest {

  @Test
  void builderWithoutVariablesEqualsOf() {
    Stage stage = Stage.builder("prod").build();

    assertThat(stage).isEqualTo(Stage.of("prod")).hasSameHashCodeAs(Stage.of("prod"));
    assertThat(stage.variables()).isEmpty();
    assertThat(stage.accessLogSettings()).isEmpty();
  }

  @Test
  void stageMadeWithOfHasNoAccessLogSettings() {
    assertThat(Stage.of("prod", Map.of("host", "a")).accessLogSettings()).isEmpty();
  }

  @Test
  void variablesAddedOneByOneKeepTheirOrder() {
    Stage stage = Stage.builder("prod").variable("zeta", "1").variable("alpha", "2").variable("mid_3", "3").build();

    assertThat(stage.variables())
        .containsExactly(Map.entry("zeta", "1"), Map.entry("alpha", "2"), Map.entry("mid_3", "3"));
  }

  @Test
  void variableGivenTwiceKeepsItsPlaceAndTakesTheLastValue() {
    Stage stage = Stage.builder("prod").variable("a", "1").variable("b", "2").variable("a", "3").build();

    assertThat(stage.variables()).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
  }

  @Test
  void variablesReplacesEveryVariableGivenBefore() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("y", "2");
    given.put("x", "1");

    Stage stage = Stage.builder("prod").variable("old", "0").variables(given).build();

    assertThat(stage.variables()).containsExactly(Map.entry("y", "2"), Map.entry("x", "1"));
  }

  @Test
  void builderEqualsOfWithTheSameVariables() {
    assertThat(Stage.builder("prod").variables(Map.of("host", "a")).build())
        .isEqualTo(Stage.of("prod", Map.of("host", "a")))
        .hasSameHashCodeAs(Stage.of("prod", Map.of("host", "a")));
  }

  @Test
  void accessLogSettingsAreKept() {
    Stage stage = Stage.builder("prod").accessLogSettings(AccessLogSettings.json()).build();

    assertThat(stage.accessLogSettings()).contains(AccessLogSettings.json());
  }

  @Test
  void nullAccessLogSettingsMeanNone() {
    Stage stage = Stage.builder("prod").accessLogSettings(AccessLogSettings.clf()).accessLogSettings(null).build();

    assertThat(stage.accessLogSettings()).isEmpty();
  }

  @Test
  void stagesWithDifferentAccessLogSettingsAreNotEqual() {
    Stage json = Stage.builder("prod").accessLogSettings(AccessLogSettings.json()).build();
    Stage clf = Stage.builder("prod").accessLogSettings(AccessLogSettings.clf()).build();

    assertThat(json).isNotEqualTo(clf).isNotEqualTo(Stage.of("prod"));
    assertThat(Stage.of("prod")).isNotEqualTo(json);
  }

  @Test
  void stagesWithEqualAccessLogSettingsAreEqual() {
    Stage one = Stage.builder("prod").accessLogSettings(AccessLogSettings.json()).build();
    Stage two = Stage.builder("prod").accessLogSettings(AccessLogSettings.of(AccessLogSettings.JSON_FORMAT)).build();

    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
  }

  @Test
  void toBuilderKeepsNameVariablesAndAccessLogSettings() {
    Stage stage = Stage.builder("prod").variable("host", "a").accessLogSettings(AccessLogSettings.csv()).build();

    assertThat(stage.toBuilder().build()).isEqualTo(stage);
  }

  @Test
  void toBuilderChangesLeaveTheOriginalAlone() {
    Stage stage = Stage.builder("prod").variable("host", "a").build();

    Stage changed = stage.toBuilder().variable("port", "8080").accessLogSettings(AccessLogSettings.clf()).build();

    assertThat(changed.variables()).containsExactly(Map.entry("host", "a"), Map.entry("port", "8080"));
    assertThat(changed.accessLogSettings()).contains(AccessLogSettings.clf());
    assertThat(stage.variables()).containsExactly(Map.entry("host", "a"));
    assertThat(stage.accessLogSettings()).isEmpty();
  }

  @Test
  void buildingTwiceGivesEqualStagesAndLaterChangesDoNotReachTheFirst() {
    Stage.Builder builder = Stage.builder("prod").variable("host", "a");
    Stage first = builder.build();

    builder.variable("host", "b");

    assertThat(first.variables()).containsExactly(Map.entry("host", "a"));
    assertThat(builder.build().variables()).containsExactly(Map.entry("host", "b"));
  }

  @Test
  void badNameIsRefusedByBuild() {
    Stage.Builder builder = Stage.builder("bad name");

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage name 'bad name' is not valid: expected $default or 1 to 128 letters, digits, hyphens"
            + " and underscores");
  }

  @Test
  void badVariableNameIsRefusedByBuild() {
    Stage.Builder builder = Stage.builder("prod").variable("my-var", "v");

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage 'prod': stage variable name 'my-var' is not valid: expected letters, digits and underscores");
  }

  @Test
  void badVariableValueIsRefusedByBuild() {
    Stage.Builder builder = Stage.builder("prod").variable("host", "a b");

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage 'prod': stage variable host value 'a b' is not valid:"
            + " expected one or more of A-Z a-z 0-9 - . _ ~ : / ? # & = ,");
  }

  @Test
  void hundredAndOneVariablesAreRefusedByBuild() {
    Stage.Builder builder = Stage.builder("prod");
    for (int i = 0; i < 101; i++) {
      builder.variable("v" + i, "value" + i);
    }

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("stage 'prod' has 101 stage variables: expected at most 100");
  }

  @Test
  void variablesOfABuiltStageCannotBeChanged() {
    Stage stage = Stage.builder("prod").variable("host", "a").build();

    assertThatThrownBy(() -> stage.variables().put("other", "x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nullNameIsRefusedAtOnce() {
    assertThatThrownBy(() -> Stage.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
  }

  @Test
  void nullVariableValueIsRefusedAtOnce() {
    assertThatThrownBy(() -> Stage.builder("prod").variable("host", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value");
  }

  @Test
  void toStringShowsTheAccessLogSettings() {
    Stage stage = Stage.builder("prod").variable("host", "a").accessLogSettings(AccessLogSettings.csv()).build();

    assertThat(stage).hasToString("prod {host=a} AccessLogSettings[" + AccessLogSettings.CSV_FORMAT + "]");
  }
}
