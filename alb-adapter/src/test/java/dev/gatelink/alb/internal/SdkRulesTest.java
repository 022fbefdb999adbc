package dev.gatelink.alb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AuthenticateOidcActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.QueryStringKeyValuePair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleTransform;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/** Rules as the ELBv2 API's {@code DescribeRules} gives them. */
class SdkRulesTest {
  private static final String LISTENER_RULE = "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener-rule/app/lb/1/2/";
  private static final String TG_A = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/a/1";
  private static final String TG_B = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/b/2";

  private static final Rule DEFAULT = Rule.builder().ruleArn(LISTENER_RULE + "default").priority("default")
      .isDefault(true).conditions(List.of())
      .actions(Action.builder().type(ActionTypeEnum.FIXED_RESPONSE).order(1)
          .fixedResponseConfig(c -> c.statusCode("404").contentType("text/plain").messageBody("not here")).build())
      .build();

  private static Action forward(String targetGroupArn) {
    return Action.builder().type(ActionTypeEnum.FORWARD).order(1).targetGroupArn(targetGroupArn)
        .forwardConfig(f -> f.targetGroups(TargetGroupTuple.builder().targetGroupArn(targetGroupArn).weight(1).build())
            .targetGroupStickinessConfig(s -> s.enabled(false)))
        .build();
  }

  private static Rule rule(String id, String priority, Action action, RuleCondition... conditions) {
    return Rule.builder().ruleArn(LISTENER_RULE + id).priority(priority).isDefault(false).conditions(conditions)
        .actions(action).build();
  }

  @Test
  void readsConfigsAndLegacyValues() {
    List<Rule> rules = List.of(DEFAULT,
        rule("legacy", "5", forward(TG_A),
            RuleCondition.builder().field("path-pattern").values("/legacy/*").build(),
            RuleCondition.builder().field("host-header").values("*.example.com").build()),
        rule("config", "10", forward(TG_B),
            // DescribeRules gives both Values and the config for path-pattern and host-header.
            RuleCondition.builder().field("path-pattern").values("/api/*")
                .pathPatternConfig(c -> c.values("/api/*", "/v2/*")).build(),
            RuleCondition.builder().field("http-header")
                .httpHeaderConfig(c -> c.httpHeaderName("User-Agent").values("*Chrome*")).build(),
            RuleCondition.builder().field("http-request-method").httpRequestMethodConfig(c -> c.values("GET")).build(),
            RuleCondition.builder().field("query-string").queryStringConfig(c -> c.values(
                QueryStringKeyValuePair.builder().key("version").value("v1").build())).build()),
        rule("ip", "20", Action.builder().type(ActionTypeEnum.REDIRECT).order(1)
                .redirectConfig(r -> r.protocol("HTTPS").port("443").host("#{host}").path("/#{path}").query("#{query}")
                    .statusCode(RedirectActionStatusCodeEnum.HTTP_301)).build(),
            RuleCondition.builder().field("source-ip").sourceIpConfig(c -> c.values("192.0.2.0/24")).build()));
    CompiledRules compiled = CompiledRules.compileSdk(rules);
    assertThat(compiled.rules()).extracting(ListenerRule::arn).containsExactly(LISTENER_RULE + "legacy",
        LISTENER_RULE + "config", LISTENER_RULE + "ip", LISTENER_RULE + "default");
    assertThat(compiled.rules().get(1).conditions()).containsExactly(
        new dev.gatelink.alb.internal.RuleCondition.PathPattern(List.of("/api/*", "/v2/*")),
        new dev.gatelink.alb.internal.RuleCondition.HttpHeader("User-Agent", List.of("*Chrome*")),
        new dev.gatelink.alb.internal.RuleCondition.HttpRequestMethod(List.of("GET")),
        new dev.gatelink.alb.internal.RuleCondition.QueryString(
            List.of(dev.gatelink.alb.internal.RuleCondition.KeyValue.of("version", "v1"))));

    assertThat(((Forward) compiled.evaluate(TestRequest.get("/legacy/x").host("a.example.com"))).pick(0))
        .isEqualTo(TG_A);
    assertThat(((Forward) compiled.evaluate(TestRequest.get("/v2/x?version=V1").header("user-agent", "Chrome")))
        .targetGroups()).containsExactly(new WeightedTargetGroup(TG_B, 1));
    Redirect redirect = (Redirect) compiled.evaluate(TestRequest.get("/p?q").from("192.0.2.9").host("example.com"));
    assertThat(redirect.location(TestRequest.get("/p?q").host("example.com"))).isEqualTo("https://example.com/p?q");
    assertThat(compiled.evaluate(TestRequest.get("/nothing").from("203.0.113.1"))).isEqualTo(new FixedResponse(404, "text/plain",
        "not here"));
  }

