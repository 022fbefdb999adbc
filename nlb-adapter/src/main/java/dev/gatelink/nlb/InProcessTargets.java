package dev.gatelink.nlb;

import dev.gatelink.aws.InProcessRouting;
import dev.gatelink.aws.TargetGroupRouting;
import dev.gatelink.aws.TargetGroups;
import dev.gatelink.aws.WeightedChoice;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Selection;
import dev.gatelink.target.TargetRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * An NLB listener's targets reached in process: the listener's default {@code forward} ({@code DescribeListeners}),
 * the target groups it forwards to and their targets' health ({@link TargetGroups}), made into one {@link View}
 * per refresh and kept fresh in the background ({@link TargetGroupRouting}, shared with an ALB's in-process
 * rules).
 *
 * <p>Per request: a target group by weight (a forward to one group is a weight of 1), then one of its healthy
 * targets (all but draining and unused ones when none is healthy) by the integration's {@code loadBalancing};
 * nothing is allocated and the request is not looked at. A forward with no target to send to gives no endpoint,
 * which the gateway answers as API Gateway would a connection the load balancer refuses: 503.
 */
final class InProcessTargets extends TargetGroupRouting<InProcessTargets.View> {
  /**
   * What requests go to, made once per refresh.
   *
   * @param forward the listener's target groups and their weights
   * @param targets the groups resolved to their targets
   */
  record View(WeightedChoice<TargetGroupTuple> forward, TargetGroups.Resolved targets) {}

  /** Every target group with the integration's algorithm: an NLB's groups have none of their own. */
  InProcessTargets(InProcessRouting.Setup setup) {
    super(setup, LoadBalancerTypeEnum.NETWORK, "in-process targets", "AlbOptions.inProcessRules (gatelink-alb)",
        setup.loadBalancing(), "DescribeListeners", "targets");
  }

  @Override
  public boolean routesByRequest() {
    return false;
  }

  @Override
  public @Nullable Selection select(TargetRequest request) {
    return selectEndpoint();
  }

  @Override
  public @Nullable Endpoint selectEndpoint() {
    View view = view();
    if (view == null) {
      return null;
    }
    TargetGroupTuple group = view.forward().pick(ThreadLocalRandom.current().nextInt());
    return view.targets().pick(group == null ? null : group.targetGroupArn());
  }

  @Override
  protected TargetGroups.Resolved targets(View view) {
    return view.targets();
  }

  /** The listener's default forward, then its target groups. */
  @Override
  protected CompletionStage<View> load() {
    return elb().call(() -> elb().client().describeListeners(r -> r.listenerArns(listenerArn())))
        .thenCompose(response -> {
          if (response.listeners().isEmpty()) {
            throw new IllegalStateException("listener " + listenerArn() + " was not found");
          }
          WeightedChoice<TargetGroupTuple> forward = forward(response.listeners().get(0));
          List<String> arns = new ArrayList<>();
          forward.items().forEach(group -> arns.add(group.targetGroupArn()));
          return targetGroups().resolve(arns).thenApply(targets -> new View(forward, targets));
        });
  }

  /**
   * The target groups of a listener's default {@code forward} action with their weights: its
   * {@code ForwardConfig}'s (a group without a weight weighs 1), else its one {@code TargetGroupArn}.
   */
  static WeightedChoice<TargetGroupTuple> forward(Listener listener) {
    Action forward = null;
    for (Action action : listener.defaultActions()) {
      if (action.type() == ActionTypeEnum.FORWARD) {
        forward = action;
      }
    }
    if (forward == null) {
      throw new IllegalStateException("listener " + listener.listenerArn() + " has no forward default action ("
          + listener.defaultActions().stream().map(Action::typeAsString).toList() + "): in-process targets are the "
          + "targets of the target groups it forwards to");
    }
    List<TargetGroupTuple> groups = new ArrayList<>();
    if (forward.forwardConfig() != null && !forward.forwardConfig().targetGroups().isEmpty()) {
      for (TargetGroupTuple group : forward.forwardConfig().targetGroups()) {
        groups.add(group.weight() == null ? group.toBuilder().weight(1).build() : group);
      }
    } else if (forward.targetGroupArn() != null) {
      groups.add(TargetGroupTuple.builder().targetGroupArn(forward.targetGroupArn()).weight(1).build());
    } else {
      throw new IllegalStateException("listener " + listener.listenerArn() + ": its forward default action names no "
          + "target group");
    }
    return WeightedChoice.of(groups, TargetGroupTuple::weight);
  }
}
