/**
 * The in-process evaluator of an Application Load Balancer listener's rules: conditions, priorities and the
 * {@code forward}, {@code fixed-response} and {@code redirect} actions, as the Elastic Load Balancing
 * documentation describes them ("Listener rules for your Application Load Balancer"). Pure logic, no
 * networking.
 *
 * <p>Starting points: {@link dev.gatelink.alb.internal.CompiledRules#compile(java.util.List)} for rules in
 * Gatelink's own model ({@link dev.gatelink.alb.internal.ListenerRule}) or
 * {@link dev.gatelink.alb.internal.CompiledRules#compileSdk(java.util.List)} for the ELBv2 API's
 * {@code DescribeRules} answer; then {@link dev.gatelink.alb.internal.CompiledRules#evaluate(RuleRequest)}
 * per request, through an adapter that implements {@link dev.gatelink.alb.internal.RuleRequest}.
 */
@NullMarked
package dev.gatelink.alb.internal;

import org.jspecify.annotations.NullMarked;
