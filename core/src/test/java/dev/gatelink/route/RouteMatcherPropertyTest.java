package dev.gatelink.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.route.ReferenceMatcher.Kind;
import dev.gatelink.route.ReferenceMatcher.Outcome;
import dev.gatelink.route.ReferenceMatcher.Segment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Randomized comparison of the compiled {@link RouteTable} with the {@link ReferenceMatcher}.
 *
 * <p>Route sets are mostly drawn from small alphabets (literals {@code a b c A ab}, few variable
 * names, greedy variables, every method and ANY, an optional {@code $default}) so that overlapping
 * routes, ties broken by the ranking and duplicates are common. Some scenarios stress the matcher's
 * data structures instead: literals with equal {@link String#hashCode()} ({@code Aa}/{@code BB},
 * {@code AaAa}/{@code AaBB}/{@code BBAa}/{@code BBBB}), routes and requests of 17 to 30 and of 63
 * to 70 segments, and paths of hundreds to thousands of characters. Requests are either random
 * (escapes, %2F, dot segments with ';' and backslashes, empty segments, malformed escapes, trailing
 * slashes, queries, targets without a leading '/', unknown and lower-case methods, HEAD) or made
 * from one of the routes' own patterns, so that most of them match something.
 */
class RouteMatcherPropertyTest {

  static final List<String> LITERALS = List.of("a", "b", "c", "A", "ab");

  /** Literals whose String hash codes are equal: "Aa" and "BB" (2112); "AaAa", "AaBB", "BBAa" and "BBBB"; and "a". */
  static final List<String> COLLIDING = List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB", "a");

  record Request(String method, String target) {
    @Override
    public String toString() {
      return method + " " + Outcome.quote(target);
    }
  }

  record Scenario(List<String> routes, List<Request> requests) {
    @Override
    public String toString() {
      return "routes: " + String.join(" | ", routes) + "\nrequests: " + requests;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Properties
  // ---------------------------------------------------------------------------------------------

  // Edge-case mode NONE for the scenario properties: jqwik's combined edge cases of the nested
  // flatMap generators cost ~10 s to enumerate and add little (the table covers the extremes).
  @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
  void compiledTableAgreesWithReference(@ForAll("scenarios") Scenario s) {
    RouteTable<String> table = RouteConformanceTest.buildFromText(s.routes());
    ReferenceMatcher<String> reference = RouteConformanceTest.reference(s.routes());
    List<String> expectations = new ArrayList<>();
    for (Request r : s.requests()) {
      expectations.add(reference.match(r.method(), r.target()).render());
    }
    // On this thread, whose per-thread buffers earlier scenarios have grown and filled ...
    Comparison here = compare(table, s.requests(), expectations);
    assertThat(here.mismatches()).as("requests where RouteTable and ReferenceMatcher disagree, for\n%s", s).isEmpty();
    assertThat(here.problems()).as("RouteMatch contract, for\n%s", s).isEmpty();
    // ... and on a new thread, whose buffers start at their initial sizes and grow during this scenario.
    Comparison fresh = RouteConformanceTest.onNewThread(() -> compare(table, s.requests(), expectations));
    assertThat(fresh.mismatches())
        .as("requests where RouteTable (on a new thread) and ReferenceMatcher disagree, for\n%s", s).isEmpty();
    assertThat(fresh.problems()).as("RouteMatch contract (on a new thread), for\n%s", s).isEmpty();
  }

  record Comparison(List<String> mismatches, List<String> problems) {}

  /** Looks every request up on the calling thread and compares with the expected rendered outcomes. */
  static Comparison compare(RouteTable<String> table, List<Request> requests, List<String> expectations) {
    List<String> problems = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    List<RouteMatch<String>> kept = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      Request r = requests.get(i);
      RouteMatch<String> m = table.match(r.method(), r.target());
      String actual = RouteConformanceTest.outcomeOf(m, problems, r.toString()).render();
      if (!expectations.get(i).equals(actual)) {
        mismatches.add(r + "\n      reference: " + expectations.get(i) + "\n      RouteTable: " + actual);
      }
      kept.add(m);
    }
    // A RouteMatch is a value: later lookups on the same thread (which reuse per-thread buffers)
    // must not change what an earlier match reports.
    for (int i = 0; i < kept.size(); i++) {
      String later = RouteConformanceTest.outcomeOf(kept.get(i), problems, "re-read").render();
      if (!later.equals(expectations.get(i))) {
        mismatches.add(requests.get(i) + " re-read after later lookups\n      reference: "
            + expectations.get(i) + "\n      RouteTable: " + later);
      }
    }
    return new Comparison(mismatches, problems);
  }

