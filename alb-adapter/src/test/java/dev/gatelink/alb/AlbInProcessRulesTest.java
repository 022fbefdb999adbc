package dev.gatelink.alb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.aws.AwsOptions;
import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.target.RefreshSettings;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.MotoServerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * In-process listener rules against moto's ELBv2: the listener's rules, target groups (of ip targets on
 * loopback) and target health are read and applied by Gatelink, which sends each request straight to a target.
 * The load balancer's DNS name resolves nowhere here: nothing goes through it.
 */
@ExtendWith(MotoServerExtension.class)
class AlbInProcessRulesTest {
  private Vertx vertx;
  private MotoElb moto;
  private final List<LoopbackBackend> backends = new ArrayList<>();
  private Gateway gateway;
  private HttpServer front;
  private LoadBalancer balancer;
  private String vpcGroupOrders;
  private String vpcGroupBilling;
  private String listener;
  /** Targets a test marks unhealthy: DescribeTargetHealth's answers are rewritten on their way in. */
  private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start(MotoServer server) throws Exception {
    server.reset();
    vertx = Vertx.vertx();
    moto = new MotoElb(server);
    for (String[] node : new String[][] {{"orders-a", "127.0.0.2"}, {"orders-b", "127.0.0.3"},
        {"billing", "127.0.0.4"}}) {
      backends.add(LoopbackBackend.startAt(vertx, node[0], node[1], 0, null));
    }
    balancer = moto.loadBalancer("orders", LoadBalancerTypeEnum.APPLICATION);
    vpcGroupOrders = ipGroup("orders", backends.get(0), backends.get(1));
    vpcGroupBilling = ipGroup("billing", backends.get(2));
    listener = moto.elb.createListener(r -> r.loadBalancerArn(balancer.loadBalancerArn()).protocol(ProtocolEnum.HTTP)
        .port(80).defaultActions(a -> a.type("fixed-response").fixedResponseConfig(f -> f.statusCode("404")
            .contentType("text/plain").messageBody("no route")))).listeners().get(0).listenerArn();
  }

  @AfterEach
  void stop() throws Exception {
    if (front != null) {
      front.close().await(10, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close().await(10, TimeUnit.SECONDS);
    }
    for (LoopbackBackend backend : backends) {
      backend.close();
    }
    moto.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private String ipGroup(String name, LoopbackBackend... targets) {
    String arn = moto.elb.createTargetGroup(r -> r.name(name).protocol(ProtocolEnum.HTTP).port(80)
        .vpcId(moto.elb.describeLoadBalancers().loadBalancers().get(0).vpcId()).targetType(TargetTypeEnum.IP))
        .targetGroups().get(0).targetGroupArn();
    moto.elb.registerTargets(r -> r.targetGroupArn(arn).targets(java.util.Arrays.stream(targets)
        .map(t -> software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription.builder()
            .id(t.host()).port(t.port()).build()).toList()));
    return arn;
  }

  private void rule(int priority, java.util.function.Consumer<
      software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition.Builder> condition, Action action) {
    moto.elb.createRule(r -> r.listenerArn(listener).priority(priority).conditions(condition).actions(action));
  }

  private static Action forward(String group) {
    return Action.builder().type("forward").targetGroupArn(group).build();
  }

  /** Marks targets unhealthy in DescribeTargetHealth's answers. */
  private ExecutionInterceptor health() {
    return new ExecutionInterceptor() {
      @Override
      public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (!(context.response() instanceof DescribeTargetHealthResponse response)) {
          return context.response();
        }
        List<TargetHealthDescription> rewritten = new ArrayList<>();
        for (TargetHealthDescription target : response.targetHealthDescriptions()) {
          rewritten.add(unhealthy.contains(target.target().id())
              ? target.toBuilder().targetHealth(h -> h.state(TargetHealthStateEnum.UNHEALTHY)).build() : target);
        }
        return response.toBuilder().targetHealthDescriptions(rewritten).build();
      }
    };
  }

  private void startGateway(MotoServer server) throws Exception {
    Integration integration = Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vl-1")
        .uri(listener).targetOptions(AlbOptions.builder().inProcessRules(true).build()).build();
    gateway = Gateway.builder(vertx, ApiDefinition.builder().route("ANY /{proxy+}", integration).build())
        .targetProvider(AlbTargetProvider.builder()
            .aws(AwsOptions.builder().endpoint(server.endpoint()).credentials(MotoElb.CREDENTIALS)
                .clientConfiguration(c -> c.addExecutionInterceptor(health())).build())
            .refresh(RefreshSettings.builder().refreshInterval(Duration.ofMillis(200))
                .maxAge(Duration.ofMillis(200)).maxStaleness(null).build())
            .build())
        .start().await(20, TimeUnit.SECONDS);
    front = vertx.createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0)).requestHandler(gateway)
        .listen().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.actualPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String answer(String method, String path, String... headers) throws Exception {
    HttpResponse<String> response = send(method, path, headers);
    return response.statusCode() + " " + response.body();
  }

