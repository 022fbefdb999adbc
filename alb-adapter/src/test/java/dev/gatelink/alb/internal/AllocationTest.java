package dev.gatelink.alb.internal;

import static dev.gatelink.alb.internal.RuleCondition.KeyValue;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CompiledRules#evaluate(RuleRequest)} allocates nothing, whatever the conditions it walks: measured with
 * the thread's allocation counter over many evaluations, interpreted and compiled alike.
 */
class AllocationTest {

  @Test
  void evaluationAllocatesNothing() {
    List<ListenerRule> rules = List.of(
        ListenerRule.of(1, ForwardConfig.to("tg-ip"), RuleCondition.sourceIp("10.0.0.0/8", "2001:db8::/32")),
        ListenerRule.of(2, ForwardConfig.to("tg-query"),
            RuleCondition.queryString(KeyValue.of("version", "v?"), KeyValue.value("beta*"))),
        ListenerRule.of(3, ForwardConfig.to("tg-header"), RuleCondition.pathPattern("/api/*"),
            RuleCondition.httpHeader("User-Agent", "*Chrome*", "*Safari*")),
        ListenerRule.of(4, ForwardConfig.to("tg-method"), RuleCondition.httpRequestMethod("POST", "PUT"),
            RuleCondition.pathPattern("/api/*")),
        ListenerRule.of(5, ForwardConfig.to("tg-host"), RuleCondition.hostHeader("*.example.com")),
        ListenerRule.of(6, ForwardConfig.to("tg-path"), RuleCondition.pathPattern("/img/*", "*.png", "/a?c/*")),
        ListenerRule.defaultRule(new FixedResponseConfig("404", "text/plain", "none")));
    CompiledRules compiled = CompiledRules.compile(rules);
    TestRequest[] requests = {
        TestRequest.get("/x").from("10.1.2.3"),
        TestRequest.get("/x").from("2001:db8::7"),
        TestRequest.get("/x?a=1&%76ersion=V2").from("192.0.2.1"),
        TestRequest.get("/api/orders").header("Accept", "*/*").header("User-Agent", "Mozilla Chrome/120"),
        TestRequest.get("/api/orders").method("PUT").header("User-Agent", "curl/8"),
        TestRequest.get("/").host("shop.EXAMPLE.com:443").https(443),
        TestRequest.get("/static/logo.png"),
        TestRequest.get("/nothing/here?q=x").host("other.org").header("User-Agent", "Mozilla Chrome"),
    };
    String[] expected = {"tg-ip", "tg-ip", "tg-query", "tg-header", "tg-method", "tg-host", "tg-path", null};
    for (int i = 0; i < requests.length; i++) {
      RuleAction action = compiled.evaluate(requests[i]);
      assertThat(action instanceof Forward forward ? forward.pick(i) : null).as("%s", requests[i])
          .isEqualTo(expected[i]);
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int rounds = 50_000;
    long sink = 0;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int round = 0; round < rounds; round++) {
      for (TestRequest request : requests) {
        sink += compiled.evaluate(request) instanceof Forward ? 1 : 0;
      }
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(sink).isGreaterThanOrEqualTo(0);
    // 400,000 evaluations: anything allocated per evaluation would show as hundreds of kilobytes.
    assertThat(allocated).as("bytes allocated by %d evaluations", rounds * requests.length).isLessThan(1024);
  }
}