  /**
   * The decoder against the JDK's strict UTF-8 decoder: segments made of random byte sequences
   * (well-formed code points of every length, boundary code points, stray bytes, truncated
   * sequences), percent-escaped in random hex case, behind a variable, a literal and a greedy.
   */
  @Property(tries = 1500)
  void decodingAgreesWithStrictJdkDecoder(@ForAll("escapedRequests") List<Request> requests) {
    compiledTableAgreesWithReference(
        new Scenario(List.of("GET /v/{x}", "GET /v/{x}/{y}", "GET /v/a", "ANY /{proxy+}"), requests));
  }

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  void declarationOrderDoesNotMatter(@ForAll("scenarios") Scenario s, @ForAll long seed) {
    List<String> shuffled = new ArrayList<>(s.routes());
    Collections.shuffle(shuffled, new Random(seed));
    RouteTable<String> a = RouteConformanceTest.buildFromText(s.routes());
    RouteTable<String> b = RouteConformanceTest.buildFromKeys(shuffled);
    List<String> problems = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (Request r : s.requests()) {
      String first = RouteConformanceTest.outcomeOf(a.match(r.method(), r.target()), problems, "in order").render();
      String second = RouteConformanceTest.outcomeOf(b.match(r.method(), r.target()), problems, "shuffled").render();
      if (!first.equals(second)) {
        mismatches.add(r + "\n      in order: " + first + "\n      shuffled: " + second);
      }
    }
    assertThat(mismatches).as("order dependence; shuffled routes: %s\n%s", shuffled, s).isEmpty();
    assertThat(problems).as("RouteMatch contract, for\n%s", s).isEmpty();
  }

