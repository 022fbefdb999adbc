package dev.gatelink.alb;

import dev.gatelink.alb.internal.CompiledRules;
import dev.gatelink.alb.internal.FixedResponse;
import dev.gatelink.alb.internal.Forward;
import dev.gatelink.alb.internal.Redirect;
import dev.gatelink.alb.internal.RuleAction;
import dev.gatelink.alb.internal.RuleRequest;
import dev.gatelink.aws.AwsClients;
import dev.gatelink.aws.ElbListener;
import dev.gatelink.aws.InProcessRouting;
import dev.gatelink.target.DirectResponse;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.EndpointPicker;
import dev.gatelink.target.EndpointSet;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.OutlierDetector;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.RefreshingSnapshot;
import dev.gatelink.target.Selection;
import dev.gatelink.target.TargetRequest;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * A listener's rules applied in process: the rules ({@code DescribeRules}), the target groups they forward to
 * ({@code DescribeTargetGroups}, {@code DescribeTargetGroupAttributes} for {@code load_balancing.algorithm.type}),
 * and their targets' health ({@code DescribeTargetHealth}; {@code DescribeInstances} for instance targets'
 * private addresses), compiled into one {@link View} per refresh and kept fresh in the background.
 *
 * <p>Per request: the compiled rules pick an action (no allocation for path, host, header and method
 * conditions); {@code forward} picks a target group by weight and a target of it by the group's algorithm, among
 * its healthy targets, or among all of them when none is healthy (failing open, as the ALB does); a
 * {@code fixed-response} is answered from a response made at compile time; a {@code redirect} builds its
 * {@code Location}.
 */
final class InProcessRules implements InProcessRouting {
  /**
   * The answer of an ALB whose target group has no target to send to: 503 and its HTML page (what API Gateway
   * would pass on).
   */
  static final DirectResponse NO_TARGET = DirectResponse.of(503, "text/html",
      "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
          + "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n");

  /** A target group as compiled: the targets requests go to, and the picker of the group's algorithm. */
  record Group(String arn, EndpointSet endpoints, EndpointPicker picker) {}

  /** Everything a request needs, made once per refresh. */
  record View(CompiledRules rules, Map<String, Group> groups, Map<FixedResponse, DirectResponse> fixed,
      Map<Endpoint, EndpointPicker> pickerOf, int port, boolean secure) {}

  private final String listenerArn;
  private final AwsClients.Lease<ElasticLoadBalancingV2AsyncClient> elb;
  private final AwsClients.Lease<Ec2AsyncClient> ec2;
  private final AwsClients.Lease<Ec2AsyncClient> ec2Lease;
  private final OutlierDetector outliers;
  private final RefreshingSnapshot<View> snapshot;
  /** Pickers by target group and algorithm, kept across refreshes: their round-robin turns and counts go on. */
  private final Map<String, EndpointPicker> pickers = new ConcurrentHashMap<>();
  private final FastThreadLocal<Adapter> adapters = new FastThreadLocal<>() {
    @Override
    protected Adapter initialValue() {
      return new Adapter();
    }
  };

  InProcessRules(Vertx vertx, String listenerArn, AwsClients.Lease<ElasticLoadBalancingV2AsyncClient> elb,
      AwsClients.Lease<Ec2AsyncClient> ec2, java.util.function.Supplier<@Nullable ElbListener> listener,
      RefreshSettings refresh, OutlierDetector outliers, Consumer<String> failures) {
    this.ec2Lease = ec2;
    this.listenerArn = listenerArn;
    this.elb = elb;
    this.ec2 = ec2;
    this.outliers = outliers;
    this.snapshot = new RefreshingSnapshot<>(vertx, listenerArn + " rules", new RefreshingSnapshot.Source<>() {
      @Override
      public CompletionStage<View> fetch() {
        ElbListener now = listener.get();
        return load(now == null ? 80 : now.port(), now != null && now.tls());
      }

      @Override
      public String fetchName() {
        return "DescribeRules";
      }

      @Override
      public String valueName() {
        return "rules";
      }
    }, refresh, failures);
  }

  @Override
  public LoadBalancerTypeEnum loadBalancerType() {
    return LoadBalancerTypeEnum.APPLICATION;
  }

  @Override
  public String describe() {
    return "in-process listener rules";
  }

  /** {@return the rules once first loaded; failed with the reason if they cannot be (until a later load succeeds)} */
  @Override
  public CompletionStage<View> ready() {
    return snapshot.ready();
  }

