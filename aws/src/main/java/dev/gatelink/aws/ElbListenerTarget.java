package dev.gatelink.aws;

import dev.gatelink.target.DnsSettings;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.EndpointPicker;
import dev.gatelink.target.EndpointSet;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.OutlierDetector;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.target.RefreshingSnapshot;
import dev.gatelink.target.Selection;
import dev.gatelink.target.TargetRequest;
import dev.gatelink.target.ResolvedHost;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.target.TlsPolicy;
import dev.gatelink.target.TrustMaterial;
import dev.gatelink.target.LoadBalancing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * An Elastic Load Balancing listener as a target, for the ALB and NLB adapters: the listener is resolved
 * ({@code DescribeListeners}, {@code DescribeLoadBalancers}) to its load balancer's type, DNS name, port and
 * protocol and kept fresh; the name is kept resolved to all its addresses ({@link ResolvedHost}); each request
 * goes to one of them, picked by an {@link EndpointPicker}, with the client's {@code Host}. Or, with an
 * {@link InProcessRouting} (an ALB's listener rules, an NLB's in-process targets), straight to a target the
 * routing picks; a routing of the other type of load balancer than the listener's fails the start, naming what to
 * use instead.
 *
 * <p>TLS follows the integration exactly as API Gateway does (spec 2.4): TLS with {@code serverNameToVerify} as
 * SNI and verification name when the integration has a {@code tlsConfig}, plain HTTP otherwise, whatever the
 * listener's protocol. What that means per listener protocol: an ALB's HTTP listener with {@code tlsConfig},
 * or its HTTPS listener without, fails; an NLB's TCP listener passes TLS through to the target (its certificate
 * must match), its TLS listener ends TLS at the load balancer and fails without {@code tlsConfig}. A listener
 * whose protocol does not fit is logged once, naming the integration, the listener and what to change; its
 * requests then fail as API Gateway's would. The load balancer's type comes from {@code DescribeLoadBalancers},
 * never from the ARN (moto writes {@code app} in every one), so the same target serves either type.
 */
public final class ElbListenerTarget implements Target {
  private static final System.Logger LOG = System.getLogger(ElbListenerTarget.class.getName());

  /** Where requests go now: the listener as last resolved, and its addresses. */
  private record Addresses(ElbListener listener, @Nullable ResolvedHost resolved, @Nullable EndpointSet fixed) {
    @Nullable EndpointSet current() {
      return fixed != null ? fixed : resolved == null ? null : resolved.current();
    }

    void close() {
      if (resolved != null) {
        resolved.close();
      }
    }
  }

  private final Vertx vertx;
  private final TargetContext context;
  private final ElbListenerArn arn;
  private final TargetSpec spec;
  private final ElbListeners listeners;
  private final RefreshingSnapshot<ElbListener> listener;
  private final RefreshSettings refresh;
  private final DnsSettings dns;
  private final EndpointPicker picker;
  private final TlsPolicy tls;
  private final String description;
  private final AtomicBoolean mismatchLogged = new AtomicBoolean();
  private volatile @Nullable Addresses addresses;
  private volatile @Nullable Future<Void> started;
  private volatile long watch = -1;
  private volatile boolean closed;
  /** In-process routing (an ALB's rules, an NLB's targets), or null when requests go to the load balancer. */
  private final @Nullable InProcessRouting rules;

  /**
   * A listener target.
   *
   * @param context the gateway's context: Vert.x, and the address overrides ({@code --resolve}) consulted for the
   *     load balancer's DNS name
   * @param kind what the provider calls it in messages, such as {@code ALB listener}
   * @param arn the listener ARN
   * @param spec the integration
   * @param balancing how requests spread over the load balancer's addresses
   * @param trust the certificates the integration trusts instead of the gateway's, or null
   * @param listeners the ELBv2 resolver; closed with the target
   * @param refresh how often the listener is described again
   * @param dns how the load balancer's name is resolved
   * @param outliers passive ejection of addresses
   * @param routing in-process routing, or null; closed with the target
   */
  public ElbListenerTarget(TargetContext context, String kind, ElbListenerArn arn, TargetSpec spec,
      LoadBalancing balancing, @Nullable TrustMaterial trust, ElbListeners listeners, RefreshSettings refresh,
      DnsSettings dns, OutlierDetector outliers, @Nullable InProcessRouting routing) {
    this.vertx = context.vertx();
    this.context = context;
    this.arn = arn;
    this.spec = spec;
    this.listeners = listeners;
    this.refresh = refresh;
    this.dns = dns;
    this.description = kind + " " + arn;
    this.listener = listeners.watch(arn.arn(), refresh,
        failure -> LOG.log(System.Logger.Level.WARNING, failure));
    this.picker = new EndpointPicker(balancing, outliers);
    this.rules = routing;
    this.tls = TlsPolicy.ofNullable(spec.privateIntegration() ? spec.serverNameToVerify() : null)
        .withTrust(spec.serverNameToVerify() == null ? null : trust);
  }

