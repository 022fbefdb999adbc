package dev.gatelink.alb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.alb.internal.RuleCondition.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Randomized comparison of {@link CompiledRules} with the {@link ReferenceEvaluator}: random rule sets (every
 * condition type, values from small alphabets so that rules overlap and requests match often) against random
 * requests (percent escapes valid and not, repeated headers, ports in the Host header, IPv4, IPv6, mapped and
 * unparsable addresses), plus the wildcard matcher, redirect locations and weighted picks on their own.
 */
class RulesPropertyTest {

  record Scenario(List<ListenerRule> rules, List<TestRequest> requests) {
    @Override
    public String toString() {
      StringBuilder text = new StringBuilder("rules:");
      for (ListenerRule rule : rules) {
        text.append("\n  ").append(rule.isDefault() ? "default" : rule.priority()).append(' ').append(rule.conditions());
      }
      text.append("\nrequests:");
      for (TestRequest request : requests) {
        text.append("\n  ").append(request);
      }
      return text.toString();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Properties
  // ---------------------------------------------------------------------------------------------

  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  void compiledRulesAgreeWithReference(@ForAll("scenarios") Scenario scenario) {
    CompiledRules compiled = CompiledRules.compile(scenario.rules());
    ReferenceEvaluator reference = new ReferenceEvaluator(scenario.rules());
    for (TestRequest request : scenario.requests()) {
      ListenerRule expected = reference.match(request);
      assertThat(compiled.match(request)).as("%s", request).isSameAs(expected);
      assertThat(((FixedResponse) compiled.evaluate(request)).messageBody()).isEqualTo(body(expected));
    }
  }

  @Property(tries = 5000)
  void wildcardsAgreeWithRegex(@ForAll("patterns") String pattern, @ForAll("texts") String text,
      @ForAll boolean caseInsensitive) {
    WildcardPattern compiled = WildcardPattern.compile(pattern, caseInsensitive, false);
    boolean expected = ReferenceEvaluator.regex(pattern, caseInsensitive, false).matcher(text).matches();
    assertThat(compiled.matches(text)).as("'%s' ~ '%s'", text, pattern).isEqualTo(expected);
    String padded = "#" + text + "#";
    assertThat(compiled.matches(padded, 1, padded.length() - 1)).isEqualTo(expected);
  }

  @Property(tries = 5000)
  void decodedWildcardsAgreeWithDecodeThenRegex(@ForAll("queryPatterns") String pattern,
      @ForAll("queryTexts") String text) {
    WildcardPattern compiled = WildcardPattern.compile(pattern, true, true);
    boolean expected = ReferenceEvaluator.regex(pattern, true, true).matcher(ReferenceEvaluator.decode(text)).matches();
    assertThat(compiled.matchesDecoded(text, 0, text.length())).as("'%s' ~ '%s'", text, pattern).isEqualTo(expected);
  }

  @Property(tries = 5000)
  void decodingAgreesWithReference(@ForAll("queryTexts") String text) {
    List<Integer> units = new ArrayList<>();
    for (int i = 0; i < text.length(); ) {
      long decoded = PercentDecoding.decode(text, i, text.length());
      units.add(PercentDecoding.unit(decoded));
      i = PercentDecoding.next(decoded);
    }
    assertThat(units).as("'%s'", text).containsExactlyElementsOf(
        ReferenceEvaluator.decode(text).codePoints().boxed().toList());
  }

  @Property(tries = 2000)
  void redirectLocationsAgreeWithReference(@ForAll("redirects") RedirectConfig config,
      @ForAll("requests") TestRequest request) {
    Redirect redirect;
    try {
      redirect = (Redirect) CompiledRules.compile(List.of(ListenerRule.defaultRule(config))).evaluate(request);
    } catch (IllegalArgumentException loop) {
      assertThat(loop).hasMessageContaining("a redirect loop");
      return;
    }
    assertThat(redirect.location(request)).isEqualTo(ReferenceEvaluator.location(config, request));
  }

  @Property(tries = 2000)
  void weightedPicksAgreeWithReference(@ForAll("weights") List<Integer> weights, @ForAll int random) {
    List<WeightedTargetGroup> groups = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      groups.add(new WeightedTargetGroup("tg-" + i, weights.get(i)));
    }
    Forward forward = (Forward) CompiledRules.compile(List.of(ListenerRule.defaultRule(
        new ForwardConfig(groups, null)))).evaluate(TestRequest.get("/"));
    int total = weights.stream().mapToInt(Integer::intValue).sum();
    String expected = null;
    if (total > 0) {
      long point = ((long) random % total + total) % total;
      for (int i = 0; i < weights.size() && expected == null; i++) {
        point -= weights.get(i);
        if (point < 0) {
          expected = "tg-" + i;
        }
      }
    }
    assertThat(forward.pick(random)).isEqualTo(expected);
  }

