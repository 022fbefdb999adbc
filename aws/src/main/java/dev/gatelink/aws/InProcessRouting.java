package dev.gatelink.aws;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.OutlierDetector;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.Selection;
import dev.gatelink.target.TargetRequest;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * What replaces the load balancer hop of an {@link ElbListenerTarget}: the listener's routing applied in
 * process (an ALB's listener rules, an NLB's default forward), sending each request straight to a target, or
 * answering it. A routing serves one type of load balancer; the target refuses to start on a listener of another
 * type, naming {@link #alternative()}.
 */
public interface InProcessRouting {
  /** {@return the type of load balancer whose listeners it can route for} */
  LoadBalancerTypeEnum loadBalancerType();

  /** {@return what it applies, for messages, such as {@code in-process listener rules}} */
  String describe();

  /**
   * {@return what to use instead on a listener of the other type of load balancer, for messages, such as
   * {@code NlbOptions.inProcessTargets (gatelink-nlb)}}
   */
  String alternative();

  /**
   * {@return whether it looks at the request ({@link #select(TargetRequest)}); when it does not,
   * {@link #selectEndpoint()} picks, and the gateway makes no view of the request for it}
   */
  default boolean routesByRequest() {
    return true;
  }

  /** {@return completed once it can route, failed with the reason if it cannot} */
  CompletionStage<?> ready();

  /**
   * Decides for one request, without blocking.
   *
   * @param request the request as the backend would get it
   * @return a target's endpoint or an answer, or null before it is ready (or, for a routing that does not route
   *     by request, when there is no target to send to)
   */
  @Nullable Selection select(TargetRequest request);

  /**
   * Picks a target without looking at a request, without blocking: for a routing whose
   * {@link #routesByRequest()} is false.
   *
   * @return the target, or null when there is none to send to (or the routing needs the request)
   */
  default @Nullable Endpoint selectEndpoint() {
    return null;
  }

  /**
   * Hears how a request to an endpoint it picked went.
   *
   * @param endpoint the endpoint
   * @param outcome how it went
   */
  void report(Endpoint endpoint, Outcome outcome);

  /** Stops its background work and releases what it holds. */
  void close();

  /**
   * What a routing is made with, by an {@link ElbListenerTargetProvider} for one listener target.
   *
   * @param vertx the gateway's Vert.x instance
   * @param listenerArn the listener's ARN
   * @param elb the ELBv2 client of the target, which the target closes
   * @param listener the listener as the target last resolved it, or null before its first resolution
   * @param refresh how often to read again what the routing reads
   * @param outliers the target's ejection after connection failures
   * @param loadBalancing the integration's {@code loadBalancing} option
   * @param failures told of every failed refresh
   * @param ec2 makes a hold on the EC2 client of the integration's AWS options (for instance targets)
   */
  record Setup(Vertx vertx, String listenerArn, AwsClients.Lease<ElasticLoadBalancingV2AsyncClient> elb,
      Supplier<@Nullable ElbListener> listener, RefreshSettings refresh, OutlierDetector outliers,
      LoadBalancing loadBalancing, Consumer<String> failures, Supplier<AwsClients.Lease<Ec2AsyncClient>> ec2) {
    /**
     * Target groups resolved with the target's clients (an EC2 client is acquired now; closing the target groups
     * releases it).
     *
     * @param algorithm the algorithm of every group, or null for each group's own (an ALB's)
     * @return the target groups
     */
    public TargetGroups targetGroups(@Nullable LoadBalancing algorithm) {
      return new TargetGroups(elb, ec2.get(), outliers, algorithm);
    }
  }
}