  @Override
  public synchronized Future<Void> start() {
    Future<Void> running = started;
    if (running != null) {
      return running;
    }
    Promise<Void> ready = Promise.promise();
    listener.ready().whenComplete((resolved, error) -> {
      if (error != null) {
        ready.fail(new IllegalStateException(description + " cannot be resolved: " + error.getMessage(), error));
        return;
      }
      String refused = refusal(resolved);
      if (refused != null) {
        ready.fail(new IllegalStateException(refused));
        return;
      }
      checkProtocol(resolved);
      if (rules != null) {
        // In-process routing sends requests to the targets themselves: the load balancer's name is not used.
        rules.ready().whenComplete((view, failure) -> {
          if (failure != null) {
            ready.fail(new IllegalStateException(description + ": " + rules.describe() + " cannot be applied: "
                + failure.getMessage(), failure));
          } else {
            ready.complete();
          }
        });
        return;
      }
      open(resolved).onComplete(opened -> {
        if (opened.failed()) {
          ready.fail(opened.cause());
          return;
        }
        addresses = opened.result();
        if (!closed) {
          long every = Math.max(1, refresh.refreshInterval().toMillis());
          watch = vertx.setPeriodic(every, every, id -> followListener());
        }
        ready.complete();
      });
    });
    started = ready.future();
    return ready.future();
  }

  /** {@return the listener as last resolved, or null before the first resolution} */
  public @Nullable ElbListener listener() {
    return listener.current();
  }

  /** Why a listener cannot be this target, or null. */
  private @Nullable String refusal(ElbListener resolved) {
    LoadBalancerTypeEnum type = resolved.type();
    if (type != LoadBalancerTypeEnum.APPLICATION && type != LoadBalancerTypeEnum.NETWORK) {
      return description + " belongs to a " + type + " load balancer (" + resolved.dnsName()
          + "): expected an application or a network load balancer's listener";
    }
    if (rules != null && type != rules.loadBalancerType()) {
      return description + " belongs to " + withArticle(type) + " load balancer (" + resolved.dnsName() + "), but "
          + rules.describe() + " apply to " + withArticle(rules.loadBalancerType()) + " load balancer's listener "
          + "only: for " + withArticle(type) + " load balancer's listener use " + rules.alternative() + ", or no "
          + "in-process routing";
    }
    if (resolved.protocol() != ProtocolEnum.HTTP && resolved.protocol() != ProtocolEnum.HTTPS
        && resolved.protocol() != ProtocolEnum.TCP && resolved.protocol() != ProtocolEnum.TLS) {
      return description + " is a " + resolved.protocol() + " listener, which cannot carry HTTP: expected an HTTP "
          + "or HTTPS listener (ALB), or a TCP or TLS listener (NLB)";
    }
    return null;
  }

  /** {@return the type with its indefinite article: {@code an application}, {@code a network}} */
  private static String withArticle(LoadBalancerTypeEnum type) {
    String name = type.toString();
    return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
  }

