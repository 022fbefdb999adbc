/**
 * Core's internal helpers shared by the configuration model and the engine: integration uri parsing and
 * substitution, host names, path encoding. Not part of Gatelink's API: nothing outside {@code gatelink-core}
 * may use it, and it changes without notice.
 */
@NullMarked
package dev.gatelink.internal;

import org.jspecify.annotations.NullMarked;
