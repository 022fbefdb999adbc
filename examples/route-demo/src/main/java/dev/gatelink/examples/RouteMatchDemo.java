package dev.gatelink.examples;

import dev.gatelink.route.RouteMatch;
import dev.gatelink.route.RouteTable;
import java.io.PrintStream;
import java.util.List;

/**
 * Builds the route table of a small API and prints how sample requests match, the way API Gateway would
 * choose: the route matcher alone, without a server.
 */
public final class RouteMatchDemo {

  /** The demo API: literals, variables, a greedy route, ANY, a root route and {@code $default}. */
  static final List<String> ROUTES = List.of(
      "GET /",
      "GET /pets",
      "POST /pets",
      "GET /pets/dog/1",
      "GET /pets/dog/{id}",
      "GET /pets/{proxy+}",
      "GET /orders/{orderId}/items/{itemId}",
      "ANY /orders/{orderId}",
      "ANY /{proxy+}",
      "$default");

  /** Sample requests: method and raw path. */
  static final List<String[]> REQUESTS = List.of(
      new String[] {"GET", "/"},
      new String[] {"GET", "/pets"},
      new String[] {"GET", "/pets/"},
      new String[] {"GET", "/pets/dog/1"},
      new String[] {"GET", "/pets/dog/2"},
      new String[] {"GET", "/pets/cat/1"},
      new String[] {"HEAD", "/pets/dog/1"},
      new String[] {"DELETE", "/orders/o-42"},
      new String[] {"GET", "/orders/o-42/items/caf%C3%A9"},
      new String[] {"POST", "/test/5"},
      new String[] {"GET", "/pets/dog/a%2Fb"},
      new String[] {"GET", "/pets/%2E%2E/secret"});

  private RouteMatchDemo() {}

  /** Prints the routes and, for each sample request, the route chosen and its path parameters. */
  public static void main(String[] args) {
    print(System.out);
  }

  static void print(PrintStream out) {
    RouteTable.Builder<String> builder = RouteTable.builder();
    ROUTES.forEach(key -> builder.add(key, key));
    RouteTable<String> table = builder.build();
    out.println("Gatelink route table (" + ROUTES.size() + " routes):");
    ROUTES.forEach(key -> out.println("  " + key));
    out.println();
    out.println("How sample requests match:");
    for (String[] request : REQUESTS) {
      RouteMatch<String> match = table.match(request[0], request[1]);
      String line = request[0] + " " + request[1];
      String chosen = match.matched() ? match.route().key() + "  " + match.pathParameters() : "404 {\"message\":\"Not Found\"}";
      out.printf("  %-38s -> %s%n", line, chosen);
    }
  }
}
