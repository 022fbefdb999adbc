/**
 * The gateway's engine: the published configuration, the front door, the exchange state machine, per-loop
 * backend connection pools, deadlines and the built-in filters. Not part of Gatelink's API: nothing outside
 * {@code gatelink-core} may use it, and it changes without notice.
 */
@NullMarked
package dev.gatelink.gateway.internal;

import org.jspecify.annotations.NullMarked;
