package dev.gatelink.alb.internal;

/**
 * What {@link CompiledRules#evaluate(RuleRequest)} decides for a request: {@link Forward}, {@link FixedResponse}
 * or {@link Redirect}. Built once when the rules are compiled and shared by every request that the same rule
 * takes.
 */
public sealed interface RuleAction permits Forward, FixedResponse, Redirect {}
