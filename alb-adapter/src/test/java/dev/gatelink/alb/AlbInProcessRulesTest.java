package dev.gatelink.alb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.Integration;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.MotoServer;
import dev.gatelink.testing.targets.ListenerTargetTestBase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * In-process listener rules against moto's ELBv2: the listener's rules, target groups (of ip targets on
 * loopback) and target health are read and applied by Gatelink, which sends each request straight to a target.
 * The load balancer's DNS name resolves nowhere here: nothing goes through it.
 */
class AlbInProcessRulesTest extends ListenerTargetTestBase {
  private LoadBalancer balancer;
  private String vpcGroupOrders;
  private String vpcGroupBilling;
  private String listener;

  AlbInProcessRulesTest() {
    super(LoadBalancerTypeEnum.APPLICATION, AlbTargetProvider::builder);
  }

  @BeforeEach
  void start() throws Exception {
    for (String[] node : new String[][] {{"orders-a", "127.0.0.2"}, {"orders-b", "127.0.0.3"},
        {"billing", "127.0.0.4"}}) {
      backends.add(LoopbackBackend.startAt(vertx, node[0], node[1], 0, null));
    }
    balancer = moto.loadBalancer("orders", LoadBalancerTypeEnum.APPLICATION);
    vpcGroupOrders = moto.ipTargetGroup("orders", ProtocolEnum.HTTP, backends.get(0), backends.get(1));
    vpcGroupBilling = moto.ipTargetGroup("billing", ProtocolEnum.HTTP, backends.get(2));
    listener = moto.elb().createListener(r -> r.loadBalancerArn(balancer.loadBalancerArn())
        .protocol(ProtocolEnum.HTTP).port(80).defaultActions(a -> a.type("fixed-response")
            .fixedResponseConfig(f -> f.statusCode("404").contentType("text/plain").messageBody("no route"))))
        .listeners().get(0).listenerArn();
  }

  private void rule(int priority, java.util.function.Consumer<
      software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition.Builder> condition, Action action) {
    moto.elb().createRule(r -> r.listenerArn(listener).priority(priority).conditions(condition).actions(action));
  }

  private static Action forward(String group) {
    return Action.builder().type("forward").targetGroupArn(group).build();
  }

  private void startGateway(MotoServer server) throws Exception {
    startGateway(server, Integration.builder().connectionType(ConnectionType.VPC_LINK).connectionId("vl-1")
        .uri(listener).targetOptions(AlbOptions.builder().inProcessRules(true).build()).build());
  }

  private String answer(String method, String path, String... headers) throws Exception {
    HttpResponse<String> response = send(method, path, headers);
    return response.statusCode() + " " + response.body();
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
    health.set("127.0.0.2", TargetHealthStateEnum.UNHEALTHY);
    startGateway(server);

    assertThat(spread(4, "/orders/1")).isEqualTo(Map.of("orders-b", 4));

    health.set("127.0.0.3", TargetHealthStateEnum.UNHEALTHY);
    await().atMost(Duration.ofSeconds(10)).until(() -> spread(4, "/orders/1").size() == 2);
    assertThat(spread(4, "/orders/1")).isEqualTo(Map.of("orders-a", 2, "orders-b", 2));
  }

  @Test
  void aChangedRuleIsPickedUpByTheBackgroundRefresh(MotoServer server) throws Exception {
    rule(10, c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/orders/*")), forward(vpcGroupOrders));
    startGateway(server);
    assertThat(answer("GET", "/orders/1")).startsWith("200 orders-");

    String rule = moto.elb().describeRules(r -> r.listenerArn(listener)).rules().stream()
        .filter(each -> "10".equals(each.priority())).findFirst().orElseThrow().ruleArn();
    moto.elb().modifyRule(r -> r.ruleArn(rule).actions(forward(vpcGroupBilling)));

    await().atMost(Duration.ofSeconds(10)).until(() -> answer("GET", "/orders/2").startsWith("200 billing"));
    assertThat(answer("GET", "/orders/3")).isEqualTo("200 billing GET /orders/3");
  }
}
