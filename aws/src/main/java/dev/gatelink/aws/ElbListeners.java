package dev.gatelink.aws;

import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.RefreshingSnapshot;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * Resolves Elastic Load Balancing listener ARNs to their {@link ElbListener} ({@code DescribeListeners}, then
 * {@code DescribeLoadBalancers}) through one ELBv2 client, and keeps them fresh in the background. Shared by
 * the ALB and NLB adapters.
 *
 * <p>Failures name the listener and say what to change: not found, access denied, throttled. At start-up they
 * fail the target; at refresh time the last good resolution stays served for as long as refreshes fail.
 */
public final class ElbListeners implements AutoCloseable {
  /** Listeners rarely change: refreshed every minute, the last good one kept for as long as refreshes fail. */
  public static final RefreshSettings REFRESH = RefreshSettings.builder()
      .refreshInterval(java.time.Duration.ofSeconds(60))
      .maxAge(java.time.Duration.ofSeconds(60))
      .maxStaleness(null)
      .build();

  private final Vertx vertx;
  private final AwsClients.Lease<ElasticLoadBalancingV2AsyncClient> elb;

  private ElbListeners(Vertx vertx, AwsClients.Lease<ElasticLoadBalancingV2AsyncClient> elb) {
    this.vertx = vertx;
    this.elb = elb;
  }

  /**
   * Listeners looked up with the shared ELBv2 client of these options.
   *
   * @param vertx the Vert.x instance
   * @param options region, endpoint, credentials and role
   * @return the resolver; close it to release the client
   * @throws IllegalArgumentException if the SDK cannot build the client
   */
  public static ElbListeners create(Vertx vertx, AwsOptions options) {
    return new ElbListeners(vertx, AwsClients.acquire(vertx, options, "ELBv2",
        ElasticLoadBalancingV2AsyncClient::builder));
  }

  /**
   * Listeners looked up with the caller's client, which the caller closes.
   *
   * @param vertx the Vert.x instance
   * @param client the client
   * @return the resolver
   */
  public static ElbListeners withClient(Vertx vertx, ElasticLoadBalancingV2AsyncClient client) {
    return new ElbListeners(vertx, AwsClients.borrowed(vertx, client));
  }

  /** {@return the lease on the ELBv2 client, for further calls (rules, target groups, target health)} */
  public AwsClients.Lease<ElasticLoadBalancingV2AsyncClient> elb() {
    return elb;
  }

  /**
   * Resolves a listener now.
   *
   * @param listenerArn the listener's ARN
   * @return its resolution; failed with a message naming the listener and what to change
   */
  public CompletableFuture<ElbListener> describe(String listenerArn) {
    return elb.call(() -> elb.client().describeListeners(request -> request.listenerArns(listenerArn)))
        .handle((response, error) -> {
          if (error != null) {
            throw new CompletionException(explain("DescribeListeners", listenerArn, error));
          }
          if (response.listeners().isEmpty()) {
            throw new CompletionException(new IllegalStateException(notFound(listenerArn)));
          }
          return response.listeners().get(0);
        })
        .thenCompose(listener -> elb.call(() -> elb.client().describeLoadBalancers(request -> request
                .loadBalancerArns(listener.loadBalancerArn())))
            .handle((response, error) -> {
              if (error != null) {
                throw new CompletionException(explain("DescribeLoadBalancers", listenerArn, error));
              }
              if (response.loadBalancers().isEmpty()) {
                throw new CompletionException(new IllegalStateException(listenerArn + ": its load balancer "
                    + listener.loadBalancerArn() + " was not found"));
              }
              return resolved(listenerArn, listener, response.loadBalancers().get(0));
            }));
  }

  private static ElbListener resolved(String listenerArn, Listener listener, LoadBalancer balancer) {
    LoadBalancerTypeEnum type = balancer.type();
    ProtocolEnum protocol = listener.protocol();
    if (type == null || type == LoadBalancerTypeEnum.UNKNOWN_TO_SDK_VERSION || protocol == null
        || protocol == ProtocolEnum.UNKNOWN_TO_SDK_VERSION || listener.port() == null
        || balancer.dnsName() == null) {
      throw new CompletionException(new IllegalStateException(listenerArn + ": ELBv2 described it without a "
          + "known load balancer type, protocol, port or DNS name: type " + balancer.typeAsString() + ", protocol "
          + listener.protocolAsString() + ", port " + listener.port() + ", DNS name " + balancer.dnsName()));
    }
    return new ElbListener(listenerArn, listener.loadBalancerArn(), type,
        balancer.schemeAsString() == null ? "internal" : balancer.schemeAsString(), balancer.dnsName(),
        listener.port(), protocol);
  }

  /**
   * A listener's resolution kept fresh in the background on the Vert.x instance.
   *
   * @param listenerArn the listener's ARN
   * @param settings the refresh timing, such as {@link #REFRESH}
   * @param failures told of every failed refresh
   * @return the snapshot, not started: its first {@code ready()} resolves the listener
   */
  public RefreshingSnapshot<ElbListener> watch(String listenerArn, RefreshSettings settings,
      Consumer<String> failures) {
    return new RefreshingSnapshot<>(vertx, listenerArn, new RefreshingSnapshot.Source<>() {
      @Override
      public CompletionStage<ElbListener> fetch() {
        return describe(listenerArn);
      }

      @Override
      public String fetchName() {
        return "DescribeListeners";
      }

      @Override
      public String valueName() {
        return "resolution";
      }
    }, settings, failures);
  }

  /** Releases the ELBv2 client (closed with its last user). */
  @Override
  public void close() throws Exception {
    elb.close();
  }

  private static String notFound(String listenerArn) {
    return "listener " + listenerArn + " was not found: expected the ARN of an existing listener, in the region "
        + "and account of its ARN (aws elbv2 describe-listeners --listener-arns ...)";
  }

  /** An exception whose message says which call failed for which listener, and what to change. */
  static RuntimeException explain(String call, String listenerArn, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof ListenerNotFoundException || cause instanceof LoadBalancerNotFoundException) {
      return new IllegalStateException(notFound(listenerArn), cause);
    }
    if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      String message = service.awsErrorDetails().errorMessage();
      if ("AccessDenied".equals(code) || "AccessDeniedException".equals(code)
          || "UnauthorizedOperation".equals(code)) {
        return new IllegalStateException(listenerArn + ": " + call + " was denied (" + code + ": " + message
            + "): expected credentials, or a role (roleArn), allowed elasticloadbalancing:" + call, cause);
      }
      if ("Throttling".equals(code) || "ThrottlingException".equals(code) || "RequestLimitExceeded".equals(code)) {
        return new IllegalStateException(listenerArn + ": " + call + " was throttled (" + code + ": " + message
            + "): the SDK's retries were used up; try again, or refresh less often", cause);
      }
      return new IllegalStateException(listenerArn + ": " + call + " failed (" + code + ": " + message + ")", cause);
    }
    if (cause instanceof SdkClientException) {
      return new IllegalStateException(listenerArn + ": " + call + " could not reach ELBv2: " + cause.getMessage(),
          cause);
    }
    return new IllegalStateException(listenerArn + ": " + call + " failed: " + cause, cause);
  }
}
