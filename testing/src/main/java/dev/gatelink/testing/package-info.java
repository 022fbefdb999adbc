/**
 * Test support shared by Gatelink's modules: {@link dev.gatelink.testing.MotoServerExtension} runs moto, the AWS
 * API emulator, on loopback for a test class; {@link dev.gatelink.testing.LoopbackBackend} answers with its own
 * identity; {@link dev.gatelink.testing.LoopbackDnsServer} answers DNS queries as the test sets;
 * {@link dev.gatelink.testing.MotoElb} makes load balancers, target groups, listeners and instances in moto, and
 * {@link dev.gatelink.testing.TargetHealthOverrides} rewrites their targets' health as the test sets.
 */
@NullMarked
package dev.gatelink.testing;

import org.jspecify.annotations.NullMarked;