  private static String body(ListenerRule rule) {
    return ((FixedResponseConfig) rule.action()).messageBody();
  }

  // ---------------------------------------------------------------------------------------------
  // Rules
  // ---------------------------------------------------------------------------------------------

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<List<ListenerRule>> rules = Arbitraries.integers().between(1, 200).set().ofMinSize(1).ofMaxSize(8)
        .flatMap(priorities -> condition().list().ofMinSize(1).ofMaxSize(3).list().ofSize(priorities.size())
            .map(conditions -> rules(priorities, conditions)));
    return Combinators.combine(rules, requests().list().ofMinSize(1).ofMaxSize(25)).as(Scenario::new);
  }

  /** The rules that compile, in a shuffled priority order, and a default rule in the middle. */
  private static List<ListenerRule> rules(Set<Integer> priorities, List<List<RuleCondition>> conditions) {
    List<ListenerRule> rules = new ArrayList<>();
    int i = 0;
    for (int priority : priorities) {
      ListenerRule rule = ListenerRule.of(priority, new FixedResponseConfig("200", null, "rule " + priority),
          conditions.get(i++).toArray(new RuleCondition[0]));
      try {
        CompiledRules.compile(List.of(rule, ListenerRule.defaultRule(new FixedResponseConfig("404", null, null))));
        rules.add(rule);
      } catch (IllegalArgumentException tooMany) {
        // Over a limit (two path-pattern conditions, six values or wildcards): left out.
      }
    }
    rules.add(rules.size() / 2, ListenerRule.defaultRule(new FixedResponseConfig("404", null, "default")));
    return rules;
  }

  private static Arbitrary<RuleCondition> condition() {
    Arbitrary<List<String>> paths = tokens(1, 6, "/", "a", "b", "A", ".", "*", "?", "/a").list().ofMinSize(1)
        .ofMaxSize(3);
    Arbitrary<String> label = tokens(1, 3, "a", "b", "A", "-", "*", "?");
    Arbitrary<String> hostPattern = Combinators.combine(label.list().ofMinSize(1).ofMaxSize(2),
        Arbitraries.of("com", "COM", "org")).as((labels, tld) -> String.join(".", labels) + "." + tld);
    Arbitrary<List<String>> headerValues = tokens(1, 5, "a", "b", "A", " ", ",", "*", "?").list().ofMinSize(1)
        .ofMaxSize(3);
    Arbitrary<String> headerName = Arbitraries.of("X-Test", "x-test", "X-Other", "User-Agent");
    Arbitrary<List<String>> methods = Arbitraries.of("GET", "HEAD", "POST", "CUSTOM-METHOD").list().ofMinSize(1)
        .ofMaxSize(3);
    Arbitrary<String> queryPattern = tokens(1, 4, "a", "b", "A", "=", "&", "*", "?", "\\*", "\\?", "+");
    Arbitrary<KeyValue> pair = Combinators.combine(queryPattern.injectNull(0.4), queryPattern).as(KeyValue::new);
    Arbitrary<List<String>> blocks = Arbitraries.of("192.0.2.0/24", "192.0.2.128/25", "10.0.0.0/8", "0.0.0.0/0",
        "192.0.2.10/32", "2001:db8::/32", "2001:db8:0:1::/64", "::/0", "::1/128", "fe80::/10").list().ofMinSize(1)
        .ofMaxSize(3);
    return Arbitraries.oneOf(
        paths.map(RuleCondition.PathPattern::new),
        hostPattern.list().ofMinSize(1).ofMaxSize(3).map(RuleCondition.HostHeader::new),
        Combinators.combine(headerName, headerValues).as(RuleCondition.HttpHeader::new),
        methods.map(RuleCondition.HttpRequestMethod::new),
        pair.list().ofMinSize(1).ofMaxSize(3).map(RuleCondition.QueryString::new),
        blocks.map(RuleCondition.SourceIp::new));
  }

  // ---------------------------------------------------------------------------------------------
  // Requests
  // ---------------------------------------------------------------------------------------------

