package dev.gatelink.alb.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code forward} action as written: one target group, or up to five with weights.
 *
 * @param targetGroups the target groups, in the order written
 * @param stickiness the target group stickiness; null when not given
 */
public record ForwardConfig(List<WeightedTargetGroup> targetGroups, @Nullable TargetGroupStickiness stickiness)
    implements ActionConfig {

  /** Copies the target groups. */
  public ForwardConfig {
    targetGroups = List.copyOf(targetGroups);
  }

  /**
   * A {@code forward} action to one target group.
   *
   * @param targetGroupArn the target group's ARN
   * @return the action
   */
  public static ForwardConfig to(String targetGroupArn) {
    return new ForwardConfig(List.of(WeightedTargetGroup.of(targetGroupArn)), null);
  }

  /**
   * A {@code forward} action to weighted target groups, without stickiness.
   *
   * @param targetGroups the target groups and their weights
   * @return the action
   */
  public static ForwardConfig weighted(WeightedTargetGroup... targetGroups) {
    return new ForwardConfig(List.of(targetGroups), null);
  }

  @Override
  public String type() {
    return "forward";
  }
}
