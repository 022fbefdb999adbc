/**
 * AWS Cloud Map targets: {@link dev.gatelink.cloudmap.CloudMapTargetProvider} turns a Cloud Map service ARN
 * or {@code cloudmap://NAMESPACE/SERVICE} into a target whose instances are discovered in the background
 * and picked per request without a lock. {@link dev.gatelink.cloudmap.CloudMapOptions} are the options of one
 * integration (health filter, load balancing, region and role, health reporting); the module's README lists
 * them with the gateway properties and their defaults.
 */
@NullMarked
package dev.gatelink.cloudmap;

import org.jspecify.annotations.NullMarked;