  @Provide
  Arbitrary<TestRequest> requests() {
    Arbitrary<String> method = Arbitraries.of("GET", "get", "HEAD", "POST", "PUT", "CUSTOM-METHOD");
    Arbitrary<String> path = tokens(0, 6, "/", "a", "b", "A", "B", ".", "%20", "/a").map(p -> "/" + p);
    Arbitrary<String> host = Combinators.combine(tokens(1, 3, "a", "b", "A", "B", "-", "x"),
            tokens(0, 2, "a.", "b."), Arbitraries.of("com", "COM", "org", "net"),
            Arbitraries.of("", "", "", ":80", ":443", ":8080"))
        .as((first, middle, tld, port) -> middle + first + "." + tld + port)
        .injectNull(0.05);
    Arbitrary<String> query = queryText().list().ofMinSize(0).ofMaxSize(4).map(p -> String.join("&", p))
        .injectNull(0.2);
    Arbitrary<List<String[]>> headers = Combinators.combine(
            Arbitraries.of("X-Test", "x-TEST", "X-Other", "user-agent", "X-Unrelated"),
            tokens(0, 5, "a", "b", "A", "B", " ", ","))
        .as((name, value) -> new String[] {name, value}).list().ofMaxSize(4);
    Arbitrary<String> source = Arbitraries.of("192.0.2.5", "192.0.2.10", "192.0.2.200", "10.1.2.3", "8.8.8.8",
        "2001:db8::1", "2001:DB8:0:1::5", "2001:db9::1", "::1", "::ffff:192.0.2.5", "fe80::1%eth0", "unknown",
        "1.2.3", "300.1.1.1", "01.2.3.4", "1:2:3:4:5:6:7:8", "1::2::3", "::ffff:10.0.0.1").injectNull(0.05);
    Arbitrary<int[]> listener = Arbitraries.of(new int[] {0, 80}, new int[] {1, 443}, new int[] {0, 8080},
        new int[] {1, 8443});
    return Combinators.combine(method, host, path, query, headers, source, listener)
        .as((m, h, p, q, hs, s, l) -> {
          TestRequest request = TestRequest.get(p).method(m).host(h).from(s);
          request.query = q;
          for (String[] header : hs) {
            request.header(header[0], header[1]);
          }
          return l[0] == 1 ? request.https(l[1]) : request.http(l[1]);
        });
  }

  private static Arbitrary<String> queryText() {
    Arbitrary<String> part = tokens(0, 4, "a", "b", "A", "B", "%61", "%41", "%2A", "%3F", "*", "?", "%", "%zz",
        "+", "%C3%A9", "%E9", "%3D", "%26", "%c3%a9", "%F0%9F%98%80", "%ED%A0%80", "%C0%80", "%E0%80%AF");
    return Arbitraries.oneOf(
        Combinators.combine(part, part).as((k, v) -> k + "=" + v),
        part,
        Combinators.combine(part, part, part).as((k, v, w) -> k + "=" + v + "=" + w));
  }

  // ---------------------------------------------------------------------------------------------
  // Wildcards, redirects, weights
  // ---------------------------------------------------------------------------------------------

  @Provide
  Arbitrary<String> patterns() {
    return tokens(0, 8, "a", "b", "A", "B", "*", "?", "**");
  }

  @Provide
  Arbitrary<String> texts() {
    return tokens(0, 12, "a", "b", "A", "B", "\u00e9");
  }

  @Provide
  Arbitrary<String> queryPatterns() {
    return tokens(0, 6, "a", "b", "A", "*", "?", "\\*", "\\?", "%", "\u00e9");
  }

  @Provide
  Arbitrary<String> queryTexts() {
    return tokens(0, 8, "a", "b", "A", "%61", "%41", "%2A", "%3F", "*", "?", "%", "%zz", "%4", "%C3%A9", "%C3%89",
        "%E9", "%C3", "%80", "%F0%9F%98%80", "%ED%A0%80", "%C0%80", "%F4%90%80%80", "%E0%80%AF", "%F0%8F%BF%BF", "\u00e9");
  }

  @Provide
  Arbitrary<RedirectConfig> redirects() {
    Arbitrary<String> protocol = Arbitraries.of("HTTP", "HTTPS", "#{protocol}").injectNull(0.3);
    Arbitrary<String> host = tokens(1, 3, "example.com", "#{host}", "a.", "-x").injectNull(0.3);
    Arbitrary<String> port = Arbitraries.of("80", "443", "8080", "#{port}").injectNull(0.3);
    Arbitrary<String> path = tokens(0, 4, "/", "a", "#{path}", "#{host}", "#{port}", "/new")
        .map(p -> "/" + p).injectNull(0.3);
    Arbitrary<String> query = tokens(0, 4, "a=b", "&", "#{query}", "#{protocol}", "#{host}", "#{port}", "#{path}")
        .injectNull(0.3);
    Arbitrary<String> status = Arbitraries.of("HTTP_301", "HTTP_302");
    return Combinators.combine(protocol, host, port, path, query, status).as(RedirectConfig::new);
  }

  @Provide
  Arbitrary<List<Integer>> weights() {
    return Arbitraries.oneOf(Arbitraries.integers().between(0, 999), Arbitraries.of(0, 1))
        .list().ofMinSize(1).ofMaxSize(5);
  }

  /** Strings made of {@code min} to {@code max} tokens. */
  private static Arbitrary<String> tokens(int min, int max, String... tokens) {
    return Arbitraries.of(tokens).list().ofMinSize(min).ofMaxSize(max).map(list -> String.join("", list));
  }
}
