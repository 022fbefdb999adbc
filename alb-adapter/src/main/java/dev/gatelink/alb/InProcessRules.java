package dev.gatelink.alb;

import dev.gatelink.alb.internal.CompiledRules;
import dev.gatelink.alb.internal.FixedResponse;
import dev.gatelink.alb.internal.Forward;
import dev.gatelink.alb.internal.Redirect;
import dev.gatelink.alb.internal.RuleAction;
import dev.gatelink.alb.internal.RuleRequest;
import dev.gatelink.aws.ElbListener;
import dev.gatelink.aws.InProcessRouting;
import dev.gatelink.aws.TargetGroupRouting;
import dev.gatelink.aws.TargetGroups;
import dev.gatelink.target.DirectResponse;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Selection;
import dev.gatelink.target.TargetRequest;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * A listener's rules applied in process: the rules ({@code DescribeRules}), the target groups they forward to
 * ({@code DescribeTargetGroups}, {@code DescribeTargetGroupAttributes} for {@code load_balancing.algorithm.type}),
 * and their targets' health ({@code DescribeTargetHealth}; {@code DescribeInstances} for instance targets'
 * private addresses), compiled into one {@link View} per refresh and kept fresh in the background
 * ({@link TargetGroupRouting}, whose target groups are resolved by {@link TargetGroups}: shared with an NLB's
 * in-process targets).
 *
 * <p>Per request: the compiled rules pick an action (no allocation for path, host, header and method
 * conditions); {@code forward} picks a target group by weight and a target of it by the group's algorithm, among
 * its healthy targets, or among all of them when none is healthy (failing open, as the ALB does); a
 * {@code fixed-response} is answered from a response made at compile time; a {@code redirect} builds its
 * {@code Location}.
 */
final class InProcessRules extends TargetGroupRouting<InProcessRules.View> {
  /**
   * The answer of an ALB whose target group has no target to send to: 503 and its HTML page (what API Gateway
   * would pass on).
   */
  static final DirectResponse NO_TARGET = DirectResponse.of(503, "text/html",
      "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
          + "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n");

  /** Everything a request needs, made once per refresh. */
  record View(CompiledRules rules, TargetGroups.Resolved targets, Map<FixedResponse, DirectResponse> fixed, int port,
      boolean secure) {}

  /** The listener as the target last resolved it: its port and protocol are what port and TLS rules see. */
  private final Supplier<@Nullable ElbListener> listener;
  private final FastThreadLocal<Adapter> adapters = new FastThreadLocal<>() {
    @Override
    protected Adapter initialValue() {
      return new Adapter();
    }
  };

  /** Each target group with its own algorithm ({@code load_balancing.algorithm.type}). */
  InProcessRules(InProcessRouting.Setup setup) {
    super(setup, LoadBalancerTypeEnum.APPLICATION, "in-process listener rules",
        "NlbOptions.inProcessTargets (gatelink-nlb)", null, "DescribeRules", "rules");
    this.listener = setup.listener();
  }

  /**
   * Decides for a request: a target of the group a rule forwards to, or the answer of a fixed response or a
   * redirect.
   *
   * @return the selection, or null before the first load
   */
  @Override
  public @Nullable Selection select(TargetRequest request) {
    View view = view();
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
        Endpoint endpoint = view.targets().pick(forward.pick(ThreadLocalRandom.current().nextInt()));
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

  @Override
  protected TargetGroups.Resolved targets(View view) {
    return view.targets();
  }

  // ---------------------------------------------------------------- loading

  @Override
  protected CompletionStage<View> load() {
    ElbListener now = listener.get();
    int port = now == null ? 80 : now.port();
    boolean secure = now != null && now.tls();
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
      return targetGroups().resolve(arns).thenApply(targets -> new View(compiled, targets, Map.copyOf(fixed), port,
          secure));
    });
  }

  /** Every page of the listener's rules. */
  private CompletableFuture<List<Rule>> rules(@Nullable String marker, List<Rule> so) {
    return elb().call(() -> elb().client().describeRules(r -> r.listenerArn(listenerArn()).marker(marker)))
        .thenCompose(page -> {
          so.addAll(page.rules());
          return page.nextMarker() == null || page.nextMarker().isEmpty() ? CompletableFuture.completedFuture(so)
              : rules(page.nextMarker(), so);
        });
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
