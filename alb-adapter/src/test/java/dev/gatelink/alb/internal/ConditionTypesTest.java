package dev.gatelink.alb.internal;

import static dev.gatelink.alb.internal.RuleCondition.KeyValue;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per condition type, wildcard rule and case rule, from the examples of the Elastic Load Balancing
 * documentation ("Condition types for listener rules"), each also checked against the {@link ReferenceEvaluator}.
 */
class ConditionTypesTest {
  private static final FixedResponseConfig HIT = new FixedResponseConfig("200", "text/plain", "hit");
  private static final FixedResponseConfig MISS = new FixedResponseConfig("404", "text/plain", "miss");

  /** Whether a request takes the rule made of these conditions (and agrees with the reference). */
  static boolean hits(TestRequest request, RuleCondition... conditions) {
    List<ListenerRule> rules = List.of(ListenerRule.of(1, HIT, conditions), ListenerRule.defaultRule(MISS));
    CompiledRules compiled = CompiledRules.compile(rules);
    boolean hit = compiled.match(request) == rules.get(0);
    assertThat(new ReferenceEvaluator(rules).match(request) == rules.get(0)).as("reference for " + request)
        .isEqualTo(hit);
    assertThat(((FixedResponse) compiled.evaluate(request)).messageBody()).isEqualTo(hit ? "hit" : "miss");
    return hit;
  }

  // --- host-header -----------------------------------------------------------------------------

  @Test
  void hostHeaderWildcardMatchesSubdomainButNotTheDomain() {
    // "The rule *.example.com matches test.example.com but doesn't match example.com."
    RuleCondition host = RuleCondition.hostHeader("*.example.com");
    assertThat(hits(TestRequest.get("/").host("test.example.com"), host)).isTrue();
    assertThat(hits(TestRequest.get("/").host("example.com"), host)).isFalse();
  }

  @Test
  void hostHeaderIsCaseInsensitive() {
    RuleCondition host = RuleCondition.hostHeader("test.example.com");
    assertThat(hits(TestRequest.get("/").host("TEST.Example.COM"), host)).isTrue();
    assertThat(hits(TestRequest.get("/").host("test.example.org"), host)).isFalse();
  }

  @Test
  void hostHeaderWithPortMatchesOnlyWithTheProtocolsDefaultPort() {
    RuleCondition host = RuleCondition.hostHeader("example.com");
    assertThat(hits(TestRequest.get("/").host("example.com:80").http(80), host)).isTrue();
    assertThat(hits(TestRequest.get("/").host("example.com:443").https(443), host)).isTrue();
    assertThat(hits(TestRequest.get("/").host("example.com:443").http(80), host)).isFalse();
    assertThat(hits(TestRequest.get("/").host("example.com:8443").https(8443), host)).isFalse();
    assertThat(hits(TestRequest.get("/").host("a.example.com:8080").http(8080), RuleCondition.hostHeader("*.com")))
        .isFalse();
  }

  @Test
  void hostHeaderAbsentMatchesNothing() {
    assertThat(hits(TestRequest.get("/").host(null), RuleCondition.hostHeader("*.com"))).isFalse();
  }

  // --- path-pattern ----------------------------------------------------------------------------

  @Test
  void pathPatternMatchesThePathOnlyNotTheQuery() {
    // Example path patterns /img/* and /js/*; "The path pattern is applied only to the path of the URL, not to
    // its query parameters."
    RuleCondition path = RuleCondition.pathPattern("/img/*", "/js/*");
    assertThat(hits(TestRequest.get("/img/picture.jpg"), path)).isTrue();
    assertThat(hits(TestRequest.get("/js/app.js?v=1"), path)).isTrue();
    assertThat(hits(TestRequest.get("/css/site.css?x=/img/a"), path)).isFalse();
    assertThat(hits(TestRequest.get("/img"), path)).isFalse();
  }

  @Test
  void pathPatternIsCaseSensitive() {
    RuleCondition path = RuleCondition.pathPattern("/img/*");
    assertThat(hits(TestRequest.get("/IMG/picture.jpg"), path)).isFalse();
    assertThat(hits(TestRequest.get("/Img/picture.jpg"), path)).isFalse();
  }

