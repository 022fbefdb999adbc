package dev.gatelink.aws;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.Selection;
import dev.gatelink.target.TargetRequest;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * What replaces the load balancer hop of an {@link ElbListenerTarget}: the listener's routing applied in
 * process (an ALB's listener rules), sending each request straight to a target, or answering it.
 */
public interface InProcessRouting {
  /** {@return the type of load balancer whose listeners it can route for} */
  LoadBalancerTypeEnum loadBalancerType();

  /** {@return what it applies, for messages, such as {@code in-process listener rules}} */
  String describe();

  /** {@return completed once it can route, failed with the reason if it cannot} */
  CompletionStage<?> ready();

  /**
   * Decides for one request, without blocking.
   *
   * @param request the request as the backend would get it
   * @return a target's endpoint or an answer, or null before it is ready
   */
  @Nullable Selection select(TargetRequest request);

  /**
   * Hears how a request to an endpoint it picked went.
   *
   * @param endpoint the endpoint
   * @param outcome how it went
   */
  void report(Endpoint endpoint, Outcome outcome);

  /** Stops its background work and releases what it holds. */
  void close();
}
