/**
 * AWS Cloud Map targets: {@link dev.gatelink.cloudmap.CloudMapTargetProvider} turns a Cloud Map service ARN
 * or {@code cloudmap://NAMESPACE/SERVICE} into a target whose instances are discovered in the background
 * (in progress: see the module's README for what is built).

 */
@NullMarked
package dev.gatelink.cloudmap;

import org.jspecify.annotations.NullMarked;