  @Test
  void pathPatternMatchesThePathAsReceivedNotDecoded() {
    RuleCondition path = RuleCondition.pathPattern("/img/a*");
    assertThat(hits(TestRequest.get("/img/a%20b.jpg"), path)).isTrue();
    assertThat(hits(TestRequest.get("/img/%61.jpg"), path)).isFalse();
  }

  // --- wildcards -------------------------------------------------------------------------------

  @Test
  void starMatchesZeroOrMoreCharacters() {
    RuleCondition path = RuleCondition.pathPattern("/a*b");
    assertThat(hits(TestRequest.get("/ab"), path)).isTrue();
    assertThat(hits(TestRequest.get("/axyzb"), path)).isTrue();
    assertThat(hits(TestRequest.get("/a/b/c/b"), path)).isTrue();
    assertThat(hits(TestRequest.get("/abc"), path)).isFalse();
  }

  @Test
  void questionMarkMatchesExactlyOneCharacter() {
    RuleCondition path = RuleCondition.pathPattern("/a?b");
    assertThat(hits(TestRequest.get("/axb"), path)).isTrue();
    assertThat(hits(TestRequest.get("/a/b"), path)).isTrue();
    assertThat(hits(TestRequest.get("/ab"), path)).isFalse();
    assertThat(hits(TestRequest.get("/axxb"), path)).isFalse();
  }

  @Test
  void wildcardsCombine() {
    RuleCondition path = RuleCondition.pathPattern("*/v?/*.json");
    assertThat(hits(TestRequest.get("/api/v1/orders.json"), path)).isTrue();
    assertThat(hits(TestRequest.get("/v2/.json"), path)).isTrue();
    assertThat(hits(TestRequest.get("/api/v10/orders.json"), path)).isFalse();
  }

  // --- http-header -----------------------------------------------------------------------------

  @Test
  void httpHeaderMatchesAnyOfItsValues() {
    // "satisfied by requests with a User-Agent header that matches one of the specified strings"
    RuleCondition userAgent = RuleCondition.httpHeader("User-Agent", "*Chrome*", "*Safari*");
    assertThat(hits(TestRequest.get("/").header("User-Agent", "Mozilla/5.0 (X11) Chrome/120.0"), userAgent))
        .isTrue();
    assertThat(hits(TestRequest.get("/").header("User-Agent", "Mozilla/5.0 (Macintosh) Safari/605"), userAgent))
        .isTrue();
    assertThat(hits(TestRequest.get("/").header("User-Agent", "curl/8.5.0"), userAgent)).isFalse();
    assertThat(hits(TestRequest.get("/"), userAgent)).isFalse();
  }

  @Test
  void httpHeaderNameAndValueAreCaseInsensitive() {
    RuleCondition userAgent = RuleCondition.httpHeader("User-Agent", "*Chrome*");
    assertThat(hits(TestRequest.get("/").header("user-agent", "mozilla CHROME"), userAgent)).isTrue();
    assertThat(hits(TestRequest.get("/").header("USER-AGENT", "chrome"), userAgent)).isTrue();
  }

  @Test
  void httpHeaderSearchesRepeatedHeadersInOrder() {
    RuleCondition header = RuleCondition.httpHeader("X-Env", "beta");
    assertThat(hits(TestRequest.get("/").header("X-Env", "prod").header("X-Env", "beta"), header)).isTrue();
    // A header line's value is matched whole, not split at commas.
    assertThat(hits(TestRequest.get("/").header("X-Env", "prod, beta"), header)).isFalse();
  }

  // --- http-request-method ---------------------------------------------------------------------

  @Test
  void httpRequestMethodIsExactAndCaseSensitive() {
    RuleCondition method = RuleCondition.httpRequestMethod("CUSTOM-METHOD");
    assertThat(hits(TestRequest.get("/").method("CUSTOM-METHOD"), method)).isTrue();
    assertThat(hits(TestRequest.get("/").method("custom-method"), method)).isFalse();
    assertThat(hits(TestRequest.get("/").method("CUSTOM-METHODS"), method)).isFalse();
    RuleCondition getOrHead = RuleCondition.httpRequestMethod("GET", "HEAD");
    assertThat(hits(TestRequest.get("/").method("HEAD"), getOrHead)).isTrue();
    assertThat(hits(TestRequest.get("/").method("POST"), getOrHead)).isFalse();
  }

