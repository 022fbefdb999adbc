package dev.gatelink.alb.internal;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One rule of an ALB listener, as written: a priority (or the listener's default rule), its conditions and
 * its action. Nothing is checked here but presence; {@link CompiledRules#compile(List)} checks the rest and
 * names the rule in its errors by {@link #label()}.
 *
 * @param arn the rule's ARN; null when not known
 * @param priority 1 to 50000, lowest first; 0 for the default rule
 * @param isDefault whether this is the listener's default rule, evaluated last and without conditions
 * @param conditions the conditions, all of which a request must meet
 * @param action what to do with a request that meets them
 */
public record ListenerRule(@Nullable String arn, int priority, boolean isDefault, List<RuleCondition> conditions,
    ActionConfig action) {

  /** Copies the conditions. */
  public ListenerRule {
    conditions = List.copyOf(conditions);
    Objects.requireNonNull(action, "action");
  }

  /**
   * A rule with a priority.
   *
   * @param priority 1 to 50000
   * @param action the action
   * @param conditions the conditions
   * @return the rule, without an ARN
   */
  public static ListenerRule of(int priority, ActionConfig action, RuleCondition... conditions) {
    return new ListenerRule(null, priority, false, List.of(conditions), action);
  }

  /**
   * The listener's default rule.
   *
   * @param action the action
   * @return the rule, without an ARN
   */
  public static ListenerRule defaultRule(ActionConfig action) {
    return new ListenerRule(null, 0, true, List.of(), action);
  }

  /**
   * This rule with an ARN.
   *
   * @param arn the rule's ARN
   * @return a copy with the ARN
   */
  public ListenerRule withArn(String arn) {
    return new ListenerRule(arn, priority, isDefault, conditions, action);
  }

  /**
   * {@return how errors name the rule: {@code rule 'ARN'} when the ARN is known, else {@code rule with
   * priority N} or {@code default rule}}
   */
  public String label() {
    if (arn != null) {
      return "rule '" + arn + "'";
    }
    return isDefault ? "default rule" : "rule with priority " + priority;
  }
}
