package dev.gatelink.benchmarks.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generates a realistic, deterministic API Gateway HTTP API route table of any size: the first {@code n}
 * routes of one fixed sequence (fixed seed), so a 10-route table is a small slice of the same API a
 * 10,000-route table is.
 *
 * <p>The sequence is made of blocks. Two of every three blocks are a REST resource
 * {@code /{version}/{domain}/{resource}} (versions v1..v3, 20 domains, 30 resources, shuffled):
 * <pre>
 *   GET    /v1/sales/orders                              literal
 *   GET    /v1/sales/orders/{orderId}                    variable
 *   POST   /v1/sales/orders                              literal
 *   GET    /v1/sales/orders/{orderId}/items/{itemId}     variable (two)
 *   PUT    /v1/sales/orders/{orderId}   (or PATCH)       variable
 *   GET    /v1/sales/orders/search                       literal beside a variable
 *   DELETE /v1/sales/orders/{orderId}                    variable
 *   ANY    /v1/sales/orders/{orderId}/files/{key+}       greedy (first block, then one block in three)
 * </pre>
 * The third is a proxied legacy service: {@code ANY /v1/svc101/{proxy+}} and {@code GET /v1/svc101/health}.
 * No {@code $default}, so a miss is a miss. The first ten routes are the first resource block (eight routes)
 * and the first legacy block (two): literal, variable and greedy routes at every size.
 */
public final class RouteTableGenerator {

  /** The seed of the route sequence. */
  public static final long SEED = 0x6A7E_714BL;

  static final String[] VERSIONS = {"v1", "v2", "v3"};
  static final String[] DOMAINS = {
    "sales", "billing", "catalog", "shipping", "identity", "inventory", "payments", "support",
    "marketing", "analytics", "content", "search", "notifications", "accounts", "partners", "pricing",
    "returns", "loyalty", "reviews", "warehouse"};
  static final String[] RESOURCES = {
    "orders", "invoices", "customers", "products", "shipments", "users", "carts", "payments", "refunds",
    "coupons", "tickets", "campaigns", "reports", "documents", "subscriptions", "accounts", "vendors",
    "prices", "returns", "rewards", "reviews", "locations", "devices", "sessions", "webhooks", "tags",
    "categories", "messages", "plans", "quotes"};
  /** Sub-resources; disjoint from {@link #RESOURCES} (no repeated variable name) and never "files". */
  static final String[] CHILDREN = {
    "items", "notes", "events", "lines", "attachments", "comments", "revisions", "members", "versions",
    "audits"};

  /** One REST resource of the table. */
  public record Resource(String version, String domain, String name, String idName, String child,
      String childIdName) {
    public String base() {
      return "/" + version + "/" + domain + "/" + name;
    }
  }

  /** A generated table: routes in generation order, and the resources and legacy services they came from. */
  public record Generated(List<RouteSpec> routes, List<Resource> resources, List<String> legacyServices) {}

  private RouteTableGenerator() {}

  public static Generated generate(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    Random rng = new Random(SEED);
    List<String[]> combos = new ArrayList<>();
    for (String v : VERSIONS) {
      for (String d : DOMAINS) {
        for (String r : RESOURCES) {
          combos.add(new String[] {v, d, r});
        }
      }
    }
    Collections.shuffle(combos, rng);

    List<RouteSpec> routes = new ArrayList<>(count);
    List<Resource> resources = new ArrayList<>();
    List<String> legacy = new ArrayList<>();
    int nextCombo = 0;
    for (int block = 0; routes.size() < count; block++) {
      List<RouteSpec> blockRoutes = new ArrayList<>(8);
      if (block % 3 == 1) {
        String service = "/v1/svc" + (101 + legacy.size());
        legacy.add(service);
        blockRoutes.add(new RouteSpec("ANY", service + "/{proxy+}"));
        blockRoutes.add(new RouteSpec("GET", service + "/health"));
      } else {
        if (nextCombo == combos.size()) {
          throw new IllegalArgumentException("cannot generate more than about 15,000 routes: " + count);
        }
        String[] combo = combos.get(nextCombo++);
        String child = CHILDREN[rng.nextInt(CHILDREN.length)];
        Resource res = new Resource(combo[0], combo[1], combo[2], singular(combo[2]) + "Id", child,
            singular(child) + "Id");
        resources.add(res);
        String base = res.base();
        String item = base + "/{" + res.idName() + "}";
        blockRoutes.add(new RouteSpec("GET", base));
        blockRoutes.add(new RouteSpec("GET", item));
        blockRoutes.add(new RouteSpec("POST", base));
        blockRoutes.add(new RouteSpec("GET", item + "/" + child + "/{" + res.childIdName() + "}"));
        blockRoutes.add(new RouteSpec(rng.nextBoolean() ? "PUT" : "PATCH", item));
        blockRoutes.add(new RouteSpec("GET", base + "/search"));
        blockRoutes.add(new RouteSpec("DELETE", item));
        boolean files = rng.nextInt(3) == 0;
        if (block == 0 || files) {
          blockRoutes.add(new RouteSpec("ANY", item + "/files/{key+}"));
        }
      }
      for (RouteSpec route : blockRoutes) {
        if (routes.size() < count) {
          routes.add(route);
        }
      }
    }
    return new Generated(List.copyOf(routes), List.copyOf(resources), List.copyOf(legacy));
  }

  static String singular(String plural) {
    if (plural.endsWith("ies")) {
      return plural.substring(0, plural.length() - 3) + "y";
    }
    if (plural.endsWith("s")) {
      return plural.substring(0, plural.length() - 1);
    }
    return plural;
  }
}