  private Map<String, Integer> spread(int requests, String path) throws Exception {
    Map<String, Integer> byBackend = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = send("GET", path);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      byBackend.merge(response.headers().firstValue("x-backend").orElseThrow(), 1, Integer::sum);
    }
    return byBackend;
  }

  @Test
  void eachConditionSendsTheRequestToItsRulesTargetGroupElseTheDefaultRuleAnswers(MotoServer server)
      throws Exception {
    rule(10, c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/orders/*")), forward(vpcGroupOrders));
    rule(20, c -> c.field("http-header").httpHeaderConfig(h -> h.httpHeaderName("X-Team").values("bill*")),
        forward(vpcGroupBilling));
    rule(30, c -> c.field("query-string").queryStringConfig(q -> q.values(v -> v.key("team").value("billing"))),
        forward(vpcGroupBilling));
    rule(40, c -> c.field("http-request-method").httpRequestMethodConfig(m -> m.values("DELETE")),
        Action.builder().type("fixed-response").fixedResponseConfig(f -> f.statusCode("405")
            .contentType("application/json").messageBody("{\"error\":\"read only\"}")).build());
    rule(50, c -> c.field("source-ip").sourceIpConfig(s -> s.values("127.0.0.0/8")).build(),
        forward(vpcGroupBilling));
    startGateway(server);

    assertThat(answer("GET", "/orders/7")).isIn("200 orders-a GET /orders/7", "200 orders-b GET /orders/7");
    assertThat(answer("GET", "/invoices/7", "x-team", "billing")).isEqualTo("200 billing GET /invoices/7");
    assertThat(answer("GET", "/invoices/8?team=billing")).isEqualTo("200 billing GET /invoices/8?team=billing");
    HttpResponse<String> refused = send("DELETE", "/invoices/9");
    assertThat(refused.statusCode()).isEqualTo(405);
    assertThat(refused.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(refused.body()).isEqualTo("{\"error\":\"read only\"}");
    assertThat(backends).allSatisfy(backend -> assertThat(backend.seen().stream()
        .filter(seen -> seen.method().equals("DELETE"))).isEmpty());
    // The client is on loopback: the source-ip rule takes what the rules above did not.
    assertThat(answer("GET", "/invoices/10")).isEqualTo("200 billing GET /invoices/10");
    assertThat(spread(4, "/orders/1")).isEqualTo(Map.of("orders-a", 2, "orders-b", 2));
  }

  @Test
  void theDefaultRuleAnswersWhatNoRuleMatches(MotoServer server) throws Exception {
    rule(10, c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/orders/*")), forward(vpcGroupOrders));
    startGateway(server);

    HttpResponse<String> response = send("GET", "/catalog/1");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
    assertThat(response.body()).isEqualTo("no route");
  }

  @Test
  void aRedirectFillsItsPlaceholdersFromTheRequest(MotoServer server) throws Exception {
    rule(10, c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/old/*")), Action.builder()
        .type("redirect").redirectConfig(r -> r.protocol("HTTPS").host("#{host}").port("8443")
            .path("/new/#{path}").query("from=old&#{query}").statusCode(RedirectActionStatusCodeEnum.HTTP_301))
        .build());
    startGateway(server);

    HttpResponse<String> response = send("GET", "/old/orders/7?page=2");

    assertThat(response.statusCode()).isEqualTo(301);
    assertThat(response.headers().firstValue("location"))
        .hasValue("https://127.0.0.1:8443/new/old/orders/7?from=old&page=2");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void aWeightedForwardSpreadsRequestsOverItsTargetGroups(MotoServer server) throws Exception {
    rule(10, c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/split/*")), Action.builder()
        .type("forward").forwardConfig(f -> f.targetGroups(
            t -> t.targetGroupArn(vpcGroupOrders).weight(1), t -> t.targetGroupArn(vpcGroupBilling).weight(3)))
        .build());
    startGateway(server);

    Map<String, Integer> spread = spread(60, "/split/1");

    assertThat(spread.getOrDefault("orders-a", 0) + spread.getOrDefault("orders-b", 0)).isPositive();
    assertThat(spread.get("billing")).isGreaterThan(spread.getOrDefault("orders-a", 0)
        + spread.getOrDefault("orders-b", 0));
  }

  @Test
  void onlyHealthyTargetsGetRequestsAndAGroupWithNoneHealthyFailsOpen(MotoServer server) throws Exception {
    rule(10, c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/orders/*")), forward(vpcGroupOrders));
    unhealthy.add("127.0.0.2");
    startGateway(server);

    assertThat(spread(4, "/orders/1")).isEqualTo(Map.of("orders-b", 4));

    unhealthy.add("127.0.0.3");
    await().atMost(Duration.ofSeconds(10)).until(() -> spread(4, "/orders/1").size() == 2);
    assertThat(spread(4, "/orders/1")).isEqualTo(Map.of("orders-a", 2, "orders-b", 2));
  }

  @Test
  void aChangedRuleIsPickedUpByTheBackgroundRefresh(MotoServer server) throws Exception {
    rule(10, c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/orders/*")), forward(vpcGroupOrders));
    startGateway(server);
    assertThat(answer("GET", "/orders/1")).startsWith("200 orders-");

    String rule = moto.elb.describeRules(r -> r.listenerArn(listener)).rules().stream()
        .filter(each -> "10".equals(each.priority())).findFirst().orElseThrow().ruleArn();
    moto.elb.modifyRule(r -> r.ruleArn(rule).actions(forward(vpcGroupBilling)));

    await().atMost(Duration.ofSeconds(10)).until(() -> answer("GET", "/orders/2").startsWith("200 billing"));
    assertThat(answer("GET", "/orders/3")).isEqualTo("200 billing GET /orders/3");
  }
}
