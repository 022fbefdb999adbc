package dev.gatelink.aws;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.RefreshingSnapshot;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * An in-process routing to the targets of target groups (an ALB's listener rules, an NLB's in-process targets):
 * what it reads from ELBv2 is loaded into one immutable view, kept fresh in the background by a
 * {@link RefreshingSnapshot} (the last good view stays while refreshes fail), whose target groups are resolved by
 * {@link TargetGroups}. A subclass loads the view and says where its resolved groups are; this class answers
 * {@link #ready()}, {@link #report} and {@link #close()}.
 *
 * @param <V> the view
 */
public abstract class TargetGroupRouting<V> implements InProcessRouting {
  private final LoadBalancerTypeEnum type;
  private final String description;
  private final String alternative;
  private final String listenerArn;
  private final AwsClients.Lease<ElasticLoadBalancingV2AsyncClient> elb;
  private final TargetGroups targetGroups;
  private final RefreshingSnapshot<V> snapshot;

  /**
   * A routing for one listener target.
   *
   * @param setup what the target gives it
   * @param type the type of load balancer it routes for ({@link #loadBalancerType()})
   * @param description what it applies, for messages ({@link #describe()})
   * @param alternative what to use on the other type of load balancer, for messages ({@link #alternative()})
   * @param algorithm the algorithm of every target group, or null for each group's own (an ALB's)
   * @param fetchName the first call a load makes, for messages, such as {@code DescribeRules}
   * @param valueName what a load reads, for messages, such as {@code rules}
   */
  protected TargetGroupRouting(InProcessRouting.Setup setup, LoadBalancerTypeEnum type, String description,
      String alternative, @Nullable LoadBalancing algorithm, String fetchName, String valueName) {
    this.type = type;
    this.description = description;
    this.alternative = alternative;
    this.listenerArn = setup.listenerArn();
    this.elb = setup.elb();
    this.targetGroups = setup.targetGroups(algorithm);
    this.snapshot = new RefreshingSnapshot<>(setup.vertx(), listenerArn + " " + valueName,
        new RefreshingSnapshot.Source<>() {
          @Override
          public CompletionStage<V> fetch() {
            return load();
          }

          @Override
          public String fetchName() {
            return fetchName;
          }

          @Override
          public String valueName() {
            return valueName;
          }
        }, setup.refresh(), setup.failures());
  }

  /**
   * Loads a new view from ELBv2; called by the background refresh, never on a request's path.
   *
   * @return the view; failed with the reason if it cannot be loaded
   */
  protected abstract CompletionStage<V> load();

  /**
   * {@return the target groups of a view, as {@link #targetGroups()} resolved them}
   *
   * @param view the view
   */
  protected abstract TargetGroups.Resolved targets(V view);

  @Override
  public final LoadBalancerTypeEnum loadBalancerType() {
    return type;
  }

  @Override
  public final String describe() {
    return description;
  }

  @Override
  public final String alternative() {
    return alternative;
  }

  /** {@return the listener's ARN} */
  protected final String listenerArn() {
    return listenerArn;
  }

  /** {@return the ELBv2 client (the target's; it closes it)} */
  protected final AwsClients.Lease<ElasticLoadBalancingV2AsyncClient> elb() {
    return elb;
  }

  /** {@return the target groups, which a load resolves} */
  protected final TargetGroups targetGroups() {
    return targetGroups;
  }

  /** {@return the current view: one volatile read; null before the first load} */
  protected final @Nullable V view() {
    return snapshot.current();
  }

  /** {@return the view once first loaded; failed with the reason if it cannot be (until a later load succeeds)} */
  @Override
  public final CompletionStage<V> ready() {
    return snapshot.ready();
  }

  /** Hears how a request to a target went: the picker of its group counts it out. */
  @Override
  public final void report(Endpoint endpoint, Outcome outcome) {
    V view = snapshot.current();
    targetGroups.report(view == null ? null : targets(view), endpoint, outcome);
  }

  /** Stops the background refresh and releases the EC2 client. */
  @Override
  public final void close() {
    snapshot.close();
    try {
      targetGroups.close();
    } catch (Exception e) {
      throw new IllegalStateException(listenerArn + ": closing the EC2 client failed", e);
    }
  }
}
