package dev.gatelink.alb.internal;

import org.jspecify.annotations.Nullable;

/**
 * The target group stickiness of a weighted {@code forward} action. Recorded as written; the evaluator does
 * not apply it.
 *
 * @param enabled whether requests of one client stay on the target group chosen first
 * @param durationSeconds how long, in seconds (1 to 604800); null when not given
 */
public record TargetGroupStickiness(boolean enabled, @Nullable Integer durationSeconds) {}
