package dev.gatelink.alb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The actions and the redirect keywords, from the examples of the Elastic Load Balancing documentation
 * ("Action types for listener rules", {@code RedirectActionConfig}).
 */
class ActionsTest {
  private static final String TG_A = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067";
  private static final String TG_B = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/blue/1a2b3c4d5e6f7a8b";

  private static RuleAction only(ActionConfig action) {
    return CompiledRules.compile(List.of(ListenerRule.defaultRule(action))).evaluate(TestRequest.get("/"));
  }

  private static Redirect redirect(RedirectConfig config) {
    return (Redirect) only(config);
  }

  @Test
  void fixedResponse() {
    // "The following action sends a fixed response with the specified status code and message body."
    RuleAction action = only(new FixedResponseConfig("200", "text/plain", "Hello world"));
    assertThat(action).isEqualTo(new FixedResponse(200, "text/plain", "Hello world"));
    assertThat(only(new FixedResponseConfig("503", null, null))).isEqualTo(new FixedResponse(503, null, null));
  }

  @Test
  void forwardToOneTargetGroup() {
    Forward forward = (Forward) only(ForwardConfig.to(TG_A));
    assertThat(forward.targetGroups()).containsExactly(new WeightedTargetGroup(TG_A, 1));
    assertThat(forward.pick(Integer.MIN_VALUE)).isEqualTo(TG_A);
    assertThat(forward.pick(12345)).isEqualTo(TG_A);
    assertThat(forward.stickiness()).isNull();
  }

  @Test
  void forwardPicksByWeight() {
    Forward forward = (Forward) only(new ForwardConfig(
        List.of(new WeightedTargetGroup(TG_A, 80), new WeightedTargetGroup(TG_B, 20)),
        new TargetGroupStickiness(true, 3600)));
    assertThat(forward.totalWeight()).isEqualTo(100);
    assertThat(forward.stickiness()).isEqualTo(new TargetGroupStickiness(true, 3600));
    int a = 0;
    for (int random = -1000; random < 1000; random++) {
      a += TG_A.equals(forward.pick(random)) ? 1 : 0;
    }
    assertThat(a).isEqualTo(1600);
    assertThat(forward.pick(79)).isEqualTo(TG_A);
    assertThat(forward.pick(80)).isEqualTo(TG_B);
    assertThat(forward.pick(-1)).isEqualTo(TG_B);
  }

  @Test
  void forwardNeverPicksWeightZeroAndNothingWhenAllAreZero() {
    Forward forward = (Forward) only(ForwardConfig.weighted(new WeightedTargetGroup(TG_A, 0),
        new WeightedTargetGroup(TG_B, 999)));
    for (int random = -50; random < 50; random++) {
      assertThat(forward.pick(random)).isEqualTo(TG_B);
    }
    Forward none = (Forward) only(ForwardConfig.weighted(new WeightedTargetGroup(TG_A, 0)));
    assertThat(none.pick(7)).isNull();
  }

  @Test
  void redirectHttpToHttpsKeepingHostPathAndQuery() {
    // "redirects an HTTP request to an HTTPS request on port 443, with the same host name, path, and query string"
    Redirect redirect = redirect(new RedirectConfig("HTTPS", "#{host}", "443", "/#{path}", "#{query}", "HTTP_301"));
    TestRequest request = TestRequest.get("/a/b.html?x=1&y=%20").host("www.example.com").http(80);
    assertThat(redirect.statusCode()).isEqualTo(301);
    assertThat(redirect.location(request)).isEqualTo("https://www.example.com/a/b.html?x=1&y=%20");
    assertThat(redirect.location(TestRequest.get("/").host("www.example.com:80").http(80)))
        .isEqualTo("https://www.example.com/");
  }

  @Test
  void redirectToAnotherPortKeepingTheRest() {
    // "https://#{host}:40443/#{path}?#{query}"
    Redirect redirect = redirect(new RedirectConfig("HTTPS", null, "40443", null, null, "HTTP_301"));
    assertThat(redirect.location(TestRequest.get("/p?q=1").host("example.com").http(80)))
        .isEqualTo("https://example.com:40443/p?q=1");
    assertThat(redirect.location(TestRequest.get("/p").host("example.com").http(80)))
        .isEqualTo("https://example.com:40443/p");
  }

