/**
 * Test support shared by Gatelink's modules: {@link dev.gatelink.testing.MotoServerExtension} runs moto, the AWS
 * API emulator, on loopback for a test class.
 */
@NullMarked
package dev.gatelink.testing;

import org.jspecify.annotations.NullMarked;
