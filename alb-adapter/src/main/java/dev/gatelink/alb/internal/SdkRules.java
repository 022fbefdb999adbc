package dev.gatelink.alb.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.FixedResponseActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.HostHeaderConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.HttpHeaderConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.HttpRequestMethodConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.PathPatternConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.QueryStringConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.QueryStringKeyValuePair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SourceIpConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Reads the ELBv2 API's rules into Gatelink's model. What the model has no place for (authentication and JWT
 * validation actions, rule transforms, regular-expression values) is refused here, naming the rule.
 */
final class SdkRules {
  private static final String FIELDS =
      "host-header, http-header, http-request-method, path-pattern, query-string or source-ip";

  private SdkRules() {}

  static List<ListenerRule> toListenerRules(List<Rule> rules) {
    List<ListenerRule> out = new ArrayList<>(rules.size());
    for (Rule rule : rules) {
      out.add(toListenerRule(rule));
    }
    return out;
  }

  static ListenerRule toListenerRule(Rule rule) {
    boolean isDefault = Boolean.TRUE.equals(rule.isDefault());
    String label = label(rule, isDefault);
    if (rule.hasTransforms() && !rule.transforms().isEmpty()) {
      throw new IllegalArgumentException(label + ": the rule has transforms (host-header-rewrite, url-rewrite),"
          + " which Gatelink does not apply");
    }
    int priority = 0;
    if (!isDefault) {
      String text = rule.priority();
      if (text == null) {
        throw new IllegalArgumentException(label + ": the rule has no priority and is not the default rule");
      }
      if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException(label + ": priority '" + text + "' is not a number");
      }
      priority = Integer.parseInt(text);
    }
    List<RuleCondition> conditions = new ArrayList<>();
    if (rule.hasConditions()) {
      for (software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition condition : rule.conditions()) {
        conditions.add(condition(label, condition));
      }
    }
    return new ListenerRule(rule.ruleArn(), priority, isDefault, conditions, action(label, rule));
  }

  private static String label(Rule rule, boolean isDefault) {
    if (rule.ruleArn() != null) {
      return "rule '" + rule.ruleArn() + "'";
    }
    return isDefault ? "default rule" : "rule with priority " + rule.priority();
  }

  private static RuleCondition condition(String label,
      software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition condition) {
    String field = condition.field();
    if (field == null) {
      throw new IllegalArgumentException(label + ": a condition has no Field; expected " + FIELDS);
    }
    if (condition.hasRegexValues() && !condition.regexValues().isEmpty()) {
      throw regex(label, field);
    }
    List<String> legacy = condition.hasValues() ? condition.values() : List.of();
    switch (field) {
      case "path-pattern": {
        PathPatternConditionConfig config = condition.pathPatternConfig();
        if (config != null && config.hasRegexValues() && !config.regexValues().isEmpty()) {
          throw regex(label, field);
        }
        // Legacy Values only when there is no config: DescribeRules fills both with the same values.
        return new RuleCondition.PathPattern(config != null && config.hasValues() ? config.values() : legacy);
      }
      case "host-header": {
        HostHeaderConditionConfig config = condition.hostHeaderConfig();
        if (config != null && config.hasRegexValues() && !config.regexValues().isEmpty()) {
          throw regex(label, field);
        }
        return new RuleCondition.HostHeader(config != null && config.hasValues() ? config.values() : legacy);
      }
      case "http-header": {
        HttpHeaderConditionConfig config = condition.httpHeaderConfig();
        if (config == null) {
          throw missing(label, field, "HttpHeaderConfig");
        }
        if (config.hasRegexValues() && !config.regexValues().isEmpty()) {
          throw regex(label, field);
        }
        if (config.httpHeaderName() == null) {
          throw new IllegalArgumentException(label + ": http-header condition has no HttpHeaderName");
        }
        return new RuleCondition.HttpHeader(config.httpHeaderName(), config.hasValues() ? config.values() : List.of());
      }
      case "http-request-method": {
        HttpRequestMethodConditionConfig config = condition.httpRequestMethodConfig();
        if (config == null) {
          throw missing(label, field, "HttpRequestMethodConfig");
        }
        return new RuleCondition.HttpRequestMethod(config.hasValues() ? config.values() : List.of());
      }
      case "query-string": {
        QueryStringConditionConfig config = condition.queryStringConfig();
        if (config == null) {
          throw missing(label, field, "QueryStringConfig");
        }
        List<RuleCondition.KeyValue> pairs = new ArrayList<>();
        if (config.hasValues()) {
          for (QueryStringKeyValuePair pair : config.values()) {
            if (pair.value() == null) {
              throw new IllegalArgumentException(label + ": query-string condition has a pair without a Value");
            }
            pairs.add(new RuleCondition.KeyValue(pair.key(), pair.value()));
          }
        }
        return new RuleCondition.QueryString(pairs);
      }
      case "source-ip": {
        SourceIpConditionConfig config = condition.sourceIpConfig();
        if (config == null) {
          throw missing(label, field, "SourceIpConfig");
        }
        return new RuleCondition.SourceIp(config.hasValues() ? config.values() : List.of());
      }
      default:
        throw new IllegalArgumentException(label + ": unknown condition field '" + field + "'; expected " + FIELDS);
    }
  }

  private static IllegalArgumentException regex(String label, String field) {
    return new IllegalArgumentException(label + ": " + field + " condition uses RegexValues; Gatelink matches"
        + " Values (with wildcards) only, not regular expressions");
  }

  private static IllegalArgumentException missing(String label, String field, String config) {
    return new IllegalArgumentException(label + ": " + field + " condition has no " + config);
  }

  private static ActionConfig action(String label, Rule rule) {
    List<Action> actions = new ArrayList<>(rule.hasActions() ? rule.actions() : List.of());
    // In their Order; an action without one keeps its place after those with one (a stable sort).
    actions.sort(Comparator.comparing(Action::order, Comparator.nullsLast(Comparator.naturalOrder())));
    ActionConfig terminal = null;
    for (Action action : actions) {
      ActionTypeEnum type = action.type();
      String typeText = action.typeAsString();
      if (type == ActionTypeEnum.FORWARD || type == ActionTypeEnum.REDIRECT || type == ActionTypeEnum.FIXED_RESPONSE) {
        if (terminal != null) {
          throw new IllegalArgumentException(label + ": more than one forward, redirect or fixed-response action; a"
              + " rule has exactly one");
        }
        terminal = terminalAction(label, action, type);
      } else {
        throw new IllegalArgumentException(label + ": action type '" + typeText + "' is not supported; Gatelink"
            + " evaluates forward, redirect and fixed-response actions only");
      }
    }
    if (terminal == null) {
      throw new IllegalArgumentException(label + ": no forward, redirect or fixed-response action; a rule has"
          + " exactly one");
    }
    return terminal;
  }

  private static ActionConfig terminalAction(String label, Action action, ActionTypeEnum type) {
    if (type == ActionTypeEnum.FORWARD) {
      return forward(label, action);
    }
    if (type == ActionTypeEnum.REDIRECT) {
      RedirectActionConfig config = action.redirectConfig();
      if (config == null) {
        throw new IllegalArgumentException(label + ": redirect action has no RedirectConfig");
      }
      return new RedirectConfig(config.protocol(), config.host(), config.port(), config.path(), config.query(),
          orEmpty(config.statusCodeAsString()));
    }
    FixedResponseActionConfig config = action.fixedResponseConfig();
    if (config == null) {
      throw new IllegalArgumentException(label + ": fixed-response action has no FixedResponseConfig");
    }
    return new FixedResponseConfig(orEmpty(config.statusCode()), config.contentType(), config.messageBody());
  }

  private static ForwardConfig forward(String label, Action action) {
    String targetGroupArn = action.targetGroupArn();
    ForwardActionConfig config = action.forwardConfig();
    if (config == null || !config.hasTargetGroups() || config.targetGroups().isEmpty()) {
      return targetGroupArn == null ? new ForwardConfig(List.of(), null) : ForwardConfig.to(targetGroupArn);
    }
    List<WeightedTargetGroup> groups = new ArrayList<>();
    for (TargetGroupTuple tuple : config.targetGroups()) {
      Integer weight = tuple.weight();
      // Gatelink's choice: a target group written without a weight has weight 1.
      groups.add(new WeightedTargetGroup(orEmpty(tuple.targetGroupArn()),
          weight == null ? WeightedTargetGroup.DEFAULT_WEIGHT : weight));
    }
    if (targetGroupArn != null
        && (groups.size() != 1 || !groups.get(0).targetGroupArn().equals(targetGroupArn))) {
      throw new IllegalArgumentException(label + ": forward action has TargetGroupArn '" + targetGroupArn
          + "' and a ForwardConfig that differs; with both, the ForwardConfig holds exactly that target group");
    }
    TargetGroupStickinessConfig stickiness = config.targetGroupStickinessConfig();
    return new ForwardConfig(groups, stickiness == null ? null
        : new TargetGroupStickiness(Boolean.TRUE.equals(stickiness.enabled()), stickiness.durationSeconds()));
  }

  private static String orEmpty(@Nullable String text) {
    return text == null ? "" : text;
  }
}