  /**
   * Decides for a request: a target of the group a rule forwards to, or the answer of a fixed response or a
   * redirect.
   *
   * @return the selection, or null before the first load
   */
  @Override
  public @Nullable Selection select(TargetRequest request) {
    View view = snapshot.current();
    if (view == null) {
      return null;
    }
    Adapter adapter = adapters.get();
    adapter.request = request;
    adapter.port = view.port();
    adapter.secure = view.secure();
    try {
      RuleAction action = view.rules().evaluate(adapter);
      if (action instanceof Forward forward) {
        String arn = forward.pick(ThreadLocalRandom.current().nextInt());
        Group group = arn == null ? null : view.groups().get(arn);
        if (group == null) {
          return NO_TARGET;
        }
        Endpoint endpoint = group.picker().pick(group.endpoints());
        return endpoint != null ? endpoint : NO_TARGET;
      }
      if (action instanceof FixedResponse fixed) {
        return view.fixed().get(fixed);
      }
      Redirect redirect = (Redirect) action;
      return DirectResponse.redirect(redirect.statusCode(), redirect.location(adapter));
    } finally {
      adapter.request = null;
    }
  }

  /** Hears how a request to a target went: the picker that picked it counts it out. */
  @Override
  public void report(Endpoint endpoint, dev.gatelink.target.Outcome outcome) {
    View view = snapshot.current();
    EndpointPicker picker = view == null ? null : view.pickerOf().get(endpoint);
    if (picker != null) {
      picker.report(endpoint, outcome);
    } else {
      outliers.report(endpoint, outcome);
    }
  }

  @Override
  public void close() {
    snapshot.close();
    try {
      ec2Lease.close();
    } catch (Exception e) {
      throw new IllegalStateException(listenerArn + ": closing the EC2 client failed", e);
    }
  }

  // ---------------------------------------------------------------- loading

  private CompletionStage<View> load(int port, boolean secure) {
    return rules(null, new ArrayList<>()).thenCompose(rules -> {
      CompiledRules compiled = CompiledRules.compileSdk(rules);
      Set<String> arns = new LinkedHashSet<>();
      Map<FixedResponse, DirectResponse> fixed = new HashMap<>();
      for (RuleAction action : compiled.actions()) {
        if (action instanceof Forward forward) {
          forward.targetGroups().forEach(group -> arns.add(group.targetGroupArn()));
        } else if (action instanceof FixedResponse response) {
          fixed.put(response, DirectResponse.of(response.statusCode(), response.contentType(),
              response.messageBody()));
        }
      }
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
        return new View(compiled, Map.copyOf(byArn), Map.copyOf(fixed), Map.copyOf(pickerOf), port, secure);
      });
    });
  }

  /** Every page of the listener's rules. */
  private CompletableFuture<List<Rule>> rules(@Nullable String marker, List<Rule> so) {
    return elb.call(() -> elb.client().describeRules(r -> r.listenerArn(listenerArn).marker(marker)))
        .thenCompose(page -> {
          so.addAll(page.rules());
          return page.nextMarker() == null || page.nextMarker().isEmpty() ? CompletableFuture.completedFuture(so)
              : rules(page.nextMarker(), so);
        });
  }

  /** A target group: its algorithm, and its healthy targets (all of them when none is healthy). */
  private CompletableFuture<Group> group(String arn) {
    CompletableFuture<TargetGroup> described = elb.call(() -> elb.client().describeTargetGroups(r -> r
        .targetGroupArns(arn))).thenApply(response -> response.targetGroups().get(0));
    CompletableFuture<LoadBalancing> algorithm = elb.call(() -> elb.client().describeTargetGroupAttributes(r -> r
        .targetGroupArn(arn))).thenApply(response -> response.attributes().stream()
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
   * healthy (ALB fails open); instance ids become their private addresses.
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

  /** The request as the rules see it: a reusable view per thread over the exchange's request, no copy. */
  private static final class Adapter implements RuleRequest {
    @Nullable TargetRequest request;
    int port;
    boolean secure;

    private TargetRequest request() {
      TargetRequest now = request;
      if (now == null) {
        throw new IllegalStateException("no request being routed");
      }
      return now;
    }

    @Override
    public CharSequence method() {
      return request().methodName();
    }

    @Override
    public @Nullable CharSequence host() {
      return request().host();
    }

    @Override
    public CharSequence path() {
      return request().path();
    }

    @Override
    public @Nullable CharSequence query() {
      return request().query();
    }

    @Override
    public <T> boolean anyHeaderValue(CharSequence name, T target, BiPredicate<? super T, ? super CharSequence> test) {
      return request().anyHeaderValue(name, target, test);
    }

    @Override
    public @Nullable CharSequence sourceAddress() {
      return request().sourceAddress();
    }

    @Override
    public boolean secure() {
      return secure;
    }

    @Override
    public int port() {
      return port;
    }
  }
}
