package dev.gatelink.examples.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.List;
import org.jspecify.annotations.Nullable;
import dev.gatelink.config.AccessLogSettings;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.CorsConfiguration;
import dev.gatelink.config.Stage;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/**
 * What the runner serves without {@code --api}: three backends on loopback (orders, inventory and catalog)
 * and an API over them with a variable route, a POST route, a greedy route whose uri uses a stage variable,
 * a {@code $default} route, and a private route to an ALB listener with parameter mappings, with CORS,
 * deployed to {@code $default} and {@code prod}.
 */
final class DemoApi {
  /** The named stage the demo API is deployed to, beside {@code $default}. */
  static final String PROD = "prod";

  /** The ALB listener the demo's private route names; the runner sends it to the orders backend. */
  static final String ORDERS_LISTENER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/"
      + "demo-orders/50dc6c495c0c9188/0467ef3c8400ae65";
  /** The origin the demo's CORS configuration allows. */
  static final String ALLOWED_ORIGIN = "https://app.example.com";

  private final List<DemoBackend> backends;
  private final DemoBackend orders;
  private final ApiDefinition definition;

  private DemoApi(DemoBackend orders, DemoBackend inventory, DemoBackend catalog,
      @Nullable AccessLogSettings accessLog) {
    this.backends = List.of(orders, inventory, catalog);
    this.orders = orders;
    this.definition = ApiDefinition.builder()
        // A private integration, as behind API Gateway: the listener gets the path with its stage segment
        // unless overwrite:path maps it to $request.path; each request carries its id to the backend.
        .route("ANY /private/{proxy+}", Integration.builder()
            .connectionType(ConnectionType.VPC_LINK).connectionId("demo-vpc-link").uri(ORDERS_LISTENER)
            .requestParameter("overwrite:path", "$request.path")
            .requestParameter("append:header.x-request-id", "$context.requestId")
            .build())
        .route("GET /orders/{orderId}", Integration.http(orders.url() + "/orders/{orderId}"))
        .route("POST /orders", Integration.http(orders.url() + "/orders"))
        .route("ANY /inventory/{proxy+}",
            Integration.http(inventory.url() + "/${stageVariables.inventoryVersion}/{proxy}"))
        .defaultRoute(Integration.http(catalog.url()))
        .cors(new CorsConfiguration(List.of(ALLOWED_ORIGIN), false, List.of("apigw-requestid"), 300,
            List.of("GET", "POST"), List.of("content-type")))
        .stage(Stage.builder(Stage.DEFAULT_NAME).variable("inventoryVersion", "v1").accessLogSettings(accessLog)
            .build())
        .stage(Stage.builder(PROD).variable("inventoryVersion", "v2").accessLogSettings(accessLog).build())
        .build();
  }

  /**
   * Starts the demo backends and builds the API over them.
   *
   * @param vertx the Vert.x instance the backends run on
   * @param accessLog the access log of both stages, or null for none
   * @return a future of the demo, once every backend listens
   */
  static Future<DemoApi> start(Vertx vertx, @Nullable AccessLogSettings accessLog) {
    Future<DemoBackend> orders = DemoBackend.start(vertx, "orders");
    Future<DemoBackend> inventory = DemoBackend.start(vertx, "inventory");
    Future<DemoBackend> catalog = DemoBackend.start(vertx, "catalog");
    return Future.all(orders, inventory, catalog)
        .map(all -> new DemoApi(orders.result(), inventory.result(), catalog.result(), accessLog));
  }

  /** {@return the demo API} */
  ApiDefinition definition() {
    return definition;
  }

  /** {@return the address the demo's listener ARN is sent to: the orders backend} */
  DemoBackend listenerTarget() {
    return orders;
  }

  /** {@return a future completed once every backend has stopped} */
  Future<Void> close() {
    return Future.join(backends.stream().map(DemoBackend::close).toList()).mapEmpty();
  }

  /**
   * Prints what to try: a curl command per line, each with what it shows.
   *
   * @param out where to print
   * @param base the gateway's base URL, {@code http://HOST:PORT}
   */
  static void printTry(PrintStream out, String base) {
    String[][] examples = {
        {"curl -i '" + base + "/orders/42'", "GET /orders/{orderId} -> orders"},
        {"curl -i -X POST -d '{\"sku\":\"tea\"}' '" + base + "/orders'", "POST /orders -> orders"},
        {"curl -i '" + base + "/inventory/shelves/3/bins?size=m'",
            "ANY /inventory/{proxy+}, greedy -> inventory /v1/shelves/3/bins"},
        {"curl -i '" + base + "/prod/inventory/shelves/3'",
            "stage prod: its inventoryVersion is v2 -> inventory /v2/shelves/3"},
        {"curl -i -X DELETE '" + base + "/orders/42'", "no DELETE route for it: $default route -> catalog"},
        {"curl -i '" + base + "/staging/orders/42'",
            "no stage staging: $default stage, $default route -> catalog"},
        {"curl -i '" + base + "/prod/private/orders/42'",
            "private integration (ALB listener) -> orders /orders/42: overwrite:path = $request.path, x-request-id"},
        {"curl -i -H 'Origin: " + ALLOWED_ORIGIN + "' '" + base + "/orders/42'",
            "CORS: an allowed origin gets access-control-allow-origin"},
    };
    int width = 0;
    for (String[] example : examples) {
      width = Math.max(width, example[0].length());
    }
    out.println("Demo API over 3 backends on loopback (orders, inventory, catalog), stages $default and "
        + PROD + ". Try:");
    for (String[] example : examples) {
      out.println("  " + example[0] + " ".repeat(width - example[0].length()) + "  # " + example[1]);
    }
    out.println("Each backend answers with JSON naming itself and the request it got. Press Ctrl-C to stop.");
  }
}
