package dev.gatelink.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.lang.management.ManagementFactory;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private final RouteTable<String> table = RouteTable.<String>builder()
      .add("GET /pets/dog/1", "dog one")
      .add("GET /pets/dog/{id}", "a dog")
      .add("GET /pets/{proxy+}", "pets")
      .add("ANY /{proxy+}", "anything")
      .add("GET /orders/{orderId}/items/{itemId}", "item")
      .build();

  @Test
  void literalHitIsSharedAndHasNoParameters() {
    RouteMatch<String> first = table.match("GET", "/pets/dog/1");
    assertThat(first.matched()).isTrue();
    assertThat(first.route().value()).isEqualTo("dog one");
    assertThat(first.pathParameters()).isEmpty();
    assertThat(table.match("GET", "/pets/dog/1")).isSameAs(first);
  }

  @Test
  void variablesComeOutInKeyOrderAsAnUnmodifiableMap() {
    RouteMatch<String> match = table.match("GET", "/orders/o%2D1/items/caf%C3%A9");
    assertThat(match.route().key()).hasToString("GET /orders/{orderId}/items/{itemId}");
    assertThat(match.pathParameters()).containsExactly(entry("orderId", "o-1"), entry("itemId", "caf\u00e9"));
    assertThat(match.pathParameter("itemId")).isEqualTo("caf\u00e9");
    assertThat(match.pathParameter("proxy")).isNull();
    assertThatThrownBy(() -> match.pathParameters().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(match).hasToString("GET /orders/{orderId}/items/{itemId} {orderId=o-1, itemId=caf\u00e9}");
  }

  @Test
  void missIsTheSharedNoMatchValue() {
    RouteTable<String> noCatchAll = RouteTable.<String>builder().add("GET /pets", "pets").build();
    RouteMatch<String> miss = noCatchAll.match("POST", "/pets");
    assertThat(miss.matched()).isFalse();
    assertThat(miss.pathParameters()).isEmpty();
    assertThat(miss).hasToString("no match");
    assertThat(noCatchAll.match("GET", "/cats")).isSameAs(miss);
    assertThatThrownBy(miss::route).isInstanceOf(NoSuchElementException.class)
        .hasMessage("no route matched the request");
  }

  @Test
  void defaultRouteTakesWhatNothingElseTakes() {
    RouteTable<String> withDefault = table.toBuilder().add("$default", "default").build();
    assertThat(withDefault.defaultRoute()).map(Route::value).contains("default");
    assertThat(table.defaultRoute()).isEmpty();
    RouteMatch<String> match = withDefault.match("GET", "relative/path");
    assertThat(match.route().key()).isSameAs(RouteKey.DEFAULT);
    assertThat(match.pathParameters()).isEmpty();
    assertThat(withDefault.routes()).hasSize(6);
    assertThat(table.routes()).hasSize(5);
  }

  @Test
  void sameKeyTwiceIsRejectedAtBuild() {
    RouteTable.Builder<String> builder = RouteTable.<String>builder().add("GET /a", "1").add("GET /a", "2");
    assertThatThrownBy(builder::build).isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key 'GET /a': the route is declared twice; each route key may appear once");
  }

  @Test
  void keysDifferingOnlyInVariableNamesAreRejectedAtBuild() {
    RouteTable.Builder<String> builder = RouteTable.<String>builder()
        .add("GET /a/{x}/b/{rest+}", "1").add("POST /a/{y}/b/{rest+}", "2").add("GET /a/{y}/b/{all+}", "3");
    assertThatThrownBy(builder::build).isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key 'GET /a/{y}/b/{all+}': it is the same route as 'GET /a/{x}/b/{rest+}': "
            + "keys that differ only in variable names are duplicates");
  }

  @Test
  void defaultTwiceIsRejectedAtBuild() {
    RouteTable.Builder<String> builder = RouteTable.<String>builder().add("$default", "1").add("$default", "2");
    assertThatThrownBy(builder::build).isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key '$default': the route is declared twice; each route key may appear once");
  }

  @Test
  void invalidKeyIsRejectedWhenAdded() {
    RouteTable.Builder<String> builder = RouteTable.builder();
    assertThatThrownBy(() -> builder.add("GET /a/{b+}/c", "x")).isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key 'GET /a/{b+}/c': greedy variable {b+} must be the last segment");
    assertThat(builder.build().routes()).isEmpty();
  }

  @Test
  void nullValuesAreRefused() {
    assertThatThrownBy(() -> RouteTable.<String>builder().add("GET /a", null))
        .isInstanceOf(NullPointerException.class).hasMessage("value");
  }

  @Test
  void missesAndHitsWithoutVariablesAllocateNothing() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    RouteTable<String> noCatchAll = RouteTable.<String>builder()
        .add("GET /pets/dog/1", "dog one").add("GET /orders/{orderId}/items/{itemId}", "item")
        .add("GET /pets/{proxy+}", "pets").build();
    RouteTable<String> withDefault = noCatchAll.toBuilder().add("$default", "default").build();
    // Misses, of several kinds; hits of the literal route through the one-probe table and through the trie
    // (a query string or an escape keeps a path out of the literal table); $default.
    String[] misses = {"/nothing/here", "/orders/1/items", "/pets%zz", "/orders/%2E%2E/items/x", "/caf%C3%A9/x/y/z"};
    String[] literalHits = {"/pets/dog/1", "/pets/dog/1?x=1", "/pets/dog/%31", "/pets/%64og/1?a=%zz"};
    Runnable lookups = () -> {
      int matched = 0;
      for (int i = 0; i < 10_000; i++) {
        matched += noCatchAll.match("GET", misses[i % misses.length]).matched() ? 1 : 0;
        matched += noCatchAll.match("GET", literalHits[i % literalHits.length]).route().value().length();
        matched += withDefault.match("POST", misses[i % misses.length]).route().value().length();
      }
      assertThat(matched).isEqualTo(10_000 * ("dog one".length() + "default".length()));
    };
    lookups.run(); // warm up, so that lazily created per-thread buffers exist
    long overhead = threads.getThreadAllocatedBytes(self);
    overhead = threads.getThreadAllocatedBytes(self) - overhead;
    long before = threads.getThreadAllocatedBytes(self);
    lookups.run();
    long allocated = threads.getThreadAllocatedBytes(self) - before - overhead;
    // 30,000 lookups: one allocated object per lookup would show as at least 16 bytes each (480,000 bytes).
    // The bound leaves room only for one-off JVM noise (tens of bytes), not for anything per lookup.
    assertThat(allocated).isLessThan(30_000);
  }

  @Test
  void pathsLongerThanTheReusedBuffersMatchInBuffersOfTheirOwn() {
    String rest = "a/".repeat(RequestPath.LONGEST_REUSED) + "%C3%A9";
    RouteMatch<String> match = table.match("GET", "/pets/" + rest);
    assertThat(match.route().key()).hasToString("GET /pets/{proxy+}");
    assertThat(match.pathParameter("proxy")).isEqualTo("a/".repeat(RequestPath.LONGEST_REUSED) + "\u00e9");
    assertThat(RequestPath.forPath("/pets/" + rest)).isNotSameAs(RequestPath.forPath("/pets/" + rest));
    assertThat(RequestPath.forPath("/pets/dog")).isSameAs(RequestPath.forPath("/pets/dog"));
  }

  @Test
  void parameterMapAnswersLookupsDirectly() {
    RouteMatch<String> match = table.match("GET", "/orders/o-1/items/i-2");
    assertThat(match.pathParameters()).hasSize(2).containsKey("orderId").doesNotContainKey("proxy")
        .containsEntry("itemId", "i-2");
    assertThat(match.pathParameters().get("nope")).isNull();
    assertThat(match.pathParameters()).isEqualTo(java.util.Map.of("orderId", "o-1", "itemId", "i-2"));
  }
}