  /** Logs, once, a listener protocol that does not fit the integration's {@code tlsConfig} (spec 2.4). */
  private void checkProtocol(ElbListener resolved) {
    String problem = protocolProblem(resolved, spec.serverNameToVerify());
    if (problem != null && mismatchLogged.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING, "integration '" + spec.uri() + "'"
          + (spec.connectionId() == null ? "" : " (VPC link " + spec.connectionId() + ")") + ": " + resolved
          + " " + problem);
    }
  }

  /** What is wrong with a listener's protocol for an integration with or without {@code tlsConfig}, or null. */
  static @Nullable String protocolProblem(ElbListener resolved, @Nullable String serverName) {
    ProtocolEnum protocol = resolved.protocol();
    if (protocol == ProtocolEnum.HTTPS && serverName == null) {
      return "is HTTPS, but the integration has no tlsConfig: like API Gateway, Gatelink speaks plain HTTP to "
          + "it, which fails; add tlsConfig.serverNameToVerify with the name on the listener's certificate";
    }
    if (protocol == ProtocolEnum.HTTP && serverName != null) {
      return "is HTTP, but the integration has tlsConfig.serverNameToVerify '" + serverName + "': like API "
          + "Gateway, Gatelink opens TLS to it, which fails; remove tlsConfig, or point the integration at an HTTPS "
          + "listener";
    }
    if (protocol == ProtocolEnum.TLS && serverName == null) {
      return "is TLS, but the integration has no tlsConfig: like API Gateway, Gatelink speaks plain HTTP to it, "
          + "which fails (an integration error); add tlsConfig.serverNameToVerify with the name on the listener's "
          + "certificate, or point the integration at a TCP listener";
    }
    return null;
  }

  /**
   * The addresses of a listener: those its name is mapped to ({@code --resolve}), else its name kept resolved.
   * Creating the resolver reads the system's DNS configuration, so it is done on a worker thread.
   */
  private Future<Addresses> open(ElbListener resolved) {
    Endpoint mapped = context.override(resolved.dnsName() + ":" + resolved.port());
    if (mapped == null) {
      mapped = context.override(resolved.dnsName());
    }
    if (mapped != null) {
      return Future.succeededFuture(new Addresses(resolved, null, EndpointSet.of(List.of(mapped))));
    }
    return vertx.executeBlocking(() -> new ResolvedHost(vertx, resolved.dnsName(), resolved.port(), dns,
            failure -> LOG.log(System.Logger.Level.WARNING, description + ": " + failure)))
        .compose(host -> Future.fromCompletionStage(host.ready())
            .map(endpoints -> new Addresses(resolved, host, null))
            .onFailure(failure -> host.close())
            .recover(failure -> Future.failedFuture(new IllegalStateException(description + ": its load balancer's "
                + "name " + resolved.dnsName() + " does not resolve: " + failure.getMessage(), failure))));
  }

  /** Moves to a listener's new name or port once its addresses are known; the old resolver is then closed. */
  private void followListener() {
    ElbListener now = listener.current();
    Addresses current = addresses;
    if (closed || now == null || current == null || now.equals(current.listener())) {
      return;
    }
    checkProtocol(now);
    if (now.dnsName().equals(current.listener().dnsName()) && now.port() == current.listener().port()) {
      addresses = new Addresses(now, current.resolved(), current.fixed());
      return;
    }
    LOG.log(System.Logger.Level.INFO, description + " moved from " + current.listener() + " to " + now);
    open(now).onComplete(opened -> {
      if (opened.failed()) {
        LOG.log(System.Logger.Level.WARNING, opened.cause().getMessage() + "; requests stay on "
            + current.listener());
        return;
      }
      if (closed || addresses != current) {
        opened.result().close();
        return;
      }
      addresses = opened.result();
      current.close();
    });
  }

  @Override
  public boolean routesByRequest() {
    InProcessRouting inProcess = rules;
    return inProcess != null && inProcess.routesByRequest();
  }

  @Override
  public @Nullable Selection selectNow(TargetRequest request) {
    InProcessRouting inProcess = rules;
    return inProcess != null ? inProcess.select(request) : selectNow();
  }

  @Override
  public Future<Selection> select(TargetRequest request) {
    InProcessRouting inProcess = rules;
    if (inProcess == null) {
      return select().map(endpoint -> endpoint);
    }
    return start().compose(v -> {
      Selection selection = inProcess.select(request);
      return selection != null ? Future.succeededFuture(selection) : Future.failedFuture(nothingToSendTo());
    });
  }

  @Override
  public @Nullable Endpoint selectNow() {
    InProcessRouting inProcess = rules;
    if (inProcess != null) {
      return inProcess.selectEndpoint();
    }
    Addresses now = addresses;
    EndpointSet set = now == null ? null : now.current();
    return set == null ? null : picker.pick(set);
  }

  @Override
  public Future<Endpoint> select() {
    return start().compose(v -> {
      Endpoint picked = selectNow();
      return picked != null ? Future.succeededFuture(picked) : Future.failedFuture(nothingToSendTo());
    });
  }

  /** Why a selection found nothing, once started. */
  private String nothingToSendTo() {
    InProcessRouting inProcess = rules;
    return inProcess == null ? description + ": its load balancer's name resolved to no address"
        : description + ": " + inProcess.describe() + " found no target to send to";
  }

  @Override
  public void report(Endpoint endpoint, Outcome outcome) {
    InProcessRouting inProcess = rules;
    if (inProcess != null) {
      inProcess.report(endpoint, outcome);
    } else {
      picker.report(endpoint, outcome);
    }
  }

  @Override
  public TlsPolicy tls() {
    return tls;
  }

  @Override
  public Future<Void> close() {
    closed = true;
    if (watch >= 0) {
      vertx.cancelTimer(watch);
    }
    listener.close();
    if (rules != null) {
      rules.close();
    }
    Addresses current = addresses;
    if (current != null) {
      current.close();
    }
    return vertx.executeBlocking(() -> {
      listeners.close();
      return null;
    });
  }

  @Override
  public String toString() {
    return description;
  }
}
