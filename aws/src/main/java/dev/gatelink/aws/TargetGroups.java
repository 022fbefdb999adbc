package dev.gatelink.aws;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.EndpointPicker;
import dev.gatelink.target.EndpointSet;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.OutlierDetector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * Target groups resolved to the targets requests go to, for routing in process (an ALB's listener rules, an NLB's
 * in-process targets): each group ({@code DescribeTargetGroups}), its targets' health
 * ({@code DescribeTargetHealth}), instance targets' private addresses (EC2 {@code DescribeInstances}), and the
 * algorithm that spreads requests over them: the group's own {@code load_balancing.algorithm.type}
 * ({@code DescribeTargetGroupAttributes}), or one fixed by the caller.
 *
 * <p>Which targets: the healthy ones; when none is, every target but the draining and unused ones (failing open,
 * as the load balancers do). A group's picker is kept across refreshes (by group and algorithm), so its
 * round-robin turn and its counts of requests in flight go on.
 */
public final class TargetGroups implements AutoCloseable {
  /**
   * A target group as resolved.
   *
   * @param arn the group's ARN
   * @param endpoints the targets requests go to
   * @param picker the picker of the group's algorithm
   */
  public record Group(String arn, EndpointSet endpoints, EndpointPicker picker) {}

  /** The groups of one resolution, immutable: what a request reads. */
  public static final class Resolved {
    private final Map<String, Group> groups;
    private final Map<Endpoint, EndpointPicker> pickerOf;

    private Resolved(Map<String, Group> groups, Map<Endpoint, EndpointPicker> pickerOf) {
      this.groups = Map.copyOf(groups);
      this.pickerOf = Map.copyOf(pickerOf);
    }

    /** {@return the groups by ARN} */
    public Map<String, Group> groups() {
      return groups;
    }

    /**
     * Picks a target of a group with the group's picker, without blocking or allocating.
     *
     * @param arn the group's ARN, or null (a weighted choice that had nothing to choose)
     * @return the target, or null when there is no such group or it has no target to send to
     */
    public @Nullable Endpoint pick(@Nullable String arn) {
      Group group = arn == null ? null : groups.get(arn);
      return group == null ? null : group.picker().pick(group.endpoints());
    }
  }

  private final AwsClients.Lease<ElasticLoadBalancingV2AsyncClient> elb;
  private final AwsClients.Lease<Ec2AsyncClient> ec2;
  private final OutlierDetector outliers;
  private final @Nullable LoadBalancing algorithm;
  /** Pickers by target group and algorithm, kept across refreshes: their round-robin turns and counts go on. */
  private final Map<String, EndpointPicker> pickers = new ConcurrentHashMap<>();

  /**
   * Target groups resolved through these clients.
   *
   * @param elb the ELBv2 client, which the caller closes
   * @param ec2 the EC2 client, for instance targets; closed with this
   * @param outliers the ejection of targets after connection failures, shared by every group's picker
   * @param algorithm the algorithm of every group, or null for each group's own
   *     {@code load_balancing.algorithm.type} (an ALB's)
   */
  public TargetGroups(AwsClients.Lease<ElasticLoadBalancingV2AsyncClient> elb, AwsClients.Lease<Ec2AsyncClient> ec2,
      OutlierDetector outliers, @Nullable LoadBalancing algorithm) {
    this.elb = elb;
    this.ec2 = ec2;
    this.outliers = outliers;
    this.algorithm = algorithm;
  }