  // --- query-string ----------------------------------------------------------------------------

  @Test
  void queryStringMatchesAPairOrAValueOfAnyKey() {
    // "satisfied by requests with a query string that includes either a key/value pair of "version=v1" or any
    // key set to "example""
    RuleCondition query = RuleCondition.queryString(KeyValue.of("version", "v1"), KeyValue.value("example"));
    assertThat(hits(TestRequest.get("/?version=v1"), query)).isTrue();
    assertThat(hits(TestRequest.get("/?a=1&version=v1&b=2"), query)).isTrue();
    assertThat(hits(TestRequest.get("/?anything=example"), query)).isTrue();
    assertThat(hits(TestRequest.get("/?version=v2"), query)).isFalse();
    assertThat(hits(TestRequest.get("/?v1=version"), query)).isFalse();
    assertThat(hits(TestRequest.get("/"), query)).isFalse();
  }

  @Test
  void queryStringIsCaseInsensitive() {
    RuleCondition query = RuleCondition.queryString(KeyValue.of("version", "v1"));
    assertThat(hits(TestRequest.get("/?VERSION=V1"), query)).isTrue();
  }

  @Test
  void queryStringIsPercentDecoded() {
    // "Any character can be percentage encoded."
    RuleCondition query = RuleCondition.queryString(KeyValue.of("version", "v1"));
    assertThat(hits(TestRequest.get("/?%76ersion=v%31"), query)).isTrue();
    assertThat(hits(TestRequest.get("/?version%3Dv1"), query)).isFalse();
    RuleCondition city = RuleCondition.queryString(KeyValue.of("city", "krak?w"));
    assertThat(hits(TestRequest.get("/?city=Krak%C3%B3w"), city)).isTrue();
    assertThat(hits(TestRequest.get("/?city=Krak%C3w"), city)).isTrue();
    assertThat(hits(TestRequest.get("/?city=Krak%C3%B3%C3%B3w"), city)).isFalse();
    // '+' is itself (RFC 3986), not a space.
    assertThat(hits(TestRequest.get("/?q=a+b"), RuleCondition.queryString(KeyValue.of("q", "a+b")))).isTrue();
  }

  @Test
  void queryStringEscapedWildcardsAreLiteral() {
    // "To search for a literal '*' or '?' character in a query string, you must escape these characters in
    // Values using a '\' character."
    RuleCondition query = RuleCondition.queryString(KeyValue.of("q", "a\\*"));
    assertThat(hits(TestRequest.get("/?q=a*"), query)).isTrue();
    assertThat(hits(TestRequest.get("/?q=a%2A"), query)).isTrue();
    assertThat(hits(TestRequest.get("/?q=ab"), query)).isFalse();
    RuleCondition question = RuleCondition.queryString(KeyValue.value("why\\?"));
    assertThat(hits(TestRequest.get("/?q=why%3F"), question)).isTrue();
    assertThat(hits(TestRequest.get("/?q=whyX"), question)).isFalse();
  }

  @Test
  void queryStringParameterWithoutEqualsHasAnEmptyValue() {
    assertThat(hits(TestRequest.get("/?debug"), RuleCondition.queryString(KeyValue.of("debug", "*")))).isTrue();
    assertThat(hits(TestRequest.get("/?debug"), RuleCondition.queryString(KeyValue.value("debug")))).isFalse();
    assertThat(hits(TestRequest.get("/?&&a=1&"), RuleCondition.queryString(KeyValue.of("a", "1")))).isTrue();
  }

  // --- source-ip -------------------------------------------------------------------------------

  @Test
  void sourceIpMatchesCidrBlocks() {
    // "satisfied by requests with a source IP address in one of the specified CIDR blocks"
    RuleCondition sourceIp = RuleCondition.sourceIp("192.0.2.0/24", "198.51.100.10/32");
    assertThat(hits(TestRequest.get("/").from("192.0.2.55"), sourceIp)).isTrue();
    assertThat(hits(TestRequest.get("/").from("198.51.100.10"), sourceIp)).isTrue();
    assertThat(hits(TestRequest.get("/").from("198.51.100.11"), sourceIp)).isFalse();
    assertThat(hits(TestRequest.get("/").from("192.0.3.1"), sourceIp)).isFalse();
    assertThat(hits(TestRequest.get("/").from(null), sourceIp)).isFalse();
  }

