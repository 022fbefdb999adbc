package dev.gatelink.benchmarks.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The request arrays of one table size, made with a fixed seed and checked against
 * {@link ReferenceMatcher}: every hit request really matches the route (and route kind) it was made for,
 * and every miss request matches nothing. Setup fails otherwise.
 */
public final class Workload {

  /** The seed of the requests. */
  public static final long SEED = 0x5EED_0F_2025L;

  /** Mixed workload: how many of the 1,024 requests come from each set. */
  public static final int MIXED_LITERAL = 307;
  public static final int MIXED_VARIABLE = 461;
  public static final int MIXED_GREEDY = 154;
  public static final int MIXED_MISS = RequestSet.SIZE - MIXED_LITERAL - MIXED_VARIABLE - MIXED_GREEDY;

  private static final String[] ANY_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  private static final String[] TAIL_WORDS = {
    "api", "users", "profile", "assets", "img", "logo.png", "reports", "2024", "q3", "summary.pdf",
    "static", "js", "app.js", "detail", "status", "config", "export.csv", "v2", "batch", "jobs"};
  private static final String[] UNKNOWN_CHILDREN = {
    "settings", "permissions", "metrics", "owners", "links", "exports", "history", "tasks"};
  private static final String[] UNKNOWN_RESOURCES = {
    "widgets", "gadgets", "forecasts", "schedules", "licenses", "contracts", "budgets", "teams"};
  private static final String[] UNKNOWN_ROOTS = {
    "api", "internal", "admin", "static", "graphql", "favicon.ico", "robots.txt", "metrics", "v4", "v9"};

  public final RouteTableGenerator.Generated table;
  public final RequestSet literal;
  public final RequestSet variable;
  public final RequestSet greedy;
  public final RequestSet miss;
  public final RequestSet mixed;

  private final ReferenceMatcher reference;
  private final Random rng = new Random(SEED);

  public Workload(RouteTableGenerator.Generated table) {
    this.table = table;
    this.reference = new ReferenceMatcher(table.routes());
    List<RouteSpec> literals = ofKind(RouteSpec.Kind.LITERAL);
    List<RouteSpec> variables = ofKind(RouteSpec.Kind.VARIABLE);
    List<RouteSpec> greedies = ofKind(RouteSpec.Kind.GREEDY);
    this.literal = literalHits(literals);
    this.variable = hits("variable", variables, RouteSpec.Kind.VARIABLE);
    this.greedy = hits("greedy", greedies, RouteSpec.Kind.GREEDY);
    this.miss = misses();
    this.mixed = mixed();
  }

  private List<RouteSpec> ofKind(RouteSpec.Kind kind) {
    List<RouteSpec> out = new ArrayList<>();
    for (RouteSpec route : table.routes()) {
      if (route.kind() == kind) {
        out.add(route);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("the table has no " + kind + " route");
    }
    return out;
  }

  /**
   * 1,024 requests on fully literal routes: every literal route once if there are at least 1,024 of them
   * (a random 1,024), else all of them repeated in shuffled rounds. Each slot is its own String instance.
   */
  private RequestSet literalHits(List<RouteSpec> literals) {
    List<RouteSpec> picked = new ArrayList<>(RequestSet.SIZE);
    while (picked.size() < RequestSet.SIZE) {
      List<RouteSpec> round = new ArrayList<>(literals);
      Collections.shuffle(round, rng);
      for (RouteSpec route : round) {
        if (picked.size() < RequestSet.SIZE) {
          picked.add(route);
        }
      }
    }
    String[] methods = new String[RequestSet.SIZE];
    String[] paths = new String[RequestSet.SIZE];
    RouteSpec[] expected = new RouteSpec[RequestSet.SIZE];
    List<Map<String, String>> params = new ArrayList<>();
    for (int i = 0; i < RequestSet.SIZE; i++) {
      RouteSpec route = picked.get(i);
      methods[i] = requestMethod(route);
      paths[i] = new String(route.path());
      expected[i] = route;
      params.add(Map.of());
    }
    return check(new RequestSet("literal", methods, paths, expected, params), RouteSpec.Kind.LITERAL);
  }

  /** 1,024 distinct requests on routes of one kind, with random variable values and greedy tails. */
  private RequestSet hits(String name, List<RouteSpec> routes, RouteSpec.Kind kind) {
    String[] methods = new String[RequestSet.SIZE];
    String[] paths = new String[RequestSet.SIZE];
    RouteSpec[] expected = new RouteSpec[RequestSet.SIZE];
    List<Map<String, String>> params = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < RequestSet.SIZE; ) {
      RouteSpec route = routes.get(rng.nextInt(routes.size()));
      String method = requestMethod(route);
      String path = fill(route);
      if (seen.add(method + ' ' + path)) {
        methods[i] = method;
        paths[i] = path;
        expected[i] = route;
        params.add(ReferenceMatcher.parameters(route, path));
        i++;
      }
    }
    return check(new RequestSet(name, methods, paths, expected, params), kind);
  }

