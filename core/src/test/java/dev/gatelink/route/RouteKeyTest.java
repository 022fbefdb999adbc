package dev.gatelink.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RouteKeyTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      get /pets              | method 'get' must be written in upper case, as 'GET'
      Any /pets              | method 'Any' must be written in upper case, as 'ANY'
      FETCH /pets            | unknown method 'FETCH'; expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY
      " /pets"               | the method is missing; expected 'METHOD /path' (for example 'GET /pets/{petId}') or '$default'
      GET                    | the path is missing after the method; expected 'METHOD /path' (for example 'GET /pets/{petId}') or '$default'
      "GET "                 | the path is missing after the method; expected 'METHOD /path' (for example 'GET /pets/{petId}') or '$default'
      any                    | the path is missing after the method; expected 'METHOD /path' (for example 'GET /pets/{petId}') or '$default'
      /pets                  | the method is missing; expected 'METHOD /path' (for example 'GET /pets/{petId}') or '$default'
      pets                   | expected 'METHOD /path' (for example 'GET /pets/{petId}') or '$default'
      $DEFAULT               | the catch-all key is written in lower case, exactly as '$default'
      $default /x            | '$default' takes no method and no path; write it alone as '$default'
      "$default "            | '$default' takes no method and no path; write it alone as '$default'
      GET pets               | path 'pets' must start with '/'
      "GET  /pets"           | character U+0020 at index 4 is not allowed; method and path are separated by exactly one space, and a key holds no other white space, control or invisible characters
      GET /my pets           | character U+0020 at index 7 is not allowed; method and path are separated by exactly one space, and a key holds no other white space, control or invisible characters
      "GET	/pets"           | character U+0009 at index 3 is not allowed; method and path are separated by exactly one space, and a key holds no other white space, control or invisible characters
      "GET /a b"        | character U+00A0 at index 6 is not allowed; method and path are separated by exactly one space, and a key holds no other white space, control or invisible characters
      "GET /a​b"        | character U+200B at index 6 is not allowed; method and path are separated by exactly one space, and a key holds no other white space, control or invisible characters
      GET $default           | '$default' takes no method; write it alone as '$default'
      GET /pets/             | path '/pets/' must not end with '/'; only the root path '/' may
      GET /a//b              | path '/a//b' has an empty segment at position 2; every segment between slashes needs a literal or a {variable}
      GET //                 | path '//' has an empty segment at position 1; every segment between slashes needs a literal or a {variable}
      GET /a/{b+}/c          | greedy variable {b+} must be the last segment
      GET /{proxy+}/{id}     | greedy variable {proxy+} must be the last segment
      GET /{id}/{id}         | variable name 'id' is used twice; each path variable needs a name of its own
      GET /{id}/x/{id+}      | variable name 'id' is used twice; each path variable needs a name of its own
      GET /a/{b              | unbalanced braces in segment '{b'; expected a variable written as {name} or {name+}
      GET /a/b}              | unbalanced braces in segment 'b}'; expected a variable written as {name} or {name+}
      GET /a/{{b}            | unbalanced braces in segment '{{b}'; expected a variable written as {name} or {name+}
      GET /a{b}              | segment 'a{b}' mixes literal text and a variable; a variable fills its whole segment, as in '/{name}/'
      GET /{a}{b}            | segment '{a}{b}' has more than one pair of braces; a segment is a literal or exactly one variable, written {name} or {name+}
      GET /{{id}}            | segment '{{id}}' has more than one pair of braces; a segment is a literal or exactly one variable, written {name} or {name+}
      GET /}{                | the braces in segment '}{' are in the wrong order; expected a variable written as {name} or {name+}
      GET /{a}+              | segment '{a}+' mixes literal text and a variable; a variable fills its whole segment, as in '/{name}/'
      GET /{}                | variable {} has no name; expected {name} or {name+}
      GET /{+}               | variable {+} has no name; expected {name} or {name+}
      GET /{a.b}             | variable {a.b} has an invalid name 'a.b'; a name is made of letters, digits, '_' and '-'
      GET /{a+b}             | variable {a+b} has an invalid name 'a+b'; a name is made of letters, digits, '_' and '-'
      GET /a/../b            | dot segment '..' is not allowed in a route path
      GET /.                 | dot segment '.' is not allowed in a route path
      GET /caf%C3%A9         | segment 'caf%C3%A9' contains '%'; route keys are written decoded, with the characters themselves
      GET /a?b=1             | segment 'a?b=1' contains '?'; a route path has no query string or fragment
      GET /a#top             | segment 'a#top' contains '#'; a route path has no query string or fragment
      """)
  void rejectsInvalidKeysWithTheWholeReason(String key, String problem) {
    assertThatThrownBy(() -> RouteKey.parse(key))
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key '" + key + "': " + problem)
        .extracting(e -> ((InvalidRouteException) e).routeKey())
        .isEqualTo(key);
  }

  @Test
  void emptyKeyIsRejected() {
    assertThatThrownBy(() -> RouteKey.parse(""))
        .isInstanceOf(InvalidRouteException.class)
        .hasMessage("route key '': the key is empty; expected 'METHOD /path' (for example 'GET /pets/{petId}') or '$default'");
  }

  @Test
  void parsesMethodPathAndVariables() {
    RouteKey key = RouteKey.parse("PATCH /orders/{orderId}/items/{item-id_2}");
    assertThat(key.method()).isEqualTo(RouteMethod.PATCH);
    assertThat(key.path()).isEqualTo("/orders/{orderId}/items/{item-id_2}");
    assertThat(key.variableNames()).containsExactly("orderId", "item-id_2");
    assertThat(key.isGreedy()).isFalse();
    assertThat(key.isDefault()).isFalse();
    assertThat(key).hasToString("PATCH /orders/{orderId}/items/{item-id_2}");
  }

  @Test
  void parsesGreedyVariableLast() {
    RouteKey key = RouteKey.parse("ANY /files/{bucket}/{path+}");
    assertThat(key.method()).isEqualTo(RouteMethod.ANY);
    assertThat(key.variableNames()).containsExactly("bucket", "path");
    assertThat(key.isGreedy()).isTrue();
  }

  @Test
  void parsesRootAndDefault() {
    RouteKey root = RouteKey.parse("GET /");
    assertThat(root.path()).isEqualTo("/");
    assertThat(root.variableNames()).isEmpty();
    assertThat(RouteKey.parse("$default")).isSameAs(RouteKey.DEFAULT);
    assertThat(RouteKey.DEFAULT.isDefault()).isTrue();
    assertThat(RouteKey.DEFAULT.method()).isEqualTo(RouteMethod.ANY);
    assertThat(RouteKey.DEFAULT.path()).isEmpty();
    assertThat(RouteKey.DEFAULT).hasToString("$default");
  }

  @Test
  void acceptsLiteralCharactersApiGatewayPathsUse() {
    assertThat(RouteKey.parse("GET /v1/caf\u00e9/a+b/x:y/~user/$metrics/a.b").path())
        .isEqualTo("/v1/caf\u00e9/a+b/x:y/~user/$metrics/a.b");
  }

  @Test
  void keysAreEqualByText() {
    assertThat(RouteKey.parse("GET /a/{x}")).isEqualTo(RouteKey.parse("GET /a/{x}"))
        .hasSameHashCodeAs(RouteKey.parse("GET /a/{x}"))
        .isNotEqualTo(RouteKey.parse("GET /a/{y}"));
  }
}