  @Test
  void sourceIpMatchesIpv6Blocks() {
    RuleCondition sourceIp = RuleCondition.sourceIp("2001:db8::/32");
    assertThat(hits(TestRequest.get("/").from("2001:db8:1::5"), sourceIp)).isTrue();
    assertThat(hits(TestRequest.get("/").from("2001:DB8::1%eth0"), sourceIp)).isTrue();
    assertThat(hits(TestRequest.get("/").from("2001:db9::1"), sourceIp)).isFalse();
    assertThat(hits(TestRequest.get("/").from("192.0.2.1"), sourceIp)).isFalse();
  }

  @Test
  void sourceIpReadsAnIpv4MappedAddressAsIpv4() {
    RuleCondition sourceIp = RuleCondition.sourceIp("192.0.2.0/24");
    assertThat(hits(TestRequest.get("/").from("::ffff:192.0.2.7"), sourceIp)).isTrue();
    assertThat(hits(TestRequest.get("/").from("::ffff:c000:207"), sourceIp)).isTrue();
  }

  @Test
  void sourceIpIgnoresXForwardedFor() {
    // "This condition is not satisfied by the addresses in the X-Forwarded-For header."
    RuleCondition sourceIp = RuleCondition.sourceIp("192.0.2.0/24");
    assertThat(hits(TestRequest.get("/").from("203.0.113.9").header("X-Forwarded-For", "192.0.2.1"), sourceIp))
        .isFalse();
    assertThat(hits(TestRequest.get("/").from("203.0.113.9").header("X-Forwarded-For", "192.0.2.1"),
        RuleCondition.httpHeader("X-Forwarded-For", "192.0.2.*"))).isTrue();
  }

  // --- combining -------------------------------------------------------------------------------

  @Test
  void conditionsAreAndedValuesOred() {
    RuleCondition[] both = {RuleCondition.pathPattern("/api/*"), RuleCondition.httpRequestMethod("GET", "HEAD")};
    assertThat(hits(TestRequest.get("/api/a").method("HEAD"), both)).isTrue();
    assertThat(hits(TestRequest.get("/api/a").method("POST"), both)).isFalse();
    assertThat(hits(TestRequest.get("/web/a").method("GET"), both)).isFalse();
    // Two http-header conditions: both must hold.
    RuleCondition[] headers = {RuleCondition.httpHeader("X-A", "1"), RuleCondition.httpHeader("X-B", "2")};
    assertThat(hits(TestRequest.get("/").header("X-A", "1").header("X-B", "2"), headers)).isTrue();
    assertThat(hits(TestRequest.get("/").header("X-A", "1"), headers)).isFalse();
  }

  @Test
  void rulesAreEvaluatedInPriorityOrderThenTheDefaultRule() {
    List<ListenerRule> rules = List.of(
        ListenerRule.of(20, new FixedResponseConfig("200", null, "twenty"), RuleCondition.pathPattern("/a*")),
        ListenerRule.defaultRule(new FixedResponseConfig("404", null, "default")),
        ListenerRule.of(5, new FixedResponseConfig("200", null, "five"), RuleCondition.pathPattern("/ab*")),
        ListenerRule.of(10, new FixedResponseConfig("200", null, "ten"), RuleCondition.pathPattern("/abc")));
    CompiledRules compiled = CompiledRules.compile(rules);
    assertThat(body(compiled, "/abc")).isEqualTo("five");
    assertThat(body(compiled, "/ax")).isEqualTo("twenty");
    assertThat(body(compiled, "/b")).isEqualTo("default");
    assertThat(compiled.rules()).extracting(ListenerRule::priority).containsExactly(5, 10, 20, 0);
  }

  private static String body(CompiledRules compiled, String path) {
    return ((FixedResponse) compiled.evaluate(TestRequest.get(path))).messageBody();
  }
}
