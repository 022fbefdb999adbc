package dev.gatelink.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.gatelink.route.ReferenceMatcher.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The routing conformance table: {@code src/test/resources/dev/gatelink/route/conformance/*.txt}.
 *
 * <h2>Table format</h2>
 *
 * <p>Line oriented, UTF-8. Blank lines and lines starting with {@code #} are ignored; an unquoted
 * token starting with {@code #} starts a trailing comment.
 *
 * <pre>
 * routes: GET /pets/dog/1 | GET /pets/{proxy+} | $default     starts a block (keys separated by '|')
 * routes: ANY /{proxy+}                                        consecutive routes: lines extend the block
 * routes:                                                      (nothing after it) a block with no routes
 * GET /pets/dog/1        -> GET /pets/dog/1                    METHOD RAW-TARGET -> expected route key
 * GET /pets/cat/1?x=y    -> GET /pets/{proxy+} proxy=cat/1     ... followed by every path parameter, in key order
 * GET /pets/             -> GET /pets/{proxy+} proxy=""        quoted values: "..." with \" \\ \n \t \r \\uXXXX escapes
 * GET ""                 -> $default                           any token may be quoted (here: an empty request path)
 * TRACE /x               -> none                               a miss
 *
 * accept: GET /pets/{id} -> method=GET path=/pets/{id} vars=id greedy=false default=false   a valid key (attributes optional)
 * reject: get /pets -> route key 'get /pets': method 'get' must be written in upper case, as 'GET'
 *                                                              an invalid key (quote it when whitespace matters),
 *                                                              then the WHOLE message it is rejected with
 * reject-build: GET /a/{x} | GET /a/{y} -> route key 'GET /a/{y}': it is the same route as 'GET /a/{x}': keys that differ only in variable names are duplicates
 *                                                              each key valid, the set rejected by build(),
 *                                                              then the WHOLE message build() throws
 * accept-build: GET /a/{x} | POST /a/{y}                       the set builds
 * </pre>
 *
 * <p>A {@code reject:} or {@code reject-build:} row without {@code -> message} is a table error. The
 * message is everything after the first {@code ->} that stands alone (outside quotes), taken as it
 * is: no comment, no escapes, so it may hold {@code #}, {@code "}, {@code |} and backslashes. A message
 * that must hold white space other than plain spaces, or invisible characters, is written as one
 * quoted token with the escapes above ({@code "route key 'GET\t/pets': ..."}); such characters
 * unquoted are a table error. The message must start with {@code route key '<key>': }, naming the
 * row's key (for {@code reject-build:}, one of its keys): the test then checks that the exception's
 * {@link InvalidRouteException#getMessage() message} is exactly the expected one and that its {@link
 * InvalidRouteException#routeKey() routeKey()} is that key, for {@link RouteKey#parse} and {@link
 * RouteTable.Builder#add(String, Object)} ({@code reject:}) or {@link RouteTable.Builder#build()}
 * ({@code reject-build:}, keys added in file order).
 *
 * <p>Every request row is checked against the compiled {@link RouteTable} built from the block's
 * routes in file order, in reverse order and in a seeded shuffled order, once more in file order on
 * a new thread (whose per-thread matching buffers start at their initial sizes), and against the {@link
 * ReferenceMatcher} (file order and reverse order). The comparison is exact: the matched route
 * key text ({@code toString()}), the value stored with the route, and the full ordered parameter
 * map; or a miss.
 */
class RouteConformanceTest {

  static final String TABLE_DIR = "dev/gatelink/route/conformance/";

  /** Lower bounds, so that losing rows (a parse slip, a deleted file) fails loudly. */
  static final int MIN_MATCH_ROWS = 1150;

  static final int MIN_KEY_ROWS = 100;

  // ---------------------------------------------------------------------------------------------
  // The tests
  // ---------------------------------------------------------------------------------------------

  @TestFactory
  Stream<DynamicNode> conformanceTable() {
    return loadTable().stream().map(RouteConformanceTest::fileNode);
  }

  @Test
  void tableHasHundredsOfRows() {
    List<TableFile> files = loadTable();
    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    int matchRows = 0;
    int keyRows = 0;
    for (TableFile f : files) {
      assertThat(f.blocks().size() + f.keyRows().size()).as("rows in %s", f.name()).isPositive();
      for (Block b : f.blocks()) {
        assertThat(b.rows()).as("rows of the block at %s:%d", f.name(), b.line()).isNotEmpty();
        matchRows += b.rows().size();
      }
      keyRows += f.keyRows().size();
    }
    assertThat(matchRows).as("request rows").isGreaterThanOrEqualTo(MIN_MATCH_ROWS);
    assertThat(keyRows).as("route key rows").isGreaterThanOrEqualTo(MIN_KEY_ROWS);
  }

  @Test
  void referenceDecoderSelfCheck() {
    // The reference is the oracle, so its decoder gets a few direct checks too.
    assertThat(ReferenceMatcher.decodeSegment("a%20b")).isEqualTo("a b");
    assertThat(ReferenceMatcher.decodeSegment("%C3%A9")).isEqualTo("\u00e9");
    assertThat(ReferenceMatcher.decodeSegment("%2F")).isEqualTo("/");
    assertThat(ReferenceMatcher.decodeSegment("+")).isEqualTo("+");
    assertThat(ReferenceMatcher.decodeSegment("")).isEqualTo("");
    for (String bad :
        List.of("%", "%4", "a%", "%zz", "%C3", "%C0%AE", "%ED%A0%80", "%F4%90%80%80", "%FF",
            "%\uff12\uff10")) {
      assertThat(ReferenceMatcher.decodeSegment(bad)).as(bad).isNull();
    }
    assertThat(ReferenceMatcher.splitOnSlash("")).containsExactly("");
    assertThat(ReferenceMatcher.splitOnSlash("a/")).containsExactly("a", "");
    assertThat(ReferenceMatcher.splitOnSlash("a//b")).containsExactly("a", "", "b");
    // Dot segments: a piece between '/' or '\' that is "." or ".." once cut at its first ';'.
    for (String dot :
        List.of(".", "..", "..;x", ".;", "..;", ".;a;b", "a\\..", "..\\admin", "a/..", "../a", "a/.;x/b", "\\.",
            "x;a/..")) {
      assertThat(ReferenceMatcher.isDotSegment(dot)).as(dot).isTrue();
    }
    for (String notDot :
        List.of("", "...", ".a", "a.", "..a;", "a;..", ";..", "a\\b", "a/b", ".../a", "a\\...", "%2E", ". ", "..:x")) {
      assertThat(ReferenceMatcher.isDotSegment(notDot)).as(notDot).isFalse();
    }
  }

  /** A reject row that does not state its whole message is a table error, so none can slip in. */
  @Test
  void rejectRowsMustStateTheWholeMessage() {
    String pets = "route key 'get /pets': method 'get' must be written in upper case, as 'GET'";
    for (String bad :
        List.of(
            "reject: get /pets",
            "reject: get /pets ->",
            "reject: get /pets ->   ",
            "reject: get /pets # -> " + pets,
            "reject: get /pets -> method 'get' must be written in upper case, as 'GET'",
            "reject: get /pets -> route key 'GET /pets': method 'get' must be written in upper case, as 'GET'",
            "reject: \"GET\t/pets\" -> route key 'GET\t/pets': character U+0009 at index 3",
            "reject: get /pets -> \"" + pets + "\" and more",
            "reject-build: GET /a | GET /a",
            "reject-build: GET /a | GET /a ->",
            "reject-build: GET /a | GET /a -> the route is declared twice",
            "reject-build: GET /a | GET /a -> route key 'GET /b': the route is declared twice",
            "accept-build: GET /a | GET /b -> route key 'GET /b': fine")) {
      assertThatThrownBy(() -> parseFile("t.txt", URI.create("file:/t.txt"), List.of(bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("table error at t.txt:1: ");
    }
    KeyRow plain = parseFile("t.txt", URI.create("file:/t.txt"), List.of("reject: get /pets  -> " + pets + " # | x"))
        .keyRows().get(0);
    assertThat(plain.keys()).containsExactly("get /pets");
    assertThat(plain.message()).isEqualTo(pets + " # | x");
    assertThat(plain.messageKey()).isEqualTo("get /pets");
    KeyRow quoted = parseFile("t.txt", URI.create("file:/t.txt"),
        List.of("reject: \"GET\\t/a -> b\" -> \"route key 'GET\\t/a -> b': \\u00A0\"")).keyRows().get(0);
    assertThat(quoted.keys()).containsExactly("GET\t/a -> b");
    assertThat(quoted.message()).isEqualTo("route key 'GET\t/a -> b': \u00A0");
    KeyRow build = parseFile("t.txt", URI.create("file:/t.txt"),
        List.of("reject-build: GET /a/{x} | GET /a/{y} -> route key 'GET /a/{y}': it is the same route as 'GET /a/{x}'"))
        .keyRows().get(0);
    assertThat(build.keys()).containsExactly("GET /a/{x}", "GET /a/{y}");
    assertThat(build.message()).isEqualTo("route key 'GET /a/{y}': it is the same route as 'GET /a/{x}'");
    assertThat(build.messageKey()).isEqualTo("GET /a/{y}");
  }

  // ---------------------------------------------------------------------------------------------
  // Turning the table into dynamic tests
  // ---------------------------------------------------------------------------------------------

  private static DynamicNode fileNode(TableFile file) {
    List<DynamicNode> nodes = new ArrayList<>();
    for (Block block : file.blocks()) {
      nodes.add(
          dynamicTest(
              file.name() + ":" + block.line() + " routes build in every order",
              file.uriAt(block.line()),
              () -> checkBlockBuilds(file, block)));
      for (Row row : block.rows()) {
        nodes.add(
            dynamicTest(
                file.name() + ":" + row.line() + "  " + row.text(),
                file.uriAt(row.line()),
                () -> checkRow(block, row)));
      }
    }
    for (KeyRow row : file.keyRows()) {
      nodes.add(
          dynamicTest(
              file.name() + ":" + row.line() + "  " + row.text(),
              file.uriAt(row.line()),
              () -> checkKeyRow(row)));
    }
    return dynamicContainer(file.name(), file.uri(), nodes.stream());
  }

  private static void checkBlockBuilds(TableFile file, Block block) {
    SoftAssertions softly = new SoftAssertions();
    for (Variant v : block.tableVariants()) {
      try {
        RouteTable<String> table = v.table().get();
        Map<String, String> byKey = new LinkedHashMap<>();
        for (Route<String> r : table.routes()) {
          byKey.put(r.key().toString(), r.value());
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String k : block.routes()) {
          expected.put(k, k);
        }
        softly.assertThat(table.routes()).as("%s: routes()", v.name()).hasSize(block.routes().size());
        softly.assertThat(byKey).as("%s: routes() key -> value", v.name())
            .containsExactlyInAnyOrderEntriesOf(expected);
      } catch (Throwable t) {
        softly.fail(v.name() + ": building the block at " + file.name() + ":" + block.line() + " threw " + t, t);
      }
    }
    softly.assertAll();
  }

  private static void checkRow(Block block, Row row) {
    SoftAssertions softly = new SoftAssertions();
    String expected = row.expected().render();
    for (Variant v : block.tableVariants()) {
      try {
        RouteMatch<String> m = v.table().get().match(row.method(), row.path());
        List<String> problems = new ArrayList<>();
        Outcome actual = outcomeOf(m, problems, v.name());
        softly.assertThat(actual.render()).as("%s", v.name()).isEqualTo(expected);
        softly.assertThat(problems).as("%s: RouteMatch contract", v.name()).isEmpty();
      } catch (Throwable t) {
        softly.fail(v.name() + " threw " + t, t);
      }
    }
    // The file-order table once more, on a new thread: its per-thread buffers start at their initial
    // sizes, so a long row makes them grow during this very lookup.
    try {
      RouteTable<String> table = block.tableVariants().get(0).table().get();
      List<String> problems = new ArrayList<>();
      Outcome actual = onNewThread(() -> outcomeOf(table.match(row.method(), row.path()), problems, "new thread"));
      softly.assertThat(actual.render()).as("RouteTable (file order, on a new thread)").isEqualTo(expected);
      softly.assertThat(problems).as("RouteTable (file order, on a new thread): RouteMatch contract").isEmpty();
    } catch (Throwable t) {
      softly.fail("RouteTable (file order, on a new thread) threw " + t, t);
    }
    for (Variant v : block.referenceVariants()) {
      try {
        Outcome actual = v.reference().get().match(row.method(), row.path());
        softly.assertThat(actual.render()).as("%s", v.name()).isEqualTo(expected);
        if (actual.matched()) {
          softly.assertThat(actual.value()).as("%s: value", v.name()).isEqualTo(actual.routeKey());
        }
      } catch (Throwable t) {
        softly.fail(v.name() + " threw " + t, t);
      }
    }
    softly.assertAll();
  }

  /** Runs {@code task} on a new platform thread and returns its result (or rethrows what it threw). */
  static <V> V onNewThread(Supplier<V> task) {
    List<V> result = new ArrayList<>();
    List<Throwable> failure = new ArrayList<>();
    Thread thread = new Thread(() -> {
      try {
        result.add(task.get());
      } catch (Throwable t) {
        failure.add(t);
      }
    }, "route-lookups-on-fresh-buffers");
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
    }
    if (!failure.isEmpty()) {
      throw new AssertionError("lookups on a new thread threw " + failure.get(0), failure.get(0));
    }
    return result.get(0);
  }

  /**
   * Converts a production match to an {@link Outcome}, checking on the way the parts of the
   * {@link RouteMatch} contract that the rendered outcome does not show; each broken part is
   * added to {@code problems} (plain checks, no AssertJ: this runs tens of thousands of times).
   */
  static Outcome outcomeOf(RouteMatch<?> m, List<String> problems, String what) {
    if (m == null) {
      problems.add(what + ": match() returned null");
      return Outcome.MISS;
    }
    if (!m.matched()) {
      try {
        Object r = m.route();
        problems.add(what + ": route() on a miss returned " + r + " instead of throwing NoSuchElementException");
      } catch (NoSuchElementException expected) {
        // the contract
      } catch (RuntimeException e) {
        problems.add(what + ": route() on a miss threw " + e + " instead of NoSuchElementException");
      }
      return Outcome.MISS;
    }
    Route<?> route = m.route();
    RouteKey key = route.key();
    if (key.isDefault() != key.toString().equals("$default")) {
      problems.add(what + ": isDefault() of " + key + " is " + key.isDefault());
    }
    if (route.value() instanceof String text && !RouteKey.parse(text).equals(key)) {
      // Every table stores the key text as written as the value: it must come back with its key.
      problems.add(what + ": matched route " + key + " carries the value of " + text);
    }
    Map<String, String> params = m.pathParameters();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String single = m.pathParameter(e.getKey());
      if (!e.getValue().equals(single)) {
        problems.add(what + ": pathParameter(" + e.getKey() + ") = " + single + " but pathParameters() has " + e.getValue());
      }
    }
    if (m.pathParameter("no-such-parameter") != null) {
      problems.add(what + ": pathParameter(\"no-such-parameter\") is not null");
    }
    if (!new ArrayList<>(params.keySet()).equals(key.variableNames())) {
      problems.add(what + ": parameter names " + params.keySet() + " are not the key's variables " + key.variableNames());
    }
    return Outcome.of(key.toString(), route.value(), params);
  }

  private static void checkKeyRow(KeyRow row) {
    switch (row.kind()) {
      case "accept" -> checkAccept(row);
      case "reject" -> checkReject(row);
      case "accept-build" -> checkAcceptBuild(row);
      case "reject-build" -> checkRejectBuild(row);
      default -> throw new AssertionError("unknown key row kind " + row.kind());
    }
  }

  private static void checkAccept(KeyRow row) {
    String text = row.keys().get(0);
    RouteKey key = RouteKey.parse(text);
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(key.toString()).as("toString").isEqualTo(text);
    softly.assertThat(RouteKey.parse(text)).as("equals").isEqualTo(key);
    softly.assertThat(RouteKey.parse(text).hashCode()).as("hashCode").isEqualTo(key.hashCode());
    softly.assertThat(RouteKey.parse(key.toString())).as("round trip").isEqualTo(key);
    if (text.equals("$default")) {
      softly.assertThat(key).as("DEFAULT").isEqualTo(RouteKey.DEFAULT);
    }
    for (Map.Entry<String, String> a : row.attributes().entrySet()) {
      String v = a.getValue();
      switch (a.getKey()) {
        case "method" -> softly.assertThat(key.method()).as("method").isEqualTo(RouteMethod.valueOf(v));
        case "path" -> softly.assertThat(key.path()).as("path").isEqualTo(v);
        case "vars" -> softly.assertThat(key.variableNames()).as("variableNames")
            .isEqualTo(v.isEmpty() ? List.of() : Arrays.asList(v.split(",")));
        case "greedy" -> softly.assertThat(key.isGreedy()).as("isGreedy").isEqualTo(Boolean.parseBoolean(v));
        case "default" -> softly.assertThat(key.isDefault()).as("isDefault").isEqualTo(Boolean.parseBoolean(v));
        default -> softly.fail("table error: unknown attribute " + a.getKey());
      }
    }
    try {
      RouteTable<String> t = RouteTable.<String>builder().add(text, text).build();
      softly.assertThat(t.routes()).as("routes()").hasSize(1);
    } catch (Throwable t) {
      softly.fail("a table with the single route " + text + " did not build: " + t, t);
    }
    softly.assertAll();
  }

  private static void checkReject(KeyRow row) {
    String text = row.keys().get(0);
    String quoted = Outcome.quote(text);
    assertThatThrownBy(() -> RouteKey.parse(text)).as("RouteKey.parse(%s)", quoted)
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage(row.message())
        .satisfies(e -> assertThat(((InvalidRouteException) e).routeKey()).as("routeKey()").isEqualTo(text));
    assertThatThrownBy(() -> RouteTable.<String>builder().add(text, text)).as("Builder.add(%s)", quoted)
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage(row.message())
        .satisfies(e -> assertThat(((InvalidRouteException) e).routeKey()).as("routeKey()").isEqualTo(text));
  }

  private static void checkAcceptBuild(KeyRow row) {
    RouteTable.Builder<String> b = RouteTable.builder();
    for (String k : row.keys()) {
      b.add(k, k);
    }
    assertThat(b.build().routes()).hasSize(row.keys().size());
  }

  private static void checkRejectBuild(KeyRow row) {
    RouteTable.Builder<String> b = RouteTable.builder();
    for (String k : row.keys()) {
      b.add(k, k); // every key is valid on its own
    }
    assertThatThrownBy(b::build).as("build() of %s", row.keys())
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage(row.message())
        .satisfies(e -> assertThat(((InvalidRouteException) e).routeKey()).as("routeKey()")
            .isEqualTo(row.messageKey()));
  }

  // ---------------------------------------------------------------------------------------------
  // The table model and its parser
  // ---------------------------------------------------------------------------------------------

  record TableFile(String name, URI uri, List<Block> blocks, List<KeyRow> keyRows) {
    URI uriAt(int line) {
      return URI.create(uri + "?line=" + line);
    }
  }

  record Row(int line, String text, String method, String path, Outcome expected) {}

  /**
   * A route key row. For {@code reject:} and {@code reject-build:} rows, {@code message} is the whole
   * expected exception message and {@code messageKey} the key it names (its {@code routeKey()}); null
   * for the accept rows.
   */
  record KeyRow(int line, String text, String kind, List<String> keys, Map<String, String> attributes,
      String message, String messageKey) {}

  record Variant(String name, Supplier<RouteTable<String>> table, Supplier<ReferenceMatcher<String>> reference) {}

  /** A set of routes and the requests checked against it. Tables are built lazily, once. */
  static final class Block {
    private final int line;
    private final List<String> routes = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private List<Variant> tables;
    private List<Variant> references;

    Block(int line) {
      this.line = line;
    }

    int line() {
      return line;
    }

    List<String> routes() {
      return routes;
    }

    List<Row> rows() {
      return rows;
    }

    synchronized List<Variant> tableVariants() {
      if (tables == null) {
        List<String> reversed = new ArrayList<>(routes);
        Collections.reverse(reversed);
        List<String> shuffled = new ArrayList<>(routes);
        Collections.shuffle(shuffled, new Random(31L * line + routes.size()));
        tables =
            List.of(
                new Variant("RouteTable (file order, add(String))", memo(() -> buildFromText(routes)), null),
                new Variant("RouteTable (reverse order, add(RouteKey))", memo(() -> buildFromKeys(reversed)), null),
                new Variant("RouteTable (shuffled order " + shuffled + ")", memo(() -> buildFromText(shuffled)), null));
      }
      return tables;
    }

    synchronized List<Variant> referenceVariants() {
      if (references == null) {
        List<String> reversed = new ArrayList<>(routes);
        Collections.reverse(reversed);
        references =
            List.of(
                new Variant("ReferenceMatcher (file order)", null, memo(() -> reference(routes))),
                new Variant("ReferenceMatcher (reverse order)", null, memo(() -> reference(reversed))));
      }
      return references;
    }
  }

  static RouteTable<String> buildFromText(List<String> keys) {
    RouteTable.Builder<String> b = RouteTable.builder();
    for (String k : keys) {
      b.add(k, k);
    }
    return b.build();
  }

  static RouteTable<String> buildFromKeys(List<String> keys) {
    RouteTable.Builder<String> b = RouteTable.builder();
    for (String k : keys) {
      b.add(RouteKey.parse(k), k);
    }
    return b.build();
  }

  static ReferenceMatcher<String> reference(List<String> keys) {
    List<Route<String>> routes = new ArrayList<>();
    Set<String> shapes = new HashSet<>();
    for (String k : keys) {
      RouteKey key = RouteKey.parse(k);
      if (!shapes.add(ReferenceMatcher.shape(key))) {
        throw new IllegalStateException("table error: duplicate route " + k);
      }
      routes.add(new Route<>(key, k));
    }
    return new ReferenceMatcher<>(routes);
  }

  /** Memoizes a value or the exception that computing it threw. */
  static <V> Supplier<V> memo(Supplier<V> s) {
    return new Supplier<>() {
      private boolean done;
      private V value;
      private RuntimeException failure;

      @Override
      public synchronized V get() {
        if (!done) {
          done = true;
          try {
            value = s.get();
          } catch (RuntimeException e) {
            failure = e;
          }
        }
        if (failure != null) {
          throw failure;
        }
        return value;
      }
    };
  }

  private static List<TableFile> cachedTable;

  static synchronized List<TableFile> loadTable() {
    if (cachedTable == null) {
      URL dir = RouteConformanceTest.class.getClassLoader().getResource(TABLE_DIR);
      assertThat(dir).as("table directory %s on the test classpath", TABLE_DIR).isNotNull();
      try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
        List<TableFile> out = new ArrayList<>();
        for (Path p : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
          out.add(parseFile(p.getFileName().toString(), p.toUri(), Files.readAllLines(p, StandardCharsets.UTF_8)));
        }
        cachedTable = List.copyOf(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return cachedTable;
  }

  static TableFile parseFile(String name, URI uri, List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    List<KeyRow> keyRows = new ArrayList<>();
    Block current = null;
    boolean lastWasRoutes = false;
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = lines.get(i).strip();
      String where = name + ":" + lineNo;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        if (line.startsWith("routes:")) {
          if (!lastWasRoutes) {
            current = new Block(lineNo);
            blocks.add(current);
          }
          current.routes.addAll(splitKeys(stripComment(line.substring("routes:".length()))));
          lastWasRoutes = true;
          continue;
        }
        lastWasRoutes = false;
        int colon = line.indexOf(':');
        String head = colon > 0 ? line.substring(0, colon) : "";
        if (Set.of("accept", "reject", "accept-build", "reject-build").contains(head)) {
          keyRows.add(parseKeyRow(lineNo, line, head, line.substring(colon + 1)));
          continue;
        }
        if (current == null) {
          throw new IllegalArgumentException("request row before any routes: line");
        }
        Row row = parseRow(lineNo, line);
        if (row.expected().matched() && !current.routes.contains(row.expected().routeKey())) {
          throw new IllegalArgumentException(
              "expected route " + row.expected().routeKey() + " is not in the block's routes " + current.routes);
        }
        current.rows.add(row);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("table error at " + where + ": " + e.getMessage() + "\n  " + line, e);
      }
    }
    return new TableFile(name, uri, blocks, keyRows);
  }

  private static String stripComment(String s) {
    int hash = s.indexOf(" #");
    return hash >= 0 ? s.substring(0, hash) : s;
  }

  private static List<String> splitKeys(String s) {
    List<String> keys = new ArrayList<>();
    for (String k : s.split("\\|")) {
      if (!k.isBlank()) {
        keys.add(k.strip());
      }
    }
    return keys;
  }

  private static Row parseRow(int lineNo, String line) {
    List<Token> tokens = tokenize(line);
    int arrow = -1;
    for (int i = 0; i < tokens.size(); i++) {
      if (!tokens.get(i).quoted() && tokens.get(i).text().equals("->")) {
        arrow = i;
        break;
      }
    }
    if (arrow != 2) {
      throw new IllegalArgumentException("expected: METHOD PATH -> RESULT");
    }
    String method = tokens.get(0).text();
    String path = tokens.get(1).text();
    List<Token> rhs = tokens.subList(arrow + 1, tokens.size());
    if (rhs.isEmpty()) {
      throw new IllegalArgumentException("nothing after ->");
    }
    String first = rhs.get(0).text();
    Outcome expected;
    if (first.equals("none") && rhs.size() == 1) {
      expected = Outcome.MISS;
    } else if (first.equals("$default") && rhs.size() == 1) {
      expected = Outcome.of("$default", "$default", Map.of());
    } else {
      if (rhs.size() < 2) {
        throw new IllegalArgumentException("expected: -> none | $default | METHOD PATH [name=value ...]");
      }
      String key = first + " " + rhs.get(1).text();
      Map<String, String> params = new LinkedHashMap<>();
      for (Token t : rhs.subList(2, rhs.size())) {
        int eq = t.text().indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("expected name=value, got " + t.text());
        }
        if (params.put(t.text().substring(0, eq), t.text().substring(eq + 1)) != null) {
          throw new IllegalArgumentException("parameter twice: " + t.text());
        }
      }
      expected = Outcome.of(key, key, params);
    }
    return new Row(lineNo, line.replaceAll("\\s+#.*$", "").replaceAll("\\s+", " "), method, path, expected);
  }

  private static KeyRow parseKeyRow(int lineNo, String line, String kind, String rest) {
    String text = line.replaceAll("\\s+", " ");
    boolean reject = kind.startsWith("reject");
    if (kind.endsWith("-build")) {
      int arrow = standaloneArrow(rest, false);
      List<String> keys = splitKeys(arrow < 0 ? stripComment(rest) : rest.substring(0, arrow));
      if (keys.size() < 2) {
        throw new IllegalArgumentException("a build row needs at least two keys");
      }
      if (!reject) {
        if (arrow >= 0) {
          throw new IllegalArgumentException("an accept-build row takes no '-> message'");
        }
        return new KeyRow(lineNo, text, kind, keys, Map.of(), null, null);
      }
      String message = parseMessage(kind, arrow < 0 ? null : rest.substring(arrow + 2));
      return new KeyRow(lineNo, text, kind, keys, Map.of(), message, namedKey(message, keys));
    }
    int arrow = standaloneArrow(rest, true);
    List<Token> keyTokens = tokenize(arrow < 0 ? rest : rest.substring(0, arrow));
    String key;
    if (keyTokens.size() == 1 && keyTokens.get(0).quoted()) {
      key = keyTokens.get(0).text();
    } else {
      key = keyTokens.stream().map(Token::text).collect(Collectors.joining(" "));
    }
    if (reject) {
      String message = parseMessage(kind, arrow < 0 ? null : rest.substring(arrow + 2));
      return new KeyRow(lineNo, text, kind, List.of(key), Map.of(), message, namedKey(message, List.of(key)));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    if (arrow >= 0) {
      for (Token t : tokenize(rest.substring(arrow + 2))) {
        int eq = t.text().indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("expected name=value, got " + t.text());
        }
        attributes.put(t.text().substring(0, eq), t.text().substring(eq + 1));
      }
    }
    return new KeyRow(lineNo, text, kind, List.of(key), attributes, null, null);
  }

  /**
   * The index of the first {@code ->} that stands alone between white space (or at the end); -1 if
   * there is none. With {@code quotes}, as the tokenizer reads the line: quoted sections are skipped and
   * a token starting with {@code #} ends it.
   */
  static int standaloneArrow(String s, boolean quotes) {
    boolean inQuote = false;
    for (int i = 0; i + 1 < s.length(); i++) {
      char c = s.charAt(i);
      if (quotes && inQuote) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inQuote = false;
        }
        continue;
      }
      if (quotes && c == '"') {
        inQuote = true;
        continue;
      }
      if (quotes && c == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
        return -1; // a trailing comment
      }
      if (c == '-' && s.charAt(i + 1) == '>'
          && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))
          && (i + 2 == s.length() || Character.isWhitespace(s.charAt(i + 2)))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The whole expected message of a reject row: the text after the arrow as it is, or one quoted
   * token with escapes. A missing or empty message, an unquoted one holding white space other than
   * spaces or invisible characters, or anything after a quoted one, is a table error.
   */
  static String parseMessage(String kind, String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("a " + kind + " row must state the whole expected message: " + kind
          + ": KEY" + (kind.endsWith("-build") ? " | KEY ..." : "") + " -> route key 'KEY': ...");
    }
    String message = raw.strip();
    if (message.startsWith("\"")) {
      List<Token> tokens = tokenize(message);
      if (tokens.size() != 1 || !tokens.get(0).quoted() || !message.endsWith("\"")) {
        throw new IllegalArgumentException("a quoted message must be one quoted token, with nothing after it");
      }
      return tokens.get(0).text();
    }
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c != ' ' && (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
          || Character.getType(c) == Character.FORMAT)) {
        throw new IllegalArgumentException(String.format(
            "U+%04X in an unquoted message; quote the message and write it as \\u%04X", (int) c, (int) c));
      }
    }
    return message;
  }

  /** The key whose quoted form starts the message ({@code route key 'KEY': ...}); a table error if none. */
  static String namedKey(String message, List<String> keys) {
    for (String k : keys) {
      if (message.startsWith("route key '" + k + "': ")) {
        return k;
      }
    }
    throw new IllegalArgumentException("the message must start with route key '<key>': naming "
        + (keys.size() == 1 ? "the row's key " : "one of the row's keys ") + keys.stream()
            .map(Outcome::quote).collect(Collectors.joining(", ")));
  }

  record Token(String text, boolean quoted) {}

  /**
   * Splits on whitespace. Inside a token, {@code "..."} is a quoted section with Java-like escapes
   * (\" \\ \n \r \t \\uXXXX); an unquoted token starting with '#' ends the line.
   */
  static List<Token> tokenize(String line) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i >= n || line.charAt(i) == '#') {
        break;
      }
      StringBuilder sb = new StringBuilder();
      boolean quoted = false;
      while (i < n && !Character.isWhitespace(line.charAt(i))) {
        char c = line.charAt(i);
        if (c != '"') {
          sb.append(c);
          i++;
          continue;
        }
        quoted = true;
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated quote");
          }
          c = line.charAt(i++);
          if (c == '"') {
            break;
          }
          if (c != '\\') {
            sb.append(c);
            continue;
          }
          if (i >= n) {
            throw new IllegalArgumentException("dangling backslash");
          }
          char e = line.charAt(i++);
          switch (e) {
            case '"', '\\' -> sb.append(e);
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
              if (i + 4 > n) {
                throw new IllegalArgumentException("short \\u escape");
              }
              sb.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
              i += 4;
            }
            default -> throw new IllegalArgumentException("unknown escape \\" + e);
          }
        }
      }
      tokens.add(new Token(sb.toString(), quoted));
    }
    return tokens;
  }
}
