package dev.gatelink.alb.internal;

import dev.gatelink.aws.WeightedChoice;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code forward} action: the request goes to one of the action's target groups, chosen by weight.
 *
 * <p>{@link #pick(int)} turns a random number into a target group without allocating: a target group of weight
 * {@code w} is chosen for {@code w / totalWeight} of the numbers, one of weight 0 never ({@link WeightedChoice},
 * shared with an NLB's in-process targets).
 */
public final class Forward implements RuleAction {
  private final List<WeightedTargetGroup> targetGroups;
  private final @Nullable TargetGroupStickiness stickiness;
  private final WeightedChoice<WeightedTargetGroup> choice;

  Forward(List<WeightedTargetGroup> targetGroups, @Nullable TargetGroupStickiness stickiness) {
    this.targetGroups = List.copyOf(targetGroups);
    this.stickiness = stickiness;
    this.choice = WeightedChoice.of(this.targetGroups, WeightedTargetGroup::weight);
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
    return choice.totalWeight();
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
    WeightedTargetGroup picked = choice.pick(random);
    return picked == null ? null : picked.targetGroupArn();
  }

  @Override
  public String toString() {
    return "forward " + targetGroups;
  }
}
