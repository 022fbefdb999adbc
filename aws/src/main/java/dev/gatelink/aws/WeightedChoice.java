package dev.gatelink.aws;

import java.util.List;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Items chosen by weight, as a load balancer's {@code forward} action chooses among its target groups: an item of
 * weight {@code w} is chosen for {@code w / totalWeight} of the random numbers, one of weight 0 never. Used by an
 * ALB's in-process rules and an NLB's in-process targets.
 *
 * <p>Immutable; {@link #pick(int)} allocates nothing.
 *
 * @param <T> the items' type
 */
public final class WeightedChoice<T> {
  private final List<T> items;
  /** Per item, the sum of the weights up to and including it. */
  private final int[] cumulative;
  private final int totalWeight;

  private WeightedChoice(List<T> items, int[] cumulative, int totalWeight) {
    this.items = items;
    this.cumulative = cumulative;
    this.totalWeight = totalWeight;
  }

  /**
   * Items and their weights.
   *
   * @param items the items, in the order written
   * @param weight each item's weight, 0 or more
   * @param <T> the items' type
   * @return the choice
   * @throws IllegalArgumentException if a weight is negative or the weights add up to more than
   *     {@link Integer#MAX_VALUE}
   */
  public static <T> WeightedChoice<T> of(List<T> items, ToIntFunction<? super T> weight) {
    List<T> copy = List.copyOf(items);
    int[] cumulative = new int[copy.size()];
    long total = 0;
    for (int i = 0; i < cumulative.length; i++) {
      int each = weight.applyAsInt(copy.get(i));
      if (each < 0) {
        throw new IllegalArgumentException("weight " + each + " of " + copy.get(i) + " is negative: expected 0 or "
            + "more");
      }
      total += each;
      if (total > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("the weights of " + copy + " add up to more than " + Integer.MAX_VALUE);
      }
      cumulative[i] = (int) total;
    }
    return new WeightedChoice<>(copy, cumulative, (int) total);
  }

  /** {@return the items, in the order given} */
  public List<T> items() {
    return items;
  }

  /** {@return the sum of the weights; 0 when every item has weight 0 (or there is none)} */
  public int totalWeight() {
    return totalWeight;
  }

  /**
   * Chooses an item by weight.
   *
   * @param random any int, such as {@code ThreadLocalRandom.current().nextInt()}: the choice is
   *     {@code floorMod(random, totalWeight)} placed on the items' cumulative weights
   * @return the chosen item; null when the total weight is 0, so there is nothing to choose
   */
  public @Nullable T pick(int random) {
    if (totalWeight == 0) {
      return null;
    }
    int point = Math.floorMod(random, totalWeight);
    for (int i = 0; i < cumulative.length; i++) {
      if (point < cumulative[i]) {
        return items.get(i);
      }
    }
    throw new AssertionError("point " + point + " beyond the total weight " + totalWeight);
  }

  @Override
  public String toString() {
    return "weighted " + items;
  }
}
