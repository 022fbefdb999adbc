package dev.gatelink.alb.internal;

import java.util.Objects;

/**
 * A target group of a {@code forward} action and its weight.
 *
 * @param targetGroupArn the target group's ARN
 * @param weight its share of the requests relative to the action's other target groups, 0 to 999
 */
public record WeightedTargetGroup(String targetGroupArn, int weight) {

  /** The weight of a target group written without one. */
  public static final int DEFAULT_WEIGHT = 1;

  /** Checks that the ARN is there. */
  public WeightedTargetGroup {
    Objects.requireNonNull(targetGroupArn, "targetGroupArn");
  }

  /**
   * A target group with the {@link #DEFAULT_WEIGHT default weight}.
   *
   * @param targetGroupArn the target group's ARN
   * @return the target group
   */
  public static WeightedTargetGroup of(String targetGroupArn) {
    return new WeightedTargetGroup(targetGroupArn, DEFAULT_WEIGHT);
  }
}