  @Test
  void redirectWithAModifiedPath() {
    // "#{protocol}://#{host}:#{port}/new/#{path}?#{query}"
    Redirect redirect = redirect(
        new RedirectConfig("#{protocol}", "#{host}", "#{port}", "/new/#{path}", "#{query}", "HTTP_302"));
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.location(TestRequest.get("/old/page?id=7").host("example.com:8080").http(8080)))
        .isEqualTo("http://example.com:8080/new/old/page?id=7");
    assertThat(redirect.location(TestRequest.get("/x").host("example.com").https(443)))
        .isEqualTo("https://example.com/new/x");
  }

  @Test
  void redirectHostAndQueryKeywords() {
    // "you can change the path to "/new/#{path}", the hostname to "example.#{host}", or the query to
    // "#{query}&value=xyz""
    Redirect redirect = redirect(new RedirectConfig(null, "example.#{host}", null, null, "#{query}&value=xyz",
        "HTTP_301"));
    assertThat(redirect.location(TestRequest.get("/a?b=c").host("shop.com").https(443)))
        .isEqualTo("https://example.shop.com/a?b=c&value=xyz");
  }

  @Test
  void redirectKeywordsInPathAndQuery() {
    Redirect redirect = redirect(new RedirectConfig("HTTP", "new.example.com", "8080", "/#{host}/#{port}/#{path}",
        "from=#{protocol}://#{host}:#{port}/#{path}?#{query}", "HTTP_302"));
    assertThat(redirect.location(TestRequest.get("/p/q?z=1").host("old.example.com:8081").http(8081)))
        .isEqualTo("http://new.example.com:8080/old.example.com/8081/p/q?from=http://old.example.com:8081/p/q?z=1");
  }

  @Test
  void redirectWithAnEmptyQueryDropsIt() {
    Redirect redirect = redirect(new RedirectConfig(null, null, null, "/home", "", "HTTP_301"));
    assertThat(redirect.location(TestRequest.get("/x?drop=me").host("example.com"))).isEqualTo("http://example.com/home");
    Redirect keep = redirect(new RedirectConfig(null, null, null, "/home", null, "HTTP_301"));
    assertThat(keep.location(TestRequest.get("/x").host("example.com"))).isEqualTo("http://example.com/home");
    assertThat(keep.location(TestRequest.get("/x?").host("example.com"))).isEqualTo("http://example.com/home");
  }

  @Test
  void redirectNeverGoesFromHttpsToHttp() {
    // "You can redirect HTTP to HTTP, HTTP to HTTPS, and HTTPS to HTTPS. You cannot redirect HTTPS to HTTP."
    Redirect redirect = redirect(new RedirectConfig("HTTP", "other.example.com", null, null, null, "HTTP_301"));
    assertThat(redirect.location(TestRequest.get("/a").host("example.com").http(80)))
        .isEqualTo("http://other.example.com/a");
    assertThat(redirect.location(TestRequest.get("/a").host("example.com").https(443)))
        .isEqualTo("https://other.example.com/a");
  }

  @Test
  void redirectHostKeywordDropsThePortOfTheHostHeader() {
    Redirect redirect = redirect(new RedirectConfig("HTTPS", null, null, null, null, "HTTP_301"));
    assertThat(redirect.location(TestRequest.get("/").host("example.com:8080").http(8080)))
        .isEqualTo("https://example.com:8080/");
    assertThat(redirect.location(TestRequest.get("/").host("[2001:db8::1]:8080").http(8080)))
        .isEqualTo("https://[2001:db8::1]:8080/");
    assertThat(redirect.location(TestRequest.get("/").host(null).http(80))).isEqualTo("https://:80/");
  }

  @Test
  void redirectsMatchTheReference() {
    RedirectConfig config = new RedirectConfig(null, "#{host}.example.org", "#{port}", "/a/#{path}/#{port}",
        "#{query}&p=#{protocol}", "HTTP_302");
    TestRequest request = TestRequest.get("/x/y?k=v").host("h.example.com:9000").https(9000);
    assertThat(redirect(config).location(request)).isEqualTo(ReferenceEvaluator.location(config, request))
        .isEqualTo("https://h.example.com.example.org:9000/a/x/y/9000?k=v&p=https");
  }
}