  /**
   * Resolves target groups now.
   *
   * @param arns the groups' ARNs
   * @return the groups; failed with the first call that failed
   */
  public CompletableFuture<Resolved> resolve(Collection<String> arns) {
    List<CompletableFuture<Group>> groups = new ArrayList<>();
    for (String arn : arns) {
      groups.add(group(arn));
    }
    return CompletableFuture.allOf(groups.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      Map<String, Group> byArn = new LinkedHashMap<>();
      Map<Endpoint, EndpointPicker> pickerOf = new HashMap<>();
      for (CompletableFuture<Group> each : groups) {
        Group group = each.join();
        byArn.put(group.arn(), group);
        for (Endpoint endpoint : group.endpoints().asList()) {
          pickerOf.putIfAbsent(endpoint, group.picker());
        }
      }
      return new Resolved(byArn, pickerOf);
    });
  }

  /**
   * Hears how a request to a target went: the picker that picked it counts it out; a target no group holds any
   * more is still told to outlier detection.
   *
   * @param resolved the current resolution, or null
   * @param endpoint the target
   * @param outcome how the request went
   */
  public void report(@Nullable Resolved resolved, Endpoint endpoint, Outcome outcome) {
    EndpointPicker picker = resolved == null ? null : resolved.pickerOf.get(endpoint);
    if (picker != null) {
      picker.report(endpoint, outcome);
    } else {
      outliers.report(endpoint, outcome);
    }
  }

  /** A target group: its algorithm, and its healthy targets (all of them when none is healthy). */
  private CompletableFuture<Group> group(String arn) {
    CompletableFuture<TargetGroup> described = elb.call(() -> elb.client().describeTargetGroups(r -> r
        .targetGroupArns(arn))).thenApply(response -> response.targetGroups().get(0));
    CompletableFuture<LoadBalancing> algorithm = this.algorithm != null
        ? CompletableFuture.completedFuture(this.algorithm)
        : elb.call(() -> elb.client().describeTargetGroupAttributes(r -> r.targetGroupArn(arn)))
            .thenApply(response -> response.attributes().stream()
                .filter(attribute -> "load_balancing.algorithm.type".equals(attribute.key()))
                .map(attribute -> LoadBalancing.of(attribute.value()))
                .findFirst().orElse(LoadBalancing.ROUND_ROBIN));
    CompletableFuture<List<TargetHealthDescription>> health = elb.call(() -> elb.client().describeTargetHealth(r -> r
        .targetGroupArn(arn))).thenApply(response -> response.targetHealthDescriptions());
    return CompletableFuture.allOf(described, algorithm, health)
        .thenCompose(all -> addresses(described.join(), health.join()))
        .thenApply(endpoints -> new Group(arn, endpoints, pickers.computeIfAbsent(
            arn + " " + algorithm.join().text(), key -> new EndpointPicker(algorithm.join(), outliers))));
  }

  /**
   * The endpoints of the healthy targets, or of every target but the draining and unused ones when none is
   * healthy (failing open); instance ids become their private addresses.
   */
  private CompletableFuture<EndpointSet> addresses(TargetGroup group, List<TargetHealthDescription> targets) {
    List<TargetHealthDescription> healthy = new ArrayList<>();
    List<TargetHealthDescription> open = new ArrayList<>();
    for (TargetHealthDescription target : targets) {
      TargetHealthStateEnum state = target.targetHealth() == null ? null : target.targetHealth().state();
      if (state == TargetHealthStateEnum.HEALTHY) {
        healthy.add(target);
      }
      if (state != TargetHealthStateEnum.DRAINING && state != TargetHealthStateEnum.UNUSED) {
        open.add(target);
      }
    }
    List<TargetHealthDescription> chosen = healthy.isEmpty() ? open : healthy;
    int defaultPort = group.port() == null ? 80 : group.port();
    if (group.targetType() != TargetTypeEnum.INSTANCE) {
      List<Endpoint> endpoints = new ArrayList<>();
      for (TargetHealthDescription target : chosen) {
        endpoints.add(Endpoint.of(target.target().id(), port(target, defaultPort)));
      }
      return CompletableFuture.completedFuture(EndpointSet.of(endpoints));
    }
    List<String> ids = new ArrayList<>();
    chosen.forEach(target -> ids.add(target.target().id()));
    if (ids.isEmpty()) {
      return CompletableFuture.completedFuture(EndpointSet.empty());
    }
    return ec2.call(() -> ec2.client().describeInstances(r -> r.instanceIds(ids))).thenApply(response -> {
      Map<String, String> address = new HashMap<>();
      response.reservations().forEach(reservation -> reservation.instances().forEach(instance -> {
        if (instance.privateIpAddress() != null) {
          address.put(instance.instanceId(), instance.privateIpAddress());
        }
      }));
      List<Endpoint> endpoints = new ArrayList<>();
      for (TargetHealthDescription target : chosen) {
        String ip = address.get(target.target().id());
        if (ip != null) {
          endpoints.add(Endpoint.of(ip, port(target, defaultPort)));
        }
      }
      return EndpointSet.of(endpoints);
    });
  }

  private static int port(TargetHealthDescription target, int defaultPort) {
    return target.target().port() == null ? defaultPort : target.target().port();
  }

  /** Releases the EC2 client (closed with its last user). */
  @Override
  public void close() throws Exception {
    ec2.close();
  }
}
