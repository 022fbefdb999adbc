package dev.gatelink.benchmarks;

import dev.gatelink.benchmarks.routing.BenchServerRequest;
import dev.gatelink.benchmarks.routing.RequestSet;
import dev.gatelink.benchmarks.routing.RouteSpec;
import dev.gatelink.benchmarks.routing.RouteTableGenerator;
import dev.gatelink.benchmarks.routing.VertxRouters;
import dev.gatelink.benchmarks.routing.Workload;
import dev.gatelink.route.RouteMatch;
import dev.gatelink.route.RouteTable;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Route lookup cost of Gatelink's {@link RouteTable}, against a {@code HashMap.get} baseline and Vert.x Web's
 * {@link Router} on the same tables and the same requests, in one run.
 *
 * <p>Tables come from {@link RouteTableGenerator} (10, 1,000 and 10,000 routes of the same API shape). Each
 * benchmark cycles through 1,024 pre-built requests ({@code i = (i + 1) & 1023}; JMH sample 36: no single
 * repeated input) made by {@link Workload} and checked at setup against a reference matcher, against
 * Gatelink and against the Vert.x router: a hit must take the expected route with the expected parameters,
 * a miss must take nothing. Setup fails otherwise.
 *
 * <ul>
 *   <li>{@code gatelinkLiteralHit}: fully literal routes; returns the match.</li>
 *   <li>{@code hashMapGet}: baseline; {@code HashMap<String, String>.get} on the same literal-hit path
 *       strings (keys are separate String instances with their own characters).</li>
 *   <li>{@code gatelinkVariableHit}, {@code gatelinkGreedyHit}: routes with {@code {var}} segments /
 *       ending in {@code {greedy+}}; returns the match and consumes {@code pathParameters()}.</li>
 *   <li>{@code gatelinkMiss}: requests no route takes (no {@code $default}); run with {@code -prof gc} for
 *       B/op.</li>
 *   <li>{@code gatelinkMixed}: 30% literal, 45% variable, 15% greedy, 10% miss, shuffled.</li>
 *   <li>{@code gatelink*SameRequests}: the 10-route table's five request sets at every size (each request
 *       checked to get the same outcome at this size as at 10 routes): the same lookups against a larger
 *       table, so that the ratio between sizes is the cost of the table's size alone. The plain
 *       {@code gatelink*} sets instead spread over the whole table, so at larger sizes they also touch more
 *       distinct routes (a larger working set in the CPU caches).</li>
 *   <li>{@code vertx*}: the same five request sets through {@code Router.handle(request)} with an in-memory
 *       {@link BenchServerRequest}; the matched route's handler records the route and
 *       {@code ctx.pathParams()}, a last catch-all records the miss.</li>
 * </ul>
 *
 * <p>15% of the variable, greedy and miss requests carry percent-escapes, and 15% of the mixed set's
 * literal requests carry a query string; the literal set itself has neither, since the {@code HashMap}
 * baseline looks up the same strings.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class RouteMatchBenchmark {

  /** The route table, its request sets, the Gatelink table and the HashMap baseline: immutable, shared. */
  @State(Scope.Benchmark)
  public static class Tables {
    static final int SMALLEST = 10;

    @Param({"10", "1000", "10000"})
    public int routes;

    Workload workload;
    RouteTable<String> table;
    Map<String, String> literalMap;
    RequestSet literal;
    RequestSet variable;
    RequestSet greedy;
    RequestSet miss;
    RequestSet mixed;
    /**
     * The 10-route table's request sets (literal, variable, greedy, miss, mixed), each request kept where it
     * gets the same outcome (route and parameters, or miss) from this table as from the 10-route one, and
     * cycled to fill 1,024 slots: the same lookups at every size, so that only the size of the table differs.
     */
    final String[][] sameMethods = new String[5][];
    final String[][] samePaths = new String[5][];
    private final int[] sameKept = new int[5];

    @Setup(Level.Trial)
    public void setup() {
      workload = new Workload(RouteTableGenerator.generate(routes));
      literal = workload.literal;
      variable = workload.variable;
      greedy = workload.greedy;
      miss = workload.miss;
      mixed = workload.mixed;

      RouteTable.Builder<String> builder = RouteTable.builder();
      for (RouteSpec route : workload.table.routes()) {
        builder.add(route.key(), route.key());
      }
      table = builder.build();

      literalMap = new HashMap<>();
      for (int i = 0; i < RequestSet.SIZE; i++) {
        // Distinct key instances with their own characters (new String(String) would share the request's
        // byte array): the lookup compares content, as with a path read off the wire.
        literalMap.put(new String(literal.paths[i].toCharArray()), literal.expected(i).key());
      }

      sameRequests();

      for (RequestSet set : List.of(literal, variable, greedy, miss, mixed)) {
        checkGatelink(set);
      }
      System.out.println(describe());
    }

    private void sameRequests() {
      Workload smallest = routes == SMALLEST ? workload : new Workload(RouteTableGenerator.generate(SMALLEST));
      RouteTable.Builder<String> builder = RouteTable.builder();
      for (RouteSpec route : smallest.table.routes()) {
        builder.add(route.key(), route.key());
      }
      RouteTable<String> small = builder.build();
      List<RequestSet> sets = List.of(smallest.literal, smallest.variable, smallest.greedy, smallest.miss,
          smallest.mixed);
      for (int s = 0; s < sets.size(); s++) {
        RequestSet set = sets.get(s);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < RequestSet.SIZE; i++) {
          RouteMatch<String> inSmall = small.match(set.methods[i], set.paths[i]);
          RouteMatch<String> here = table.match(set.methods[i], set.paths[i]);
          boolean same = inSmall.matched()
              ? here.matched() && here.route().value().equals(inSmall.route().value())
                  && here.pathParameters().equals(inSmall.pathParameters())
              : !here.matched();
          if (same) {
            kept.add(i);
          }
        }
        if (kept.size() < RequestSet.SIZE / 2) {
          throw new IllegalStateException("only " + kept.size() + " of the 10-route table's " + set.name
              + " requests get the same outcome at " + routes + " routes");
        }
        sameMethods[s] = new String[RequestSet.SIZE];
        samePaths[s] = new String[RequestSet.SIZE];
        for (int i = 0; i < RequestSet.SIZE; i++) {
          int from = kept.get(i % kept.size());
          sameMethods[s][i] = set.methods[from];
          samePaths[s][i] = set.paths[from];
        }
        sameKept[s] = kept.size();
      }
    }

    private void checkGatelink(RequestSet set) {
      for (int i = 0; i < RequestSet.SIZE; i++) {
        RouteMatch<String> match = table.match(set.methods[i], set.paths[i]);
        RouteSpec want = set.expected(i);
        if (want == null) {
          if (match.matched()) {
            throw new IllegalStateException(set.describe(i) + ": must miss, Gatelink matched " + match);
          }
          continue;
        }
        if (!match.matched() || !want.key().equals(match.route().value())) {
          throw new IllegalStateException(set.describe(i) + ": must match " + want + ", Gatelink gave " + match);
        }
        if (!new LinkedHashMap<>(match.pathParameters()).equals(set.expectedParameters(i))) {
          throw new IllegalStateException(set.describe(i) + ": parameters " + set.expectedParameters(i)
              + " expected, Gatelink gave " + match.pathParameters());
        }
        if (set == literal && literalMap.get(set.paths[i]) == null) {
          throw new IllegalStateException(set.describe(i) + ": missing from the HashMap baseline");
        }
      }
    }

    private String describe() {
      int[] kinds = new int[RouteSpec.Kind.values().length];
      for (RouteSpec route : workload.table.routes()) {
        kinds[route.kind().ordinal()]++;
      }
      return String.format("%n[RouteMatchBenchmark] %d routes: %d literal, %d variable, %d greedy;"
              + " distinct requests: literal %d, variable %d, greedy %d, miss %d, mixed %d (of %d each);"
              + " escaped: variable %d, greedy %d, miss %d, mixed %d; with a query: mixed %d;"
              + " same requests as at 10 routes, kept of %d: literal %d, variable %d, greedy %d, miss %d, mixed %d",
          routes, kinds[0], kinds[1], kinds[2], literal.distinct(), variable.distinct(), greedy.distinct(),
          miss.distinct(), mixed.distinct(), RequestSet.SIZE, variable.escaped(), greedy.escaped(),
          miss.escaped(), mixed.escaped(), mixed.withQuery(), RequestSet.SIZE, sameKept[0], sameKept[1],
          sameKept[2], sameKept[3], sameKept[4]);
    }
  }

  /** The request index, per thread: {@code i = (i + 1) & 1023}. */
  @State(Scope.Thread)
  public static class Cursor {
    private int i;

    int next() {
      return i = (i + 1) & RequestSet.MASK;
    }
  }

  /** A Vert.x Web Router over the same table, driven in-process through a fake server request. */
  @State(Scope.Thread)
  public static class VertxState {
    Vertx vertx;
    Router router;
    final BenchServerRequest request = new BenchServerRequest();
    final VertxRouters.Sink sink = new VertxRouters.Sink();
    HttpMethod[] literalMethods;
    HttpMethod[] variableMethods;
    HttpMethod[] greedyMethods;
    HttpMethod[] missMethods;
    HttpMethod[] mixedMethods;

    @Setup(Level.Trial)
    public void setup(Tables tables) {
      vertx = Vertx.vertx();
      router = VertxRouters.build(vertx, tables.workload.table.routes(), sink);
      literalMethods = methods(tables.literal);
      variableMethods = methods(tables.variable);
      greedyMethods = methods(tables.greedy);
      missMethods = methods(tables.miss);
      mixedMethods = methods(tables.mixed);
      check(tables.literal, literalMethods);
      check(tables.variable, variableMethods);
      check(tables.greedy, greedyMethods);
      check(tables.miss, missMethods);
      check(tables.mixed, mixedMethods);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    Object route(HttpMethod method, String path, Blackhole bh) {
      router.handle(request.reset(method, path));
      bh.consume(sink.parameters);
      return sink.value;
    }

    private static HttpMethod[] methods(RequestSet set) {
      HttpMethod[] out = new HttpMethod[RequestSet.SIZE];
      for (int i = 0; i < RequestSet.SIZE; i++) {
        out[i] = HttpMethod.valueOf(set.methods[i]);
      }
      return out;
    }

    private void check(RequestSet set, HttpMethod[] methods) {
      for (int i = 0; i < RequestSet.SIZE; i++) {
        sink.clear();
        router.handle(request.reset(methods[i], set.paths[i]));
        RouteSpec want = set.expected(i);
        Object wantValue = want == null ? VertxRouters.NO_ROUTE : want.key();
        if (!wantValue.equals(sink.value)) {
          throw new IllegalStateException(set.describe(i) + ": must give " + wantValue + ", Vert.x Router gave "
              + sink.value);
        }
        if (want != null && !vertxParameters(want, set.expectedParameters(i)).equals(sink.parameters)) {
          throw new IllegalStateException(set.describe(i) + ": parameters " + set.expectedParameters(i)
              + " expected, Vert.x Router gave " + sink.parameters);
        }
      }
    }

    /** Vert.x names the rest of a wildcard route {@code "*"}. */
    private static Map<String, String> vertxParameters(RouteSpec route, Map<String, String> expected) {
      Map<String, String> out = new HashMap<>(expected);
      if (route.kind() == RouteSpec.Kind.GREEDY) {
        List<String> names = route.variableNames();
        out.put("*", out.remove(names.get(names.size() - 1)));
      }
      return out;
    }
  }

  // ---- baseline

  @Benchmark
  public String hashMapGet(Tables t, Cursor c) {
    return t.literalMap.get(t.literal.paths[c.next()]);
  }

  // ---- Gatelink RouteTable

  @Benchmark
  public RouteMatch<String> gatelinkLiteralHit(Tables t, Cursor c) {
    int i = c.next();
    return t.table.match(t.literal.methods[i], t.literal.paths[i]);
  }

  @Benchmark
  public RouteMatch<String> gatelinkVariableHit(Tables t, Cursor c, Blackhole bh) {
    int i = c.next();
    RouteMatch<String> match = t.table.match(t.variable.methods[i], t.variable.paths[i]);
    bh.consume(match.pathParameters());
    return match;
  }

  @Benchmark
  public RouteMatch<String> gatelinkGreedyHit(Tables t, Cursor c, Blackhole bh) {
    int i = c.next();
    RouteMatch<String> match = t.table.match(t.greedy.methods[i], t.greedy.paths[i]);
    bh.consume(match.pathParameters());
    return match;
  }

  @Benchmark
  public RouteMatch<String> gatelinkMiss(Tables t, Cursor c) {
    int i = c.next();
    return t.table.match(t.miss.methods[i], t.miss.paths[i]);
  }

  @Benchmark
  public RouteMatch<String> gatelinkMixed(Tables t, Cursor c, Blackhole bh) {
    int i = c.next();
    RouteMatch<String> match = t.table.match(t.mixed.methods[i], t.mixed.paths[i]);
    bh.consume(match.pathParameters());
    return match;
  }

  // ---- Gatelink RouteTable, the 10-route table's requests at every size: the cost of the table's size alone

  @Benchmark
  public RouteMatch<String> gatelinkLiteralHitSameRequests(Tables t, Cursor c) {
    int i = c.next();
    return t.table.match(t.sameMethods[0][i], t.samePaths[0][i]);
  }

  @Benchmark
  public RouteMatch<String> gatelinkVariableHitSameRequests(Tables t, Cursor c, Blackhole bh) {
    int i = c.next();
    RouteMatch<String> match = t.table.match(t.sameMethods[1][i], t.samePaths[1][i]);
    bh.consume(match.pathParameters());
    return match;
  }

  @Benchmark
  public RouteMatch<String> gatelinkGreedyHitSameRequests(Tables t, Cursor c, Blackhole bh) {
    int i = c.next();
    RouteMatch<String> match = t.table.match(t.sameMethods[2][i], t.samePaths[2][i]);
    bh.consume(match.pathParameters());
    return match;
  }

  @Benchmark
  public RouteMatch<String> gatelinkMissSameRequests(Tables t, Cursor c) {
    int i = c.next();
    return t.table.match(t.sameMethods[3][i], t.samePaths[3][i]);
  }

  @Benchmark
  public RouteMatch<String> gatelinkMixedSameRequests(Tables t, Cursor c, Blackhole bh) {
    int i = c.next();
    RouteMatch<String> match = t.table.match(t.sameMethods[4][i], t.samePaths[4][i]);
    bh.consume(match.pathParameters());
    return match;
  }

  // ---- Vert.x Web Router

  @Benchmark
  public Object vertxLiteralHit(Tables t, VertxState v, Cursor c, Blackhole bh) {
    int i = c.next();
    return v.route(v.literalMethods[i], t.literal.paths[i], bh);
  }

  @Benchmark
  public Object vertxVariableHit(Tables t, VertxState v, Cursor c, Blackhole bh) {
    int i = c.next();
    return v.route(v.variableMethods[i], t.variable.paths[i], bh);
  }

  @Benchmark
  public Object vertxGreedyHit(Tables t, VertxState v, Cursor c, Blackhole bh) {
    int i = c.next();
    return v.route(v.greedyMethods[i], t.greedy.paths[i], bh);
  }

  @Benchmark
  public Object vertxMiss(Tables t, VertxState v, Cursor c, Blackhole bh) {
    int i = c.next();
    return v.route(v.missMethods[i], t.miss.paths[i], bh);
  }

  @Benchmark
  public Object vertxMixed(Tables t, VertxState v, Cursor c, Blackhole bh) {
    int i = c.next();
    return v.route(v.mixedMethods[i], t.mixed.paths[i], bh);
  }
}
