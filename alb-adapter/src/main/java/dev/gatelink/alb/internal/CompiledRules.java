package dev.gatelink.alb.internal;

import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * A listener's rules compiled once, to evaluate requests against: the rules in priority order (lowest number
 * first), then the default rule. A request takes the first rule whose conditions it all meets; the default rule
 * has none, so every request takes a rule.
 *
 * <p>Immutable and thread-safe: compile once per refresh of the listener's rules and publish the result (one
 * {@code volatile} field); {@link #evaluate(RuleRequest)} allocates nothing for the {@code path-pattern},
 * {@code host-header}, {@code http-header}, {@code http-request-method}, {@code query-string} and
 * {@code source-ip} conditions.
 */
public final class CompiledRules {
  /** Not a value of {@code SourceIp.ipv4}: the address has not been read yet. */
  private static final long UNPARSED = -3;

  private final List<ListenerRule> rules;
  private final ConditionMatcher[][] conditions;
  private final RuleAction[] actions;

  CompiledRules(List<ListenerRule> rules, ConditionMatcher[][] conditions, RuleAction[] actions) {
    this.rules = List.copyOf(rules);
    this.conditions = conditions;
    this.actions = actions;
  }

  /**
   * Checks and compiles rules in Gatelink's model.
   *
   * @param rules the listener's rules, in any order, the default rule among them
   * @return the compiled rules
   * @throws IllegalArgumentException if a rule breaks a documented rule or limit; the message names the rule
   *     ({@link ListenerRule#label()}), the condition or action and the offending value
   */
  public static CompiledRules compile(List<ListenerRule> rules) {
    return RuleCompiler.compile(rules);
  }

  /**
   * Checks and compiles the rules of the ELBv2 API ({@code DescribeRules}'s answer for one listener, all pages).
   * Conditions are read from their {@code *Config} objects, or from the legacy {@code Values} of a
   * {@code path-pattern} or {@code host-header} condition that has no config; actions in their {@code Order}.
   *
   * @param rules the listener's rules, the default rule among them
   * @return the compiled rules
   * @throws IllegalArgumentException if a rule breaks a documented rule or limit, or uses what Gatelink does not
   *     evaluate (authentication and JWT validation actions, transforms, regular-expression values); the message
   *     names the rule by its ARN
   */
  public static CompiledRules compileSdk(List<Rule> rules) {
    return RuleCompiler.compile(SdkRules.toListenerRules(rules));
  }

  /**
   * The action of the first rule, in priority order, whose conditions the request meets; the default rule's
   * when none does.
   *
   * @param request the request
   * @return the action, built when the rules were compiled
   */
  public RuleAction evaluate(RuleRequest request) {
    return actions[matchIndex(request)];
  }

  /**
   * The rule that {@link #evaluate(RuleRequest)} takes.
   *
   * @param request the request
   * @return the rule as it was given
   */
  public ListenerRule match(RuleRequest request) {
    return rules.get(matchIndex(request));
  }

  /** {@return the rules in the order they are evaluated: by priority, the default rule last} */
  public List<ListenerRule> rules() {
    return rules;
  }

  /** {@return the compiled action of each rule, in the order of {@link #rules()}} */
  public List<RuleAction> actions() {
    return List.of(actions);
  }

  private int matchIndex(RuleRequest request) {
    ConditionMatcher[][] conditions = this.conditions;
    int last = conditions.length - 1;
    // The client's address is parsed once per request, at the first source-ip condition, into primitives.
    long v4 = UNPARSED;
    long high = 0;
    long low = 0;
    rules:
    for (int i = 0; i < last; i++) {
      for (ConditionMatcher condition : conditions[i]) {
        boolean met;
        if (condition.kind == ConditionMatcher.SOURCE_IP) {
          if (v4 == UNPARSED) {
            CharSequence address = request.sourceAddress();
            v4 = ConditionMatcher.SourceIp.ipv4(address);
            if (v4 == ConditionMatcher.SourceIp.IPV6) {
              high = ConditionMatcher.SourceIp.ipv6High(address);
              low = ConditionMatcher.SourceIp.ipv6Low(address);
            }
          }
          met = ((ConditionMatcher.SourceIp) condition).matches(v4, high, low);
        } else {
          met = ConditionMatcher.test(condition, request);
        }
        if (!met) {
          continue rules;
        }
      }
      return i;
    }
    return last;
  }
}
