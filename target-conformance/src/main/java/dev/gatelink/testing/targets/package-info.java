/**
 * The target conformance suite: what the gateway may rely on from every target kind, checked end to end.
 *
 * <p>Starting points: extend {@link dev.gatelink.testing.targets.TargetConformance} once per target kind, in the
 * test sources of the module that holds it, and supply the provider and integrations that reach its backends.
 * Load balancer listener providers (ALB, NLB) extend {@link dev.gatelink.testing.targets.ListenerTargetConformance}
 * instead, and base their other tests on {@link dev.gatelink.testing.targets.ListenerTargetTestBase}.
 */
@NullMarked
package dev.gatelink.testing.targets;

import org.jspecify.annotations.NullMarked;
