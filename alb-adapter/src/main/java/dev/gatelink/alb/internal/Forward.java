package dev.gatelink.alb.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code forward} action: the request goes to one of the action's target groups, chosen by weight.
 *
 * <p>{@link #pick(int)} turns a random number into a target group without allocating: a target group of weight
 * {@code w} is chosen for {@code w / totalWeight} of the numbers, one of weight 0 never.
 */
public final class Forward implements RuleAction {
  private final List<WeightedTargetGroup> targetGroups;
  private final @Nullable TargetGroupStickiness stickiness;
  private final String[] arns;
  /** Per target group, the sum of the weights up to and including it. */
  private final int[] cumulative;
  private final int totalWeight;

  Forward(List<WeightedTargetGroup> targetGroups, @Nullable TargetGroupStickiness stickiness) {
    this.targetGroups = List.copyOf(targetGroups);
    this.stickiness = stickiness;
    this.arns = new String[targetGroups.size()];
    this.cumulative = new int[targetGroups.size()];
    int total = 0;
    for (int i = 0; i < arns.length; i++) {
      arns[i] = targetGroups.get(i).targetGroupArn();
      total += targetGroups.get(i).weight();
      cumulative[i] = total;
    }
    this.totalWeight = total;
  }

  /** {@return the target groups and their weights, in the order the rule gives them} */
  public List<WeightedTargetGroup> targetGroups() {
    return targetGroups;
  }

  /** {@return the target group stickiness as the rule gives it, not applied here; null when none} */
  public @Nullable TargetGroupStickiness stickiness() {
    return stickiness;
  }

  /** {@return the sum of the weights; 0 when every target group has weight 0} */
  public int totalWeight() {
    return totalWeight;
  }

  /**
   * Chooses a target group by weight.
   *
   * @param random any int, such as {@code ThreadLocalRandom.current().nextInt()}: the choice is
   *     {@code floorMod(random, totalWeight)} placed on the target groups' cumulative weights
   * @return the chosen target group's ARN; null when every weight is 0, so there is no target group to send
   *     to (the load balancer would answer 503)
   */
  public @Nullable String pick(int random) {
    if (totalWeight == 0) {
      return null;
    }
    int point = Math.floorMod(random, totalWeight);
    for (int i = 0; i < cumulative.length; i++) {
      if (point < cumulative[i]) {
        return arns[i];
      }
    }
    throw new AssertionError("point " + point + " beyond the total weight " + totalWeight);
  }

  @Override
  public String toString() {
    return "forward " + targetGroups;
  }
}