  @Test
  void readsWeightedForwardAndStickiness() {
    Action weighted = Action.builder().type(ActionTypeEnum.FORWARD).order(1)
        .forwardConfig(f -> f.targetGroups(TargetGroupTuple.builder().targetGroupArn(TG_A).weight(3).build(),
                TargetGroupTuple.builder().targetGroupArn(TG_B).build())
            .targetGroupStickinessConfig(s -> s.enabled(true).durationSeconds(300)))
        .build();
    CompiledRules compiled = CompiledRules.compileSdk(List.of(Rule.builder().ruleArn(LISTENER_RULE + "default")
        .priority("default").isDefault(true).actions(weighted).build()));
    Forward forward = (Forward) compiled.evaluate(TestRequest.get("/"));
    assertThat(forward.targetGroups()).containsExactly(new WeightedTargetGroup(TG_A, 3), new WeightedTargetGroup(TG_B, 1));
    assertThat(forward.stickiness()).isEqualTo(new TargetGroupStickiness(true, 300));
  }

  @Test
  void refusesWhatGatelinkDoesNotEvaluate() {
    String label = "rule '" + LISTENER_RULE + "x'";
    Action oidc = Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1)
        .authenticateOidcConfig(AuthenticateOidcActionConfig.builder().issuer("https://idp").build()).build();
    Action forward = forward(TG_A).toBuilder().order(2).build();
    assertThatThrownBy(() -> CompiledRules.compileSdk(List.of(DEFAULT, Rule.builder().ruleArn(LISTENER_RULE + "x")
        .priority("1").conditions(RuleCondition.builder().field("path-pattern").values("/a").build())
        .actions(forward, oidc).build())))
        .hasMessage(label + ": action type 'authenticate-oidc' is not supported; Gatelink evaluates forward,"
            + " redirect and fixed-response actions only");
    assertThatThrownBy(() -> CompiledRules.compileSdk(List.of(DEFAULT, rule("x", "1", forward(TG_A),
        RuleCondition.builder().field("path-pattern").pathPatternConfig(c -> c.regexValues("^/a$")).build()))))
        .hasMessage(label + ": path-pattern condition uses RegexValues; Gatelink matches Values (with wildcards)"
            + " only, not regular expressions");
    assertThatThrownBy(() -> CompiledRules.compileSdk(List.of(DEFAULT, rule("x", "1", forward(TG_A),
        RuleCondition.builder().field("path-pattern").values("/a").build()).toBuilder()
        .transforms(RuleTransform.builder().type("url-rewrite").build()).build())))
        .hasMessage(label + ": the rule has transforms (host-header-rewrite, url-rewrite), which Gatelink does not"
            + " apply");
    assertThatThrownBy(() -> CompiledRules.compileSdk(List.of(DEFAULT, rule("x", "1", forward(TG_A),
        RuleCondition.builder().field("cookie").values("a").build()))))
        .hasMessage(label + ": unknown condition field 'cookie'; expected host-header, http-header,"
            + " http-request-method, path-pattern, query-string or source-ip");
    assertThatThrownBy(() -> CompiledRules.compileSdk(List.of(DEFAULT, rule("x", "1", forward(TG_A),
        RuleCondition.builder().field("http-header").build()))))
        .hasMessage(label + ": http-header condition has no HttpHeaderConfig");
    assertThatThrownBy(() -> CompiledRules.compileSdk(List.of(DEFAULT, rule("x", "first", forward(TG_A),
        RuleCondition.builder().field("path-pattern").values("/a").build()))))
        .hasMessage(label + ": priority 'first' is not a number");
    assertThatThrownBy(() -> CompiledRules.compileSdk(List.of(DEFAULT, rule("x", "1",
        forward(TG_A).toBuilder().targetGroupArn(TG_B).build(),
        RuleCondition.builder().field("path-pattern").values("/a").build()))))
        .hasMessage(label + ": forward action has TargetGroupArn '" + TG_B + "' and a ForwardConfig that differs;"
            + " with both, the ForwardConfig holds exactly that target group");
    assertThatThrownBy(() -> CompiledRules.compileSdk(List.of(DEFAULT, Rule.builder().ruleArn(LISTENER_RULE + "x")
        .priority("1").conditions(RuleCondition.builder().field("path-pattern").values("/a").build())
        .actions(forward(TG_A), forward(TG_B).toBuilder().order(2).build()).build())))
        .hasMessage(label + ": more than one forward, redirect or fixed-response action; a rule has exactly one");
  }

  @Test
  void errorsFromTheChecksNameTheRuleByArn() {
    assertThatThrownBy(() -> CompiledRules.compileSdk(List.of(DEFAULT, rule("x", "1", forward(TG_A),
        RuleCondition.builder().field("host-header").hostHeaderConfig(c -> c.values("localhost")).build()))))
        .hasMessage("rule '" + LISTENER_RULE + "x': host-header value 'localhost' has no '.'; a host name needs at"
            + " least one");
  }
}
