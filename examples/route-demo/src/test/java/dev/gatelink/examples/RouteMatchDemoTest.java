package dev.gatelink.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RouteMatchDemoTest {

  @Test
  void printsTheChosenRouteOfEverySampleRequest() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RouteMatchDemo.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out.lines().filter(line -> line.contains(" -> ")).map(String::strip).toList()).containsExactly(
        "GET /                                  -> GET /  {}",
        "GET /pets                              -> GET /pets  {}",
        "GET /pets/                             -> GET /pets/{proxy+}  {proxy=}",
        "GET /pets/dog/1                        -> GET /pets/dog/1  {}",
        "GET /pets/dog/2                        -> GET /pets/dog/{id}  {id=2}",
        "GET /pets/cat/1                        -> GET /pets/{proxy+}  {proxy=cat/1}",
        "HEAD /pets/dog/1                       -> ANY /{proxy+}  {proxy=pets/dog/1}",
        "DELETE /orders/o-42                    -> ANY /orders/{orderId}  {orderId=o-42}",
        "GET /orders/o-42/items/caf%C3%A9       -> GET /orders/{orderId}/items/{itemId}  {orderId=o-42, itemId=caf\u00e9}",
        "POST /test/5                           -> ANY /{proxy+}  {proxy=test/5}",
        "GET /pets/dog/a%2Fb                    -> GET /pets/dog/{id}  {id=a/b}",
        "GET /pets/%2E%2E/secret                -> $default  {}");
    assertThat(out).startsWith("Gatelink route table (10 routes):\n  GET /\n");
  }
}
