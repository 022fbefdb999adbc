package dev.gatelink.alb.internal;

/**
 * The action of a listener rule, as written in the rule: {@link ForwardConfig}, {@link FixedResponseConfig} or
 * {@link RedirectConfig}. Compiling the rules ({@link CompiledRules#compile(java.util.List)}) checks it and
 * turns it into the {@link RuleAction} that {@link CompiledRules#evaluate(RuleRequest)} returns.
 */
public sealed interface ActionConfig permits ForwardConfig, FixedResponseConfig, RedirectConfig {

  /** {@return the action's type as the ELBv2 API names it, such as {@code forward}} */
  String type();
}
