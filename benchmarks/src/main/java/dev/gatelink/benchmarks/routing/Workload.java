package dev.gatelink.benchmarks.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The request arrays of one table size, made with a fixed seed and checked against
 * {@link ReferenceMatcher}: every hit request really matches the route (and route kind) it was made for,
 * with the path parameters it was made with, and every miss request matches nothing. Setup fails otherwise.
 *
 * <p>{@link #ESCAPED} requests of the variable, greedy and miss sets carry percent-escapes, and
 * {@link #MIXED_LITERAL_QUERIES} of the mixed set's literal requests carry a query string. Which slots do
 * is fixed by {@link #ESCAPE_SEED} alone, the same at every table size; the escapes themselves come from a
 * random stream of their own, so that they barely disturb the requests the main seed makes.
 * Escapes are kept to what the three matchers (reference, Gatelink, Vert.x Web) agree on: no {@code %2F},
 * no dot segments, no malformed escapes, no {@code +}; and in the tail of a greedy route that also has a
 * {@code {var}}, only escapes of unreserved characters ({@code %7E}, {@code %2D}, {@code %5F}), because
 * Vert.x Web gives the rest of such a route ({@code "*"}) with only those decoded.
 */
public final class Workload {

  /** The seed of the requests. */
  public static final long SEED = 0x5EED_0F_2025L;

  /** Mixed workload: how many of the 1,024 requests come from each set. */
  public static final int MIXED_LITERAL = 307;
  public static final int MIXED_VARIABLE = 461;
  public static final int MIXED_GREEDY = 154;
  public static final int MIXED_MISS = RequestSet.SIZE - MIXED_LITERAL - MIXED_VARIABLE - MIXED_GREEDY;

  /** How many of the 1,024 requests of the variable, greedy and miss sets carry percent-escapes (15%). */
  public static final int ESCAPED = 154;
  /** How many of the mixed set's {@link #MIXED_LITERAL} literal requests carry a query string (15%). */
  public static final int MIXED_LITERAL_QUERIES = 46;
  /** The seed of which requests carry escapes or a query, and of the escapes themselves. */
  public static final long ESCAPE_SEED = 0x25_C3A9_2DL;

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

  /** Values that need escapes (space, non-ASCII), for variables and greedy tails. */
  private static final String[] ESCAPED_WORDS = {
    "caf\u00e9", "cr\u00e8me br\u00fbl\u00e9e", "S\u00e3o Paulo", "Z\u00fcrich", "na\u00efve", "El Ni\u00f1o",
    "\u00c5ngstr\u00f6m", "fa\u00e7ade", "jalape\u00f1o", "d\u00e9j\u00e0 vu", "Krak\u00f3w", "M\u00e1laga",
    "annual report", "q3 summary.pdf", "r\u00e9sum\u00e9 2024.pdf", "\u20ac prices", "\u65e5\u672c"};
  /** Tail segments holding unreserved characters that clients sometimes escape ({@code ~ - _}). */
  private static final String[] UNRESERVED_WORDS = {
    "~backup", "q3-summary", "draft_v2", "read-me.txt", "~tmp", "export_2024.csv", "year-end", "~user"};
  /** Escaped prefixes that make a miss's segment decode to something no route names. */
  private static final String[] MISS_PREFIXES = {"%7E", "%C3%A9", "%20", "%2D", "%E2%82%AC"};
  /** Query strings of the mixed set's literal requests (a {@code ?} ends the path). */
  private static final String[] QUERIES = {
    "page=2", "limit=50", "page=3&limit=20", "sort=-created", "q=shoes", "expand=items", "q=caf%C3%A9",
    "filter=status%3Dopen"};

  public final RouteTableGenerator.Generated table;
  public final RequestSet literal;
  public final RequestSet variable;
  public final RequestSet greedy;
  public final RequestSet miss;
  public final RequestSet mixed;

  private final ReferenceMatcher reference;
  private final Random rng = new Random(SEED);
  /** The escapes themselves: a stream apart from {@link #rng}, so that plain requests barely change. */
  private final Random escapes = new Random(ESCAPE_SEED);

  public Workload(RouteTableGenerator.Generated table) {
    this.table = table;
    this.reference = new ReferenceMatcher(table.routes());
    List<RouteSpec> literals = ofKind(RouteSpec.Kind.LITERAL);
    List<RouteSpec> variables = ofKind(RouteSpec.Kind.VARIABLE);
    List<RouteSpec> greedies = ofKind(RouteSpec.Kind.GREEDY);
    this.literal = literalHits(literals);
    this.variable = hits("variable", variables, RouteSpec.Kind.VARIABLE, 1);
    this.greedy = hits("greedy", greedies, RouteSpec.Kind.GREEDY, 2);
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

  /**
   * 1,024 distinct requests on routes of one kind, with random variable values and greedy tails;
   * {@link #ESCAPED} of them have one parameter value percent-escaped. The expected parameters are the
   * values the request was made from (decoded), not what the reference matcher reads back.
   */
  private RequestSet hits(String name, List<RouteSpec> routes, RouteSpec.Kind kind, int stream) {
    boolean[] escaped = slots(RequestSet.SIZE, ESCAPED, stream);
    String[] methods = new String[RequestSet.SIZE];
    String[] paths = new String[RequestSet.SIZE];
    RouteSpec[] expected = new RouteSpec[RequestSet.SIZE];
    List<Map<String, String>> params = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < RequestSet.SIZE; ) {
      RouteSpec route = routes.get(rng.nextInt(routes.size()));
      String method = requestMethod(route);
      Map<String, String> values = new LinkedHashMap<>();
      String path = fill(route, escaped[i], values);
      if (seen.add(method + ' ' + path)) {
        methods[i] = method;
        paths[i] = path;
        expected[i] = route;
        params.add(values);
        i++;
      }
    }
    return check(new RequestSet(name, methods, paths, expected, params), kind);
  }

  /**
   * 1,024 distinct requests that no route takes: unknown roots and versions, a collection with a method it
   * lacks, an unknown sub-resource, one segment too many, an unknown resource of a known domain, a legacy
   * service that does not exist, POST on a search endpoint. {@link #ESCAPED} of them carry escapes
   * ({@link #escapeMiss}). Candidates the reference matches are dropped.
   */
  private RequestSet misses() {
    boolean[] escaped = slots(RequestSet.SIZE, ESCAPED, 3);
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
      if (escaped[i]) {
        path = escapeMiss(path);
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

  /**
   * The first requests of each set, shuffled together (30% literal, 45% variable, 15% greedy, 10% miss),
   * escapes included; {@link #MIXED_LITERAL_QUERIES} of the literal requests get a query string, so they
   * miss Gatelink's literal probe (it compares the whole raw path) and take the trie search.
   */
  private RequestSet mixed() {
    boolean[] query = slots(MIXED_LITERAL, MIXED_LITERAL_QUERIES, 4);
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
      paths[i] = from == literal && query[j]
          ? from.paths[j] + '?' + QUERIES[escapes.nextInt(QUERIES.length)]
          : new String(from.paths[j]);
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

  /**
   * A request path for {@code route}, with its parameter values put into {@code values}. The values are
   * drawn as for a plain request; if {@code escape}, one of them (chosen by {@link #escapes}) is then
   * written with percent-escapes ({@link #escapeValue}, {@link #escapeTail}), and {@code values} gets its
   * decoded form.
   */
  private String fill(RouteSpec route, boolean escape, Map<String, String> values) {
    int escaped = -1;
    if (escape) {
      List<Integer> parameters = new ArrayList<>();
      for (int i = 0; i < route.segmentCount(); i++) {
        if (route.segmentKind(i) != RouteSpec.LIT) {
          parameters.add(i);
        }
      }
      escaped = parameters.get(escapes.nextInt(parameters.size()));
    }
    boolean hasVariable = false;
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < route.segmentCount(); i++) {
      sb.append('/');
      String name = route.segment(i);
      switch (route.segmentKind(i)) {
        case RouteSpec.LIT -> sb.append(name);
        case RouteSpec.VAR -> {
          hasVariable = true;
          String value = value(name);
          if (i == escaped) {
            String[] rawAndDecoded = escapeValue(value);
            sb.append(rawAndDecoded[0]);
            value = rawAndDecoded[1];
          } else {
            sb.append(value);
          }
          values.put(name, value);
        }
        default -> {
          String tail = tail();
          if (i == escaped) {
            // Vert.x Web leaves the rest of a route with a {var} (a regex route) undecoded but for unreserved
            // characters; the rest of a prefix route (no {var}) it decodes fully.
            String[] rawAndDecoded = escapeTail(tail, hasVariable);
            sb.append(rawAndDecoded[0]);
            tail = rawAndDecoded[1];
          } else {
            sb.append(tail);
          }
          values.put(name, tail);
        }
      }
    }
    return sb.toString();
  }

  /** {@code count} of {@code size} slots, chosen by {@link #ESCAPE_SEED} and {@code stream} alone. */
  private static boolean[] slots(int size, int count, int stream) {
    List<Integer> order = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(ESCAPE_SEED * 31 + stream));
    boolean[] out = new boolean[size];
    for (int i = 0; i < count; i++) {
      out[order.get(i)] = true;
    }
    return out;
  }

  /**
   * A variable value written with escapes, as {raw, decoded}: an identifier with its unreserved
   * {@code -} or {@code _} escaped ({@code %2D}, {@code %5F}; same decoded value), or a readable value with
   * a space and non-ASCII characters ({@code caf%C3%A9%201234}), in upper- or lower-case hex.
   */
  private String[] escapeValue(String value) {
    int kind = escapes.nextInt(3);
    if (kind == 0 && (value.indexOf('-') >= 0 || value.indexOf('_') >= 0)) {
      return new String[] {value.replace("-", "%2D").replace("_", "%5F"), value};
    }
    String decoded = pick(escapes, ESCAPED_WORDS) + " " + value;
    return new String[] {encode(decoded, kind == 2), decoded};
  }

  /**
   * A greedy tail with one segment replaced by an escaped word, as {raw, decoded}: a word with unreserved
   * characters escaped ({@code %7Ebackup}, {@code q3%2Dsummary}); or, unless {@code unreservedOnly}, a
   * word that needs escapes ({@code r%C3%A9sum%C3%A9%202024.pdf}).
   */
  private String[] escapeTail(String tail, boolean unreservedOnly) {
    String[] segments = tail.split("/", -1);
    int k = escapes.nextInt(segments.length);
    String word;
    String raw;
    if (unreservedOnly || escapes.nextBoolean()) {
      word = pick(escapes, UNRESERVED_WORDS);
      raw = word.replace("~", "%7E").replace("-", "%2D").replace("_", "%5F");
    } else {
      word = pick(escapes, ESCAPED_WORDS);
      raw = encode(word, false);
    }
    String[] rawSegments = segments.clone();
    segments[k] = word;
    rawSegments[k] = raw;
    return new String[] {String.join("/", rawSegments), String.join("/", segments)};
  }

  /**
   * A miss with escapes: one segment either gets an escaped prefix, so that it decodes to something no
   * route names ({@code /v9/%7Eunknown/x}), or has one letter or digit escaped, so that it decodes back to
   * the same path ({@code /v1/s%61les/orders/42/settings}): an escaped request that reaches deep before
   * it misses. The caller checks that the result still misses.
   */
  private String escapeMiss(String path) {
    String[] segments = path.substring(1).split("/", -1);
    int k = escapes.nextInt(segments.length);
    String segment = segments[k];
    if (escapes.nextBoolean()) {
      segments[k] = pick(escapes, MISS_PREFIXES) + segment;
    } else {
      int at = escapes.nextInt(segment.length());
      char c = segment.charAt(at);
      if (Character.isLetterOrDigit(c) && c < 0x80) {
        segments[k] = segment.substring(0, at) + String.format("%%%02X", (int) c) + segment.substring(at + 1);
      } else {
        segments[k] = "%7E" + segment;
      }
    }
    return "/" + String.join("/", segments);
  }

  /**
   * Percent-encodes everything but unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) as UTF-8, in upper-
   * or lower-case hex.
   */
  private static String encode(String decoded, boolean lowerCase) {
    StringBuilder sb = new StringBuilder();
    for (byte b : decoded.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append(String.format(lowerCase ? "%%%02x" : "%%%02X", c));
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
    return pick(rng, words);
  }

  private static String pick(Random random, String[] words) {
    return words[random.nextInt(words.length)];
  }
}