  /** One table shared by several threads gives every thread the reference's answers. */
  @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
  void concurrentLookupsAgreeWithReference(@ForAll("scenarios") Scenario s) throws Exception {
    RouteTable<String> table = RouteConformanceTest.buildFromText(s.routes());
    ReferenceMatcher<String> reference = RouteConformanceTest.reference(s.routes());
    List<String> expected = s.requests().stream().map(r -> reference.match(r.method(), r.target()).render()).toList();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          start.await();
          List<String> wrong = new ArrayList<>();
          List<String> problems = new ArrayList<>();
          int n = s.requests().size();
          for (int round = 0; round < 50; round++) {
            for (int j = 0; j < n; j++) {
              int i = (j + offset + round) % n;
              Request r = s.requests().get(i);
              String actual = RouteConformanceTest.outcomeOf(table.match(r.method(), r.target()), problems, r.toString()).render();
              if (!actual.equals(expected.get(i))) {
                wrong.add(r + ": " + actual + " instead of " + expected.get(i));
              }
            }
          }
          wrong.addAll(problems);
          return wrong;
        }));
      }
      start.countDown();
      for (Future<List<String>> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).as("concurrent lookups, for\n%s", s).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Property(tries = 1000)
  void duplicatesAreRejectedAtBuildAndOnlyThen(@ForAll("smallKeyLists") List<String> keys) {
    // The first key, in declaration order, whose shape an earlier key already has, and that earlier key.
    Map<String, String> firstByShape = new HashMap<>();
    String offending = null;
    String earlier = null;
    for (String k : keys) {
      String first = firstByShape.putIfAbsent(ReferenceMatcher.shape(RouteKey.parse(k)), k);
      if (first != null && offending == null) {
        offending = k;
        earlier = first;
      }
    }
    boolean duplicate = offending != null;
    RouteTable.Builder<String> builder = RouteTable.builder();
    for (String k : keys) {
      builder.add(k, k); // each key is valid on its own: add never rejects it
    }
    if (duplicate) {
      String expected = "route key '" + offending + "': " + (earlier.equals(offending)
          ? "the route is declared twice; each route key may appear once"
          : "it is the same route as '" + earlier + "': keys that differ only in variable names are duplicates");
      String key = offending;
      assertThatThrownBy(builder::build).as("build() of %s", keys).isInstanceOf(InvalidRouteException.class)
          .hasMessage(expected)
          .satisfies(e -> assertThat(((InvalidRouteException) e).routeKey()).isEqualTo(key));
    } else {
      assertThat(builder.build().routes()).as("routes() of %s", keys).hasSize(keys.size());
    }
  }

  @Property(tries = 1000)
  void routeKeyRoundTrips(@ForAll("routeKeys") String text) {
    RouteKey key = RouteKey.parse(text);
    assertThat(key.toString()).isEqualTo(text);
    assertThat(RouteKey.parse(key.toString())).isEqualTo(key).hasSameHashCodeAs(key);
    if (text.equals("$default")) {
      assertThat(key.isDefault()).isTrue();
      assertThat(key).isEqualTo(RouteKey.DEFAULT);
      assertThat(key.method()).isEqualTo(RouteMethod.ANY);
      assertThat(key.path()).isEmpty();
      assertThat(key.variableNames()).isEmpty();
      return;
    }
    String method = text.substring(0, text.indexOf(' '));
    String path = text.substring(text.indexOf(' ') + 1);
    List<Segment> segments = ReferenceMatcher.parsePath(path);
    assertThat(key.isDefault()).isFalse();
    assertThat(key.method()).isEqualTo(RouteMethod.valueOf(method));
    assertThat(key.path()).isEqualTo(path);
    assertThat(key.variableNames())
        .isEqualTo(segments.stream().filter(g -> g.kind() != Kind.LITERAL).map(Segment::text).toList());
    assertThat(key.isGreedy()).isEqualTo(segments.get(segments.size() - 1).kind() == Kind.GREEDY);
  }

  // ---------------------------------------------------------------------------------------------
  // Generators
  // ---------------------------------------------------------------------------------------------

  /**
   * Mostly today's small scenarios; sometimes literals with equal hash codes, routes and requests of
   * 17 to 30 segments (more than the 16 the matcher's segment arrays start with), of 63 to 70 segments
   * (the trie's depth bits saturate at 63), or paths of hundreds to thousands of characters (the
   * matcher's per-thread buffers start at 256 characters; past 8,192 a lookup gets buffers of its own).
   */
  @Provide
  Arbitrary<Scenario> scenarios() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, scenariosOf(routeKey(LITERALS, 4), requestSegment(LITERALS))),
        Tuple.of(3, scenariosOf(routeKey(COLLIDING, 3), requestSegment(COLLIDING))),
        Tuple.of(2, deepScenarios(17, 30)),
        Tuple.of(2, deepScenarios(63, 70)),
        Tuple.of(2, longPathScenarios()));
  }

  /** Up to 12 routes; requests random or made from the routes' own patterns. */
  static Arbitrary<Scenario> scenariosOf(Arbitrary<String> routeKey, Arbitrary<String> segment) {
    return routeKey.list().ofMinSize(0).ofMaxSize(12)
        .map(RouteMatcherPropertyTest::dedupe)
        .flatMap(keys -> {
          List<String> patterns = patterns(keys);
          Arbitrary<Request> request =
              patterns.isEmpty()
                  ? randomRequest(segment)
                  : Arbitraries.frequencyOf(
                      Tuple.of(2, randomRequest(segment)),
                      Tuple.of(3, Arbitraries.of(patterns).flatMap(k -> requestFor(k, segment, greedyValue(segment, 1, 3)))));
          return request.list().ofMinSize(1).ofMaxSize(25).map(rs -> new Scenario(keys, rs));
        });
  }

  /**
   * Routes of {@code minDepth} to {@code maxDepth} segments, each derived from one base path of that
   * many segments (mostly its literals, sometimes a variable or another literal, often a greedy last
   * segment), so that they share long prefixes and end at neighbouring depths; requests are the routes'
   * own patterns (sometimes one segment shorter, longer, replaced, or with a trailing slash) and prefixes
   * of the base path of every length around those depths.
   */
  static Arbitrary<Scenario> deepScenarios(int minDepth, int maxDepth) {
    List<String> alphabet = List.of("a", "b", "Aa", "BB");
    Arbitrary<String> segment = requestSegment(alphabet);
    // Mostly capturable values, so that requests made from a 70-segment pattern often match it; an
    // uncapturable one (dot, empty, malformed) then decides alone whether the route matches.
    Arbitrary<String> value =
        Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.of(alphabet)), Tuple.of(2, uncapturable()), Tuple.of(2, segment));
    return Arbitraries.of(alphabet).list().ofSize(maxDepth).flatMap(base -> {
      Arbitrary<String> key =
          Arbitraries.frequencyOf(
              Tuple.of(12, derivedKey(base, minDepth, alphabet)), Tuple.of(1, Arbitraries.just("$default")));
      return key.list().ofMinSize(1).ofMaxSize(8).map(RouteMatcherPropertyTest::dedupe).flatMap(keys -> {
        List<String> patterns = patterns(keys);
        Arbitrary<Request> alongBase = alongBase(base, minDepth - 2, segment);
        Arbitrary<Request> request =
            patterns.isEmpty()
                ? alongBase
                : Arbitraries.frequencyOf(
                    Tuple.of(1, randomRequest(segment)),
                    Tuple.of(3, alongBase),
                    Tuple.of(6, mutated(Arbitraries.of(patterns)
                        .flatMap(k -> requestFor(k, value, greedyValue(value, 1, 4))), segment)));
        return request.list().ofMinSize(1).ofMaxSize(25).map(rs -> new Scenario(keys, rs));
      });
    });
  }

  /** A key of {@code minLength} to {@code base.size()} segments that mostly follows {@code base}. */
  static Arbitrary<String> derivedKey(List<String> base, int minLength, List<String> alphabet) {
    return Combinators.combine(routeMethod(), Arbitraries.integers().between(minLength, base.size()))
        .flatAs((method, length) -> {
          List<Arbitrary<String>> segments = new ArrayList<>();
          for (int i = 0; i < length; i++) {
            int position = i;
            List<Tuple.Tuple2<Integer, Arbitrary<String>>> choices = new ArrayList<>();
            choices.add(Tuple.of(60, Arbitraries.just(base.get(i))));
            choices.add(Tuple.of(5, Arbitraries.of("x", "y").map(n -> "{" + n + position + "}")));
            choices.add(Tuple.of(1, Arbitraries.of(alphabet)));
            if (i == length - 1) {
              choices.add(Tuple.of(25, Arbitraries.of("p", "q").map(n -> "{" + n + position + "+}")));
            }
            segments.add(Arbitraries.frequencyOf(choices));
          }
          return Combinators.combine(segments).as(l -> method + " /" + String.join("/", l));
        });
  }

  /** The first {@code minLength} or more segments of {@code base}, maybe one of them escaped, maybe a few more segments after them. */
  static Arbitrary<Request> alongBase(List<String> base, int minLength, Arbitrary<String> segment) {
    return Combinators.combine(
            requestMethod(), Arbitraries.integers().between(minLength, base.size()),
            Arbitraries.integers().between(0, 3 * base.size()), segment.list().ofMaxSize(3), suffix())
        .as((method, length, escaped, more, query) -> {
          List<String> segments = new ArrayList<>();
          for (int i = 0; i < length; i++) {
            segments.add(i == escaped ? percentEncode(base.get(i)) : base.get(i));
          }
          segments.addAll(more);
          return new Request(method, "/" + String.join("/", segments) + query);
        });
  }

  /** One time in three, drops the last segment, adds one, replaces one, or adds a trailing slash. */
  static Arbitrary<Request> mutated(Arbitrary<Request> request, Arbitrary<String> segment) {
    return Combinators.combine(request, Arbitraries.integers().between(0, 11), Arbitraries.integers().between(0, 1000), segment)
        .as((r, kind, at, replacement) -> new Request(r.method(), mutate(r.target(), kind, at, replacement)));
  }

  static String mutate(String target, int kind, int at, String segment) {
    int q = target.indexOf('?');
    String path = q >= 0 ? target.substring(0, q) : target;
    if (kind < 8 || !path.startsWith("/")) {
      return target;
    }
    List<String> segments = new ArrayList<>(ReferenceMatcher.splitOnSlash(path.substring(1)));
    switch (kind) {
      case 8 -> segments.remove(segments.size() - 1);
      case 9 -> segments.add(segment);
      case 10 -> segments.set(at % segments.size(), segment);
      default -> segments.add("");
    }
    return "/" + String.join("/", segments) + (q >= 0 ? target.substring(q) : "");
  }

  /**
   * Today's small route sets, with requests whose values are long (hundreds of characters, mostly
   * escapes; now and then more than 8,192) and requests of 17 to 40 segments.
   */
  static Arbitrary<Scenario> longPathScenarios() {
    Arbitrary<String> value =
        Arbitraries.frequencyOf(Tuple.of(3, longSegment()), Tuple.of(2, requestSegment(LITERALS)));
    // Longer than the 8,192 characters up to which the matcher reuses its per-thread buffers.
    Arbitrary<String> huge =
        Arbitraries.oneOf(
            Arbitraries.integers().between(2_740, 2_800).map("%41"::repeat),
            Arbitraries.integers().between(8_190, 8_300).map("a"::repeat));
    Arbitrary<String> mostlyCapturable =
        Arbitraries.frequencyOf(
            Tuple.of(3, longSegment()), Tuple.of(6, Arbitraries.of(LITERALS)), Tuple.of(1, uncapturable()));
    Arbitrary<Request> manySegments =
        Combinators.combine(requestMethod(), mostlyCapturable.list().ofMinSize(17).ofMaxSize(40), suffix())
            .as((m, l, q) -> new Request(m, "/" + String.join("/", l) + q));
    return routeKey(LITERALS, 4).list().ofMinSize(1).ofMaxSize(8)
        .map(RouteMatcherPropertyTest::dedupe)
        .flatMap(keys -> {
          List<String> patterns = patterns(keys);
          Arbitrary<Request> request =
              patterns.isEmpty()
                  ? manySegments
                  : Arbitraries.frequencyOf(
                      Tuple.of(5, manySegments),
                      Tuple.of(5, randomRequest(requestSegment(LITERALS))),
                      Tuple.of(20, Arbitraries.of(patterns).flatMap(k -> requestFor(k, value, greedyValue(value, 1, 24)))),
                      Tuple.of(1, Arbitraries.of(patterns).flatMap(k -> requestFor(k, huge, greedyValue(huge, 1, 2)))));
          return request.list().ofMinSize(1).ofMaxSize(15).map(rs -> new Scenario(keys, rs));
        });
  }

  /** One raw segment of about 40 to 2,400 characters, mostly escapes. */
  static Arbitrary<String> longSegment() {
    Arbitrary<String> piece =
        Arbitraries.frequency(
            Tuple.of(6, "%41"), Tuple.of(3, "a"), Tuple.of(2, "%C3%A9"), Tuple.of(1, "%F0%9F%98%80"), Tuple.of(1, "%2F"),
            Tuple.of(1, "~"), Tuple.of(1, ";"), Tuple.of(1, "BB"), Tuple.of(1, "%5C"));
    return Arbitraries.frequencyOf(
        Tuple.of(3, piece.list().ofMinSize(20).ofMaxSize(200).map(l -> String.join("", l))),
        Tuple.of(1, Combinators.combine(Arbitraries.of("%41", "a", "%C3%A9", "Aa", "BB"), Arbitraries.integers().between(100, 400))
            .as(String::repeat)));
  }

  /** A segment no variable may capture: empty, a dot segment in any of its forms, or malformed. */
  static Arbitrary<String> uncapturable() {
    return Arbitraries.of(
        "", ".", "..", "%2E", "%2e%2E", "..;x", ".;", "a\\..", "..%5C", "..%2F", "a%2F..", "%zz", "%C3", "%C0%AE");
  }

  static List<String> patterns(List<String> keys) {
    return keys.stream().filter(k -> !k.equals("$default")).toList();
  }

  @Provide
  Arbitrary<String> routeKeys() {
    return routeKey(LITERALS, 4);
  }

  /** Tiny key space, so that duplicates (same key, or same key up to variable names) are frequent. */
  @Provide
  Arbitrary<List<String>> smallKeyLists() {
    Arbitrary<String> segment = Arbitraries.of("a", "b", "{x}", "{y}", "{x+}", "{y+}");
    Arbitrary<String> path =
        segment.list().ofMinSize(0).ofMaxSize(2)
            .filter(l -> l.stream().limit(Math.max(0, l.size() - 1)).noneMatch(s -> s.endsWith("+}")))
            .filter(RouteMatcherPropertyTest::distinctVariableNames)
            .map(l -> "/" + String.join("/", l));
    Arbitrary<String> key =
        Arbitraries.frequencyOf(
            Tuple.of(12, Combinators.combine(Arbitraries.of("GET", "ANY", "POST"), path).as((m, p) -> m + " " + p)),
            Tuple.of(1, Arbitraries.just("$default")));
    return key.list().ofMinSize(1).ofMaxSize(6);
  }

  private static boolean distinctVariableNames(List<String> segments) {
    List<String> names = segments.stream().filter(s -> s.startsWith("{"))
        .map(s -> s.replace("{", "").replace("}", "").replace("+", "")).toList();
    return names.stream().distinct().count() == names.size();
  }

  static Arbitrary<String> routeMethod() {
    return Arbitraries.frequency(
        Tuple.of(4, "GET"), Tuple.of(4, "ANY"), Tuple.of(2, "POST"), Tuple.of(1, "HEAD"),
        Tuple.of(1, "OPTIONS"), Tuple.of(1, "PUT"), Tuple.of(1, "PATCH"), Tuple.of(1, "DELETE"));
  }

  /** A key of 0 to {@code maxSegments} segments with literals from {@code literals}, or now and then $default. */
  static Arbitrary<String> routeKey(List<String> literals, int maxSegments) {
    Arbitrary<String> path =
        Arbitraries.integers().between(0, maxSegments).flatMap(n -> {
          if (n == 0) {
            return Arbitraries.just("/");
          }
          List<Arbitrary<String>> segments = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            segments.add(routeSegment(i, i == n - 1, literals));
          }
          return Combinators.combine(segments).as(l -> "/" + String.join("/", l));
        });
    return Arbitraries.frequencyOf(
        Tuple.of(20, Combinators.combine(routeMethod(), path).as((m, p) -> m + " " + p)),
        Tuple.of(1, Arbitraries.just("$default")));
  }

  /** Variable names carry their position, so they are unique within a key but may differ between keys of one shape. */
  static Arbitrary<String> routeSegment(int position, boolean last, List<String> literals) {
    List<Tuple.Tuple2<Integer, Arbitrary<String>>> choices = new ArrayList<>();
    choices.add(Tuple.of(8, Arbitraries.of(literals)));
    choices.add(Tuple.of(4, Arbitraries.of("x", "y").map(n -> "{" + n + position + "}")));
    if (last) {
      choices.add(Tuple.of(3, Arbitraries.of("p", "q").map(n -> "{" + n + position + "+}")));
    }
    return Arbitraries.frequencyOf(choices);
  }

  static Arbitrary<String> requestMethod() {
    return Arbitraries.frequency(
        Tuple.of(6, "GET"), Tuple.of(3, "POST"), Tuple.of(2, "HEAD"), Tuple.of(2, "OPTIONS"),
        Tuple.of(1, "PUT"), Tuple.of(1, "PATCH"), Tuple.of(1, "DELETE"), Tuple.of(1, "TRACE"),
        Tuple.of(1, "get"), Tuple.of(1, "ANY"));
  }

  /**
   * One raw request segment: mostly route literals (as they are, or with the first character escaped),
   * plus escapes, dots (also the forms with ';' and backslashes), empties and malformed ones.
   */
  static Arbitrary<String> requestSegment(List<String> literals) {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of(literals)),
        Tuple.of(2, Arbitraries.of(literals).map(RouteMatcherPropertyTest::percentEncodeFirst)),
        Tuple.of(3, Arbitraries.of("", ".", "..", "...", ".a")),
        Tuple.of(2, Arbitraries.of(
            "..;x", ".;", "..;", ";..", "..a;", "a;..", "a\\..", "a\\b", "\\", "..%5C", "%5C..", "a%5Cb", "%5c%2E",
            "%2E%2E%3Bx", ".%3B", "a%2F..;b")),
        Tuple.of(4, Arbitraries.of(
            "%61", "%62", "%41", "%2E", "%2e%2E", ".%2E", "%2F", "a%2Fb", "%2F..", "..%2F", "%20", "+",
            "%2B", "%C3%A9", "caf%C3%A9", "%F0%9F%98%80", "a%3Fb", "%00", "%25", "%7E")),
        Tuple.of(2, Arbitraries.of(
            "%zz", "%", "%4", "a%2", "%C3", "%C0%AE", "%ED%A0%80", "%E2%82", "%FF", "%80", "%F4%90%80%80")));
  }

  @Provide
  Arbitrary<List<Request>> escapedRequests() {
    Arbitrary<String> segment =
        Arbitraries.frequencyOf(
            Tuple.of(6, escapedBytes()),
            Tuple.of(1, Combinators.combine(escapedBytes(), Arbitraries.of("a", ".", "+", "%"), escapedBytes())
                .as((x, y, z) -> x + y + z)));
    Arbitrary<String> path =
        Arbitraries.frequencyOf(
            Tuple.of(3, segment.map(g -> "/v/" + g)),
            Tuple.of(2, segment.list().ofMinSize(1).ofMaxSize(3).map(l -> "/v/" + String.join("/", l))),
            Tuple.of(1, segment.map(g -> "/" + g)));
    return Combinators.combine(Arbitraries.of("GET", "POST"), path).as(Request::new).list().ofMinSize(1).ofMaxSize(20);
  }

  /** 1 to 4 pieces, each a UTF-8 encoded code point, a prefix of one, or a single arbitrary byte; all %-escaped. */
  static Arbitrary<String> escapedBytes() {
    Arbitrary<Integer> codePoint =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF)),
            Tuple.of(3, Arbitraries.integers().between(0, 0x7FF)),
            Tuple.of(2, Arbitraries.of(0x00, 0x2E, 0x2F, 0x25, 0x3F, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000,
                0xFEFF, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF)));
    Arbitrary<byte[]> wellFormed = codePoint.map(cp -> new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> truncated =
        wellFormed.filter(b -> b.length > 1).flatMap(b -> Arbitraries.integers().between(1, b.length - 1)
            .map(n -> Arrays.copyOf(b, n)));
    Arbitrary<byte[]> single =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.integers().between(0, 255)),
            Tuple.of(1, Arbitraries.of(0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF)))
            .map(b -> new byte[] {(byte) (int) b});
    Arbitrary<byte[]> piece =
        Arbitraries.frequencyOf(Tuple.of(6, wellFormed), Tuple.of(2, single), Tuple.of(1, truncated));
    return Combinators.combine(piece.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(true, false))
        .as((pieces, upper) -> {
          StringBuilder sb = new StringBuilder();
          for (byte[] b : pieces) {
            for (byte x : b) {
              String hex = String.format("%%%02X", x & 0xFF);
              sb.append(upper ? hex : hex.toLowerCase(Locale.ROOT));
            }
          }
          return sb.toString();
        });
  }

  static Arbitrary<String> suffix() {
    return Arbitraries.frequency(
        Tuple.of(12, ""), Tuple.of(2, "/"), Tuple.of(1, "?"), Tuple.of(1, "?q=1"), Tuple.of(1, "?x/../y"),
        Tuple.of(1, "?%zz"));
  }

  static Arbitrary<Request> randomRequest(Arbitrary<String> segment) {
    Arbitrary<String> path =
        Arbitraries.frequencyOf(
            Tuple.of(15, segment.list().ofMinSize(0).ofMaxSize(5).map(l -> "/" + String.join("/", l))),
            Tuple.of(1, Arbitraries.of("", "a", "*", "?", "?/a", "a/b", "%2Fa", "http://h/a")));
    return Combinators.combine(requestMethod(), path, suffix()).as((m, p, q) -> new Request(m, p + q));
  }

  /** A greedy variable's value: {@code min} to {@code max} segments. */
  static Arbitrary<String> greedyValue(Arbitrary<String> segment, int min, int max) {
    return segment.list().ofMinSize(min).ofMaxSize(max).map(l -> String.join("/", l));
  }

  /**
   * A request built from the route's own pattern: literals as they are or (partly) percent-encoded,
   * {@code value} for variables, {@code greedy} for a greedy variable.
   */
  static Arbitrary<Request> requestFor(String key, Arbitrary<String> value, Arbitrary<String> greedy) {
    int space = key.indexOf(' ');
    String method = key.substring(0, space);
    List<Arbitrary<String>> parts = new ArrayList<>();
    for (Segment seg : ReferenceMatcher.parsePath(key.substring(space + 1))) {
      parts.add(
          switch (seg.kind()) {
            case LITERAL -> Arbitraries.frequency(
                Tuple.of(10, seg.text()), Tuple.of(1, percentEncode(seg.text())), Tuple.of(1, percentEncodeFirst(seg.text())));
            case VARIABLE -> value;
            case GREEDY -> greedy;
          });
    }
    Arbitrary<String> path = Combinators.combine(parts).as(l -> "/" + String.join("/", l));
    Arbitrary<String> requestMethod =
        method.equals("ANY")
            ? requestMethod()
            : Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(method)), Tuple.of(1, requestMethod()));
    return Combinators.combine(requestMethod, path, suffix()).as((m, p, q) -> new Request(m, p + q));
  }

  /** "Aa" -> "%41a": the first character escaped (ASCII literals only). */
  static String percentEncodeFirst(String s) {
    return s.isEmpty() ? s : percentEncode(s.substring(0, 1)) + s.substring(1);
  }

  static String percentEncode(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(String.format("%%%02X", (int) c));
    }
    return sb.toString();
  }

  /** Keeps the first key of each shape (method + path with variable names erased). */
  static List<String> dedupe(List<String> keys) {
    Map<String, String> byShape = new LinkedHashMap<>();
    for (String k : keys) {
      byShape.putIfAbsent(ReferenceMatcher.shape(RouteKey.parse(k)), k);
    }
    return List.copyOf(byShape.values());
  }
}
