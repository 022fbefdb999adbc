package dev.gatelink.alb.internal;

import static dev.gatelink.alb.internal.RuleCondition.KeyValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented rules and limits, checked when the rules are compiled: every message in full. */
class ValidationTest {
  private static final FixedResponseConfig OK = new FixedResponseConfig("200", null, null);
  private static final String ARN =
      "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener-rule/app/my-lb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";

  private static void compile(ListenerRule... rules) {
    List<ListenerRule> all = new ArrayList<>(Arrays.asList(rules));
    if (all.stream().noneMatch(ListenerRule::isDefault)) {
      all.add(ListenerRule.defaultRule(OK));
    }
    CompiledRules.compile(all);
  }

  private static void assertRejected(RuleCondition condition, String message) {
    assertThatThrownBy(() -> compile(ListenerRule.of(10, OK, condition)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  private static void assertRejected(ActionConfig action, String message) {
    assertThatThrownBy(() -> compile(ListenerRule.of(10, action, RuleCondition.pathPattern("/*"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  // --- rules and priorities ----------------------------------------------------------------------

  @Test
  void priorities() {
    assertThatThrownBy(() -> compile(ListenerRule.of(0, OK, RuleCondition.pathPattern("/a"))))
        .hasMessage("rule with priority 0: priority 0 is out of range; expected 1 to 50000");
    assertThatThrownBy(() -> compile(ListenerRule.of(50001, OK, RuleCondition.pathPattern("/a"))))
        .hasMessage("rule with priority 50001: priority 50001 is out of range; expected 1 to 50000");
    assertThatThrownBy(() -> compile(ListenerRule.of(7, OK, RuleCondition.pathPattern("/a")),
        ListenerRule.of(7, OK, RuleCondition.pathPattern("/b")).withArn(ARN)))
        .hasMessage("rule '" + ARN + "': priority 7 is also the priority of rule with priority 7; priorities are"
            + " unique within a listener");
    compile(ListenerRule.of(1, OK, RuleCondition.pathPattern("/a")),
        ListenerRule.of(50000, OK, RuleCondition.pathPattern("/b")));
  }

  @Test
  void defaultRule() {
    assertThatThrownBy(() -> CompiledRules.compile(List.of(ListenerRule.of(1, OK, RuleCondition.pathPattern("/a")))))
        .hasMessage("the listener has no default rule; exactly one rule must be the default rule");
    assertThatThrownBy(() -> CompiledRules.compile(List.of(ListenerRule.defaultRule(OK),
        ListenerRule.defaultRule(OK).withArn(ARN))))
        .hasMessage("rule '" + ARN + "': the listener already has a default rule (default rule); a listener has"
            + " exactly one");
    assertThatThrownBy(() -> CompiledRules.compile(List.of(
        new ListenerRule(null, 0, true, List.of(RuleCondition.pathPattern("/a")), OK))))
        .hasMessage("default rule: the default rule can't have conditions; found 1");
    assertThatThrownBy(() -> compile(ListenerRule.of(3, OK)))
        .hasMessage("rule with priority 3: a rule needs at least one condition; only the default rule has none");
  }

  // --- limits ------------------------------------------------------------------------------------

  @Test
  void atMostOneOfHostMethodPathAndSourceIp() {
    assertThatThrownBy(() -> compile(ListenerRule.of(10, OK, RuleCondition.pathPattern("/a"),
        RuleCondition.pathPattern("/b"))))
        .hasMessage("rule with priority 10: more than one path-pattern condition; a rule can have at most one each"
            + " of host-header, http-request-method, path-pattern and source-ip");
    compile(ListenerRule.of(10, OK, RuleCondition.httpHeader("X-A", "1"), RuleCondition.httpHeader("X-A", "2"),
        RuleCondition.queryString(KeyValue.value("a")), RuleCondition.queryString(KeyValue.value("b"))));
  }

  @Test
  void valuesPerConditionAndPerRule() {
    assertRejected(RuleCondition.pathPattern("/a", "/b", "/c", "/d"),
        "rule with priority 10: path-pattern condition has 4 values; a condition can have at most 3");
    assertRejected(RuleCondition.pathPattern(),
        "rule with priority 10: path-pattern condition has no values; a condition needs at least one");
    assertThatThrownBy(() -> compile(ListenerRule.of(10, OK, RuleCondition.pathPattern("/a", "/b", "/c"),
        RuleCondition.httpRequestMethod("GET", "HEAD"), RuleCondition.sourceIp("10.0.0.0/8"))))
        .hasMessage("rule with priority 10: the conditions have 6 values in all; a rule can have at most 5");
    compile(ListenerRule.of(10, OK, RuleCondition.pathPattern("/a", "/b", "/c"),
        RuleCondition.httpRequestMethod("GET", "HEAD")));
  }

  @Test
  void fiveWildcardsPerRule() {
    assertThatThrownBy(() -> compile(ListenerRule.of(10, OK, RuleCondition.pathPattern("/a/*/b/*"),
        RuleCondition.hostHeader("*.example.com"), RuleCondition.queryString(KeyValue.of("?", "**")))))
        .hasMessage("rule with priority 10: the conditions have 6 wildcards in all; a rule can have at most 5");
    // Escaped wildcards are characters, not wildcards.
    compile(ListenerRule.of(10, OK, RuleCondition.pathPattern("/a/*/b/*"), RuleCondition.hostHeader("*.example.com"),
        RuleCondition.queryString(KeyValue.of("\\?", "\\*\\*"))));
  }

  @Test
  void valueLength() {
    String long129 = "/" + "a".repeat(128);
    assertRejected(RuleCondition.pathPattern(long129),
        "rule with priority 10: path-pattern value '" + long129 + "' is 129 characters long; the maximum is 128");
    compile(ListenerRule.of(10, OK, RuleCondition.pathPattern(long129.substring(1))));
    assertRejected(RuleCondition.pathPattern(""),
        "rule with priority 10: path-pattern value is empty; a condition value can't be empty");
  }

  // --- characters per condition ------------------------------------------------------------------

  @Test
  void pathPatternCharacters() {
    compile(ListenerRule.of(10, OK, RuleCondition.pathPattern("/Az09_-.$/~\"'@:+&*?")));
    assertRejected(RuleCondition.pathPattern("/a b"),
        "rule with priority 10: path-pattern value '/a b' contains U+0020 at index 2; allowed are A-Z, a-z, 0-9,"
            + " _ - . $ / ~ \" ' @ : + & and the wildcards * and ?");
    assertRejected(RuleCondition.pathPattern("/a%20b"),
        "rule with priority 10: path-pattern value '/a%20b' contains '%' at index 2; allowed are A-Z, a-z, 0-9,"
            + " _ - . $ / ~ \" ' @ : + & and the wildcards * and ?");
  }

  @Test
  void hostHeaderCharactersAndShape() {
    compile(ListenerRule.of(10, OK, RuleCondition.hostHeader("a-b_c.Example.COM", "*.example.com", "??.example.com")));
    assertRejected(RuleCondition.hostHeader("example.com:8443"),
        "rule with priority 10: host-header value 'example.com:8443' contains ':' at index 11; allowed are A-Z,"
            + " a-z, 0-9, - _ . and the wildcards * and ?");
    assertRejected(RuleCondition.hostHeader("localhost"),
        "rule with priority 10: host-header value 'localhost' has no '.'; a host name needs at least one");
    assertRejected(RuleCondition.hostHeader("example.c0m"),
        "rule with priority 10: host-header value 'example.c0m' has '0' after its last '.'; only letters may"
            + " follow the last '.'");
    assertRejected(RuleCondition.hostHeader("example.*"),
        "rule with priority 10: host-header value 'example.*' has '*' after its last '.'; only letters may follow"
            + " the last '.'");
  }

  @Test
  void httpHeaderNameAndValueCharacters() {
    compile(ListenerRule.of(10, OK, RuleCondition.httpHeader("X-Custom_Header!#$%&'*+.^`|~",
        "a b!\"#$%&'()+,./:;<=>@[]^_`{|}~-*?")));
    assertRejected(RuleCondition.httpHeader("X Custom", "a"),
        "rule with priority 10: http-header name 'X Custom' contains U+0020 at index 1; allowed are A-Z, a-z, 0-9"
            + " and ! # $ % & ' * + - . ^ _ ` | ~ (a token)");
    String name41 = "X" + "a".repeat(40);
    assertRejected(RuleCondition.httpHeader(name41, "a"),
        "rule with priority 10: http-header name '" + name41 + "' is 41 characters long; the maximum is 40");
    assertRejected(RuleCondition.httpHeader("Host", "example.com"),
        "rule with priority 10: http-header name 'Host' is not allowed; use a host-header condition for the Host"
            + " header");
    assertRejected(RuleCondition.httpHeader("X-A", "a\\b"),
        "rule with priority 10: http-header value 'a\\b' contains '\\' at index 1; allowed are A-Z, a-z, 0-9,"
            + " space, ! \" # $ % & ' ( ) + , . / : ; < = > @ [ ] ^ _ ` { | } ~ - and the wildcards * and ?");
    assertRejected(RuleCondition.httpHeader("X-A", "tab\there"),
        "rule with priority 10: http-header value 'tab\there' contains U+0009 at index 3; allowed are A-Z, a-z,"
            + " 0-9, space, ! \" # $ % & ' ( ) + , . / : ; < = > @ [ ] ^ _ ` { | } ~ - and the wildcards * and ?");
  }

  @Test
  void httpRequestMethodCharacters() {
    compile(ListenerRule.of(10, OK, RuleCondition.httpRequestMethod("CUSTOM-METHOD", "MY_METHOD")));
    assertRejected(RuleCondition.httpRequestMethod("get"),
        "rule with priority 10: http-request-method value 'get' contains 'g' at index 0; allowed are A-Z, - and _"
            + " (methods are case-sensitive)");
    assertRejected(RuleCondition.httpRequestMethod("G*"),
        "rule with priority 10: http-request-method value 'G*' contains '*' at index 1; allowed are A-Z, - and _"
            + " (methods are case-sensitive)");
    String method41 = "M".repeat(41);
    assertRejected(RuleCondition.httpRequestMethod(method41),
        "rule with priority 10: http-request-method value '" + method41 + "' is 41 characters long; the maximum is"
            + " 40");
  }

  @Test
  void queryStringCharactersAndEscapes() {
    compile(ListenerRule.of(10, OK, RuleCondition.queryString(KeyValue.of("Az09_-.$/~\"'@:+&()!,;=", "\\*\\?*"))));
    assertRejected(RuleCondition.queryString(KeyValue.of("a", "b c")),
        "rule with priority 10: query-string value 'b c' contains U+0020 at index 1; allowed are A-Z, a-z, 0-9, _"
            + " - . $ / ~ \" ' @ : + & ( ) ! , ; = and the wildcards * and ? (\\* and \\? for the characters"
            + " themselves)");
    assertRejected(RuleCondition.queryString(KeyValue.of("a\\b", "c")),
        "rule with priority 10: query-string key 'a\\b' has '\\' at index 1 not followed by '*' or '?'; a"
            + " backslash only escapes a wildcard");
    assertRejected(RuleCondition.queryString(KeyValue.of("", "c")),
        "rule with priority 10: query-string key is empty; a condition key can't be empty");
  }

  @Test
  void sourceIpCidrBlocks() {
    compile(ListenerRule.of(10, OK, RuleCondition.sourceIp("0.0.0.0/0", "2001:db8::/32", "::ffff:10.0.0.0/104")));
    assertRejected(RuleCondition.sourceIp("192.0.2.10"),
        "rule with priority 10: source-ip value '192.0.2.10' is not a CIDR block; expected an IPv4 or IPv6 address,"
            + " '/' and a prefix length, such as 192.0.2.0/24 or 2001:db8::/32");
    assertRejected(RuleCondition.sourceIp("192.0.2.0/33"),
        "rule with priority 10: source-ip value '192.0.2.0/33' has prefix length 33; an IPv4 block's is 0 to 32");
    assertRejected(RuleCondition.sourceIp("2001:db8::/129"),
        "rule with priority 10: source-ip value '2001:db8::/129' has prefix length 129; an IPv6 block's is 0 to"
            + " 128");
    assertRejected(RuleCondition.sourceIp("192.0.2.*/24"),
        "rule with priority 10: source-ip value '192.0.2.*/24' is not a CIDR block; expected an IPv4 or IPv6"
            + " address, '/' and a prefix length, such as 192.0.2.0/24 or 2001:db8::/32");
  }

  // --- actions -----------------------------------------------------------------------------------

  @Test
  void forwardAction() {
    assertRejected(new ForwardConfig(List.of(), null), "rule with priority 10: forward action has no target group");
    List<WeightedTargetGroup> six = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      six.add(WeightedTargetGroup.of("tg" + i));
    }
    assertRejected(new ForwardConfig(six, null),
        "rule with priority 10: forward action has 6 target groups; an action can have at most 5");
    assertRejected(ForwardConfig.weighted(new WeightedTargetGroup("tg", 1000)),
        "rule with priority 10: forward action gives target group 'tg' weight 1000; a weight is 0 to 999");
    assertRejected(ForwardConfig.weighted(WeightedTargetGroup.of("tg"), WeightedTargetGroup.of("tg")),
        "rule with priority 10: forward action names target group 'tg' twice");
    assertRejected(ForwardConfig.to(""), "rule with priority 10: forward action has a target group without an ARN");
    assertRejected(new ForwardConfig(List.of(WeightedTargetGroup.of("tg")), new TargetGroupStickiness(true, 0)),
        "rule with priority 10: forward action's stickiness duration 0 is out of range; expected 1 to 604800"
            + " seconds");
    assertRejected(new ForwardConfig(List.of(WeightedTargetGroup.of("tg")), new TargetGroupStickiness(true, null)),
        "rule with priority 10: forward action enables stickiness without a duration; expected 1 to 604800"
            + " seconds");
    compile(ListenerRule.of(10, new ForwardConfig(List.of(WeightedTargetGroup.of("tg")),
        new TargetGroupStickiness(false, null)), RuleCondition.pathPattern("/*")));
  }

  @Test
  void fixedResponseAction() {
    assertRejected(new FixedResponseConfig("302", null, null),
        "rule with priority 10: fixed-response status code '302' is not valid; expected 2XX, 4XX or 5XX, such as"
            + " 200, 404 or 503");
    assertRejected(new FixedResponseConfig("2000", null, null),
        "rule with priority 10: fixed-response status code '2000' is not valid; expected 2XX, 4XX or 5XX, such as"
            + " 200, 404 or 503");
    assertRejected(new FixedResponseConfig("200", "application/xml", null),
        "rule with priority 10: fixed-response content type 'application/xml' is not valid; expected one of"
            + " text/plain, text/css, text/html, application/javascript, application/json");
    assertRejected(new FixedResponseConfig("200", null, "x".repeat(1025)),
        "rule with priority 10: fixed-response message body is 1025 characters long; the maximum is 1024");
    for (String type : List.of("text/plain", "text/css", "text/html", "application/javascript", "application/json")) {
      compile(ListenerRule.of(10, new FixedResponseConfig("418", type, "x".repeat(1024)),
          RuleCondition.pathPattern("/*")));
    }
  }

  @Test
  void redirectAction() {
    assertRejected(new RedirectConfig("HTTPS", null, null, null, null, "HTTP_307"),
        "rule with priority 10: redirect status code 'HTTP_307' is not valid; expected HTTP_301 or HTTP_302");
    assertRejected(new RedirectConfig("https", null, null, null, null, "HTTP_301"),
        "rule with priority 10: redirect protocol 'https' is not valid; expected HTTP, HTTPS or #{protocol}");
    assertRejected(new RedirectConfig(null, null, "65536", null, null, "HTTP_301"),
        "rule with priority 10: redirect port '65536' is not valid; expected 1 to 65535 or #{port}");
    assertRejected(new RedirectConfig(null, null, "0", null, null, "HTTP_301"),
        "rule with priority 10: redirect port '0' is not valid; expected 1 to 65535 or #{port}");
    assertRejected(new RedirectConfig(null, null, null, "new/#{path}", null, "HTTP_301"),
        "rule with priority 10: redirect path 'new/#{path}' must start with '/'");
    assertRejected(new RedirectConfig(null, null, null, null, "?a=b", "HTTP_301"),
        "rule with priority 10: redirect query '?a=b' starts with '?'; write the query without it, the '?' is"
            + " added");
    assertRejected(new RedirectConfig(null, "#{path}.example.com", null, null, null, "HTTP_301"),
        "rule with priority 10: redirect host '#{path}.example.com' can't use #{path}; a host can use only"
            + " #{host}");
    assertRejected(new RedirectConfig(null, null, null, "/#{query}", null, "HTTP_301"),
        "rule with priority 10: redirect path '/#{query}' can't use #{query}; a path can use only #{host}, #{path}"
            + " and #{port}");
    assertRejected(new RedirectConfig(null, null, null, "/#{file}", null, "HTTP_301"),
        "rule with priority 10: redirect path '/#{file}' has an unknown keyword '#{file}'; the keywords are"
            + " #{protocol}, #{host}, #{port}, #{path} and #{query}");
    assertRejected(new RedirectConfig(null, "", null, "/x", null, "HTTP_301"),
        "rule with priority 10: redirect host '' is 0 characters long; expected 1 to 128");
    assertRejected(new RedirectConfig(null, "exa_mple.com", null, null, null, "HTTP_301"),
        "rule with priority 10: redirect host 'exa_mple.com' contains '_' at index 3; allowed are A-Z, a-z, 0-9, -"
            + " . * ? and the keyword #{host}");
    assertRejected(new RedirectConfig(null, null, null, "/a b", null, "HTTP_301"),
        "rule with priority 10: redirect path '/a b' contains U+0020 at index 2; allowed are A-Z, a-z, 0-9, _ - ."
            + " $ / ~ \" ' @ : + & * ? and the keywords #{host}, #{path} and #{port}");
    assertRejected(new RedirectConfig(null, null, null, "/x", "a#b", "HTTP_301"),
        "rule with priority 10: redirect query 'a#b' contains '#' at index 1; allowed are visible ASCII characters"
            + " other than # and the keywords");
  }

  @Test
  void redirectMustChangeProtocolHostPortOrPath() {
    // "You must modify at least one of the following components to avoid a redirect loop: protocol, hostname,
    // port, or path."
    String loop = "rule with priority 10: redirect keeps protocol, host, port and path as they are, a redirect loop;"
        + " change at least one of them";
    assertRejected(new RedirectConfig(null, null, null, null, null, "HTTP_301"), loop);
    assertRejected(new RedirectConfig("#{protocol}", "#{host}", "#{port}", "/#{path}", "#{query}&a=b", "HTTP_301"),
        loop);
    compile(ListenerRule.of(10, new RedirectConfig("HTTPS", null, null, null, null, "HTTP_301"),
        RuleCondition.pathPattern("/*")));
    compile(ListenerRule.of(10, new RedirectConfig(null, "www.#{host}", null, null, null, "HTTP_301"),
        RuleCondition.pathPattern("/*")));
    compile(ListenerRule.of(10, new RedirectConfig(null, null, "8443", null, null, "HTTP_301"),
        RuleCondition.pathPattern("/*")));
    compile(ListenerRule.of(10, new RedirectConfig(null, null, null, "/new/#{path}", null, "HTTP_301"),
        RuleCondition.pathPattern("/*")));
  }

  @Test
  void errorsNameTheRuleByArnWhenKnown() {
    assertThatThrownBy(() -> compile(ListenerRule.of(10, OK, RuleCondition.pathPattern("/a b")).withArn(ARN)))
        .hasMessageStartingWith("rule '" + ARN + "': path-pattern value '/a b' contains U+0020 at index 2;");
    assertThat(ListenerRule.defaultRule(OK).label()).isEqualTo("default rule");
  }
}