  /**
   * 1,024 distinct requests that no route takes: unknown roots and versions, a collection with a method it
   * lacks, an unknown sub-resource, one segment too many, an unknown resource of a known domain, a legacy
   * service that does not exist, POST on a search endpoint. Candidates the reference matches are dropped.
   */
  private RequestSet misses() {
    List<RouteTableGenerator.Resource> resources = table.resources();
    String[] methods = new String[RequestSet.SIZE];
    String[] paths = new String[RequestSet.SIZE];
    Set<String> seen = new HashSet<>();
    int attempts = 0;
    for (int i = 0; i < RequestSet.SIZE; ) {
      if (++attempts > 1_000_000) {
        throw new IllegalStateException("could not generate enough misses");
      }
      RouteTableGenerator.Resource res = resources.get(rng.nextInt(resources.size()));
      String id = value(res.idName());
      String method = ANY_METHODS[rng.nextInt(ANY_METHODS.length)];
      String path;
      switch (rng.nextInt(8)) {
        case 0 -> path = "/" + pick(UNKNOWN_ROOTS) + "/" + res.domain() + "/" + res.name()
            + (rng.nextBoolean() ? "/" + id : "");
        case 1 -> {
          method = rng.nextBoolean() ? "DELETE" : (rng.nextBoolean() ? "PUT" : "PATCH");
          path = res.base();
        }
        case 2 -> {
          method = "GET";
          path = res.base() + "/" + id + "/" + pick(UNKNOWN_CHILDREN);
        }
        case 3 -> {
          method = "GET";
          path = res.base() + "/" + id + "/" + res.child() + "/" + value(res.childIdName()) + "/"
              + pick(TAIL_WORDS);
        }
        case 4 -> path = "/" + res.version() + "/" + res.domain() + "/" + pick(UNKNOWN_RESOURCES)
            + (rng.nextBoolean() ? "/" + id : "");
        case 5 -> path = "/v1/svc" + (9000 + rng.nextInt(1000)) + "/" + tail();
        case 6 -> {
          method = "POST";
          path = res.base() + "/search";
        }
        default -> {
          method = "GET";
          path = "/" + pick(UNKNOWN_ROOTS) + "/" + tail();
        }
      }
      if (reference.match(method, path) == null && seen.add(method + ' ' + path)) {
        methods[i] = method;
        paths[i] = path;
        i++;
      }
    }
    List<Map<String, String>> params = new ArrayList<>(Collections.nCopies(RequestSet.SIZE, Map.of()));
    return check(new RequestSet("miss", methods, paths, new RouteSpec[RequestSet.SIZE], params), null);
  }

  /** The first requests of each set, shuffled together (30% literal, 45% variable, 15% greedy, 10% miss). */
  private RequestSet mixed() {
    List<int[]> picks = new ArrayList<>(RequestSet.SIZE); // {set, index}
    int[] counts = {MIXED_LITERAL, MIXED_VARIABLE, MIXED_GREEDY, MIXED_MISS};
    for (int s = 0; s < counts.length; s++) {
      for (int i = 0; i < counts[s]; i++) {
        picks.add(new int[] {s, i});
      }
    }
    Collections.shuffle(picks, rng);
    RequestSet[] sets = {literal, variable, greedy, miss};
    String[] methods = new String[RequestSet.SIZE];
    String[] paths = new String[RequestSet.SIZE];
    RouteSpec[] expected = new RouteSpec[RequestSet.SIZE];
    List<Map<String, String>> params = new ArrayList<>();
    for (int i = 0; i < RequestSet.SIZE; i++) {
      RequestSet from = sets[picks.get(i)[0]];
      int j = picks.get(i)[1];
      methods[i] = from.methods[j];
      paths[i] = new String(from.paths[j]);
      expected[i] = from.expected(j);
      params.add(from.expectedParameters(j));
    }
    return check(new RequestSet("mixed", methods, paths, expected, params), null);
  }

  /** Fails unless the reference matcher agrees with every expectation (and the route kind, if given). */
  private RequestSet check(RequestSet set, RouteSpec.Kind kind) {
    for (int i = 0; i < RequestSet.SIZE; i++) {
      RouteSpec want = set.expected(i);
      RouteSpec got = reference.match(set.methods[i], set.paths[i]);
      if (got != want) {
        throw new IllegalStateException(set.describe(i) + ": reference matcher picks " + got
            + ", generated for " + want);
      }
      if (kind != null && (want == null || want.kind() != kind)) {
        throw new IllegalStateException(set.describe(i) + ": expected a " + kind + " route, got " + want);
      }
      if (want != null && !ReferenceMatcher.parameters(want, set.paths[i]).equals(set.expectedParameters(i))) {
        throw new IllegalStateException(set.describe(i) + ": parameters differ");
      }
    }
    return set;
  }

  private String requestMethod(RouteSpec route) {
    return route.anyMethod() ? ANY_METHODS[rng.nextInt(ANY_METHODS.length)] : route.method();
  }

  private String fill(RouteSpec route) {
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < route.segmentCount(); i++) {
      sb.append('/');
      switch (route.segmentKind(i)) {
        case RouteSpec.LIT -> sb.append(route.segment(i));
        case RouteSpec.VAR -> sb.append(value(route.segment(i)));
        default -> sb.append(tail());
      }
    }
    return sb.toString();
  }

  /** A realistic identifier: a number, a prefixed random token, or a UUID. */
  private String value(String variableName) {
    switch (rng.nextInt(3)) {
      case 0:
        return Integer.toString(1 + rng.nextInt(9_999_999));
      case 1: {
        String prefix = variableName.length() > 3 ? variableName.substring(0, 3).toLowerCase() : "id";
        StringBuilder sb = new StringBuilder(prefix).append('_');
        for (int i = 0; i < 10; i++) {
          sb.append(Character.forDigit(rng.nextInt(36), 36));
        }
        return sb.toString();
      }
      default:
        return new UUID(rng.nextLong(), rng.nextLong()).toString();
    }
  }

  /** One to four segments for a greedy variable; never "health" (a literal beside the legacy proxies). */
  private String tail() {
    int n = 1 + rng.nextInt(4);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(rng.nextInt(4) == 0 ? Integer.toString(rng.nextInt(100_000)) : pick(TAIL_WORDS));
    }
    return sb.toString();
  }

  private String pick(String[] words) {
    return words[rng.nextInt(words.length)];
  }
}
