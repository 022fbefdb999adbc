package dev.gatelink.benchmarks;

import dev.gatelink.alb.internal.CompiledRules;
import dev.gatelink.alb.internal.FixedResponseConfig;
import dev.gatelink.alb.internal.Forward;
import dev.gatelink.alb.internal.ForwardConfig;
import dev.gatelink.alb.internal.ListenerRule;
import dev.gatelink.alb.internal.RuleAction;
import dev.gatelink.alb.internal.RuleCondition;
import dev.gatelink.alb.internal.RuleCondition.KeyValue;
import dev.gatelink.alb.internal.RuleRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What evaluating an ALB listener's rules costs per request ({@link CompiledRules#evaluate(RuleRequest)} of
 * gatelink-alb), for listeners of 10 and 100 rules with mixed conditions, against a baseline listener that has
 * only its default rule (the fixed cost of one evaluation). Run with {@code -prof gc} for the bytes allocated
 * per evaluation (B/op): every case should show about 0.
 *
 * <p>The rules cycle through six kinds, rule {@code i} of kind {@code i % 6}: {@code path-pattern}
 * ({@code /svcN/*}), {@code path-pattern} and {@code http-request-method} ({@code /apiN/*}, POST or PUT),
 * {@code host-header} ({@code svcN.example.com} or {@code *.zoneN.example.com}), {@code http-header}
 * ({@code X-Tenant: tenant-N-*}) with {@code path-pattern} {@code /t/*}, {@code query-string}
 * ({@code v=N.*}) and {@code source-ip} ({@code 10.N.0.0/16}). Each benchmark cycles through 1,024 pre-built
 * requests ({@code i = (i + 1) & 1023}); a request of a set hits a rule of that kind chosen at random (fixed
 * seed), so on average it walks half the listener; {@code miss} requests take the default rule after walking all
 * of it; {@code mixed} shuffles all the sets. Setup checks that every request takes the rule it was made for.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AlbRulesBenchmark {
  private static final int SIZE = 1024;
  private static final int KINDS = 6;

  @Param({"10", "100"})
  public int rules;

  private CompiledRules listener;
  private CompiledRules defaultOnly;
  private Request[] path;
  private Request[] method;
  private Request[] host;
  private Request[] header;
  private Request[] query;
  private Request[] sourceIp;
  private Request[] miss;
  private Request[] mixed;
  private int next;

  /** Builds the listener and the request sets, and checks that every request takes its rule. */
  @Setup(Level.Trial)
  public void setup() {
    List<ListenerRule> list = new ArrayList<>();
    for (int i = 0; i < rules; i++) {
      list.add(ListenerRule.of(i + 1, ForwardConfig.to("tg-" + i), conditions(i)));
    }
    list.add(ListenerRule.defaultRule(new FixedResponseConfig("404", "text/plain", "no rule")));
    listener = CompiledRules.compile(list);
    defaultOnly = CompiledRules.compile(List.of(ListenerRule.defaultRule(ForwardConfig.to("tg-default"))));

    Random random = new Random(20261203L);
    path = requests(random, 0);
    method = requests(random, 1);
    host = requests(random, 2);
    header = requests(random, 3);
    query = requests(random, 4);
    sourceIp = requests(random, 5);
    miss = new Request[SIZE];
    for (int k = 0; k < SIZE; k++) {
      miss[k] = new Request("GET", "www.example.org", "/static/" + k + "/app.js", "page=" + k, "192.0.2." + (k % 250))
          .header("User-Agent", "Mozilla/5.0 Chrome/120").header("X-Tenant", "other-" + k);
      check(miss[k], -1);
    }
    List<Request> all = new ArrayList<>();
    for (Request[] set : new Request[][] {path, method, host, header, query, sourceIp, miss}) {
      Collections.addAll(all, set);
    }
    Collections.shuffle(all, random);
    mixed = all.subList(0, SIZE).toArray(new Request[0]);
  }

  private static RuleCondition[] conditions(int i) {
    switch (i % KINDS) {
      case 0:
        return new RuleCondition[] {RuleCondition.pathPattern("/svc" + i + "/*")};
      case 1:
        return new RuleCondition[] {RuleCondition.pathPattern("/api" + i + "/*"),
            RuleCondition.httpRequestMethod("POST", "PUT")};
      case 2:
        return new RuleCondition[] {RuleCondition.hostHeader("svc" + i + ".example.com", "*.zone" + i + ".example.com")};
      case 3:
        return new RuleCondition[] {RuleCondition.httpHeader("X-Tenant", "tenant-" + i + "-*"),
            RuleCondition.pathPattern("/t/*")};
      case 4:
        return new RuleCondition[] {RuleCondition.queryString(KeyValue.of("v", i + ".*"))};
      default:
        return new RuleCondition[] {RuleCondition.sourceIp("10." + i + ".0.0/16")};
    }
  }

  /** 1,024 requests, each hitting a random rule of one kind. */
  private Request[] requests(Random random, int kind) {
    Request[] set = new Request[SIZE];
    int ofKind = (rules - kind + KINDS - 1) / KINDS;
    for (int k = 0; k < SIZE; k++) {
      int i = kind + KINDS * random.nextInt(ofKind);
      Request request = new Request(kind == 1 ? (k % 2 == 0 ? "POST" : "PUT") : "GET", "www.example.org",
          "/static/" + k + "/app.js", null, "192.0.2." + (k % 250));
      request.header("User-Agent", "Mozilla/5.0 Chrome/120").header("Accept", "*/*");
      switch (kind) {
        case 0:
          request.path = "/svc" + i + "/items/" + k;
          break;
        case 1:
          request.path = "/api" + i + "/orders/" + k;
          break;
        case 2:
          request.host = k % 2 == 0 ? "svc" + i + ".EXAMPLE.com" : "a" + k + ".zone" + i + ".example.com:443";
          break;
        case 3:
          request.path = "/t/" + k;
          request.header("X-Tenant", "tenant-" + i + "-" + k);
          break;
        case 4:
          request.query = "page=" + k + "&v=" + i + "." + k + "&q=caf%C3%A9";
          break;
        default:
          request.sourceAddress = "10." + i + "." + (k % 256) + "." + (k % 200);
          break;
      }
      set[k] = request;
      check(request, i);
    }
    return set;
  }

  private void check(Request request, int rule) {
    RuleAction action = listener.evaluate(request);
    String expected = rule < 0 ? null : "tg-" + rule;
    String actual = action instanceof Forward forward ? forward.pick(0) : null;
    if (expected == null ? actual != null : !expected.equals(actual)) {
      throw new IllegalStateException(request + " took " + action + ", expected " + expected);
    }
  }

  private RuleAction evaluate(CompiledRules compiled, Request[] set) {
    int i = next;
    next = (i + 1) & (SIZE - 1);
    return compiled.evaluate(set[i]);
  }

  /** Baseline: a listener with only its default rule, over the mixed requests. */
  @Benchmark
  public RuleAction defaultRuleOnly() {
    return evaluate(defaultOnly, mixed);
  }

  /** Requests that hit a {@code path-pattern} rule. */
  @Benchmark
  public RuleAction pathHit() {
    return evaluate(listener, path);
  }

  /** Requests that hit a {@code path-pattern} and {@code http-request-method} rule. */
  @Benchmark
  public RuleAction methodHit() {
    return evaluate(listener, method);
  }

  /** Requests that hit a {@code host-header} rule (half with the default port {@code :443} written). */
  @Benchmark
  public RuleAction hostHit() {
    return evaluate(listener, host);
  }

  /** Requests that hit an {@code http-header} and {@code path-pattern} rule. */
  @Benchmark
  public RuleAction headerHit() {
    return evaluate(listener, header);
  }

  /** Requests that hit a {@code query-string} rule, decoded while matching. */
  @Benchmark
  public RuleAction queryHit() {
    return evaluate(listener, query);
  }

  /** Requests that hit a {@code source-ip} rule. */
  @Benchmark
  public RuleAction sourceIpHit() {
    return evaluate(listener, sourceIp);
  }

  /** Requests that no rule takes: the whole listener walked, then the default rule. */
  @Benchmark
  public RuleAction miss() {
    return evaluate(listener, miss);
  }

  /** All the sets, shuffled. */
  @Benchmark
  public RuleAction mixed() {
    return evaluate(listener, mixed);
  }

  /** A request as an adapter over a server request sees it: its own strings, headers walked in place. */
  static final class Request implements RuleRequest {
    String method;
    String host;
    String path;
    @Nullable String query;
    String sourceAddress;
    private String[] names = new String[0];
    private String[] values = new String[0];

    Request(String method, String host, String path, @Nullable String query, String sourceAddress) {
      this.method = method;
      this.host = host;
      this.path = path;
      this.query = query;
      this.sourceAddress = sourceAddress;
    }

    Request header(String name, String value) {
      names = Arrays.copyOf(names, names.length + 1);
      values = Arrays.copyOf(values, values.length + 1);
      names[names.length - 1] = name;
      values[values.length - 1] = value;
      return this;
    }

    @Override
    public CharSequence method() {
      return method;
    }

    @Override
    public CharSequence host() {
      return host;
    }

    @Override
    public CharSequence path() {
      return path;
    }

    @Override
    public @Nullable CharSequence query() {
      return query;
    }

    @Override
    public <T> boolean anyHeaderValue(CharSequence name, T target, BiPredicate<? super T, ? super CharSequence> test) {
      String wanted = name.toString();
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(wanted) && test.test(target, values[i])) {
          return true;
        }
      }
      return false;
    }

    @Override
    public CharSequence sourceAddress() {
      return sourceAddress;
    }

    @Override
    public boolean secure() {
      return true;
    }

    @Override
    public int port() {
      return 443;
    }

    @Override
    public String toString() {
      return method + " " + host + " " + path + (query == null ? "" : "?" + query) + " from " + sourceAddress;
    }
  }
}
