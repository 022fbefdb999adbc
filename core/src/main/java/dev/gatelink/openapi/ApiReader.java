package dev.gatelink.openapi;

import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.WrittenTargetOptions;
import dev.gatelink.openapi.IntegrationReader.ReadIntegration;
import dev.gatelink.openapi.Node.Kind;
import dev.gatelink.openapi.Node.ListNode;
import dev.gatelink.openapi.Node.MapNode;
import dev.gatelink.openapi.Node.ScalarNode;
import dev.gatelink.openapi.Placeholders.Scope;
import dev.gatelink.route.InvalidRouteException;
import dev.gatelink.route.RouteKey;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.CorsConfiguration;
import dev.gatelink.config.Stage;
import dev.gatelink.config.Integration;
import dev.gatelink.config.ApiDefinition;

/** Reads one parsed OpenAPI document into an {@link ApiDefinition}; see {@link OpenApiLoader} for the rules. */
final class ApiReader {
  private static final Pattern OPENAPI_3_0 = Pattern.compile("3\\.0(\\.[0-9]+)?");
  private static final String INTEGRATIONS = "x-amazon-apigateway-integrations";
  private static final String REF_PREFIX = "#/components/" + INTEGRATIONS + "/";
  private static final String ANY_METHOD = "x-amazon-apigateway-any-method";
  /** Gatelink's extension of an operation: the options of its integration's target provider. */
  static final String TARGET_OPTIONS = "x-gatelink-target";
  /** The TLS-passthrough listener's settings, read by gatelink-nlb, not by the gateway. */
  static final String PASSTHROUGH = "x-gatelink-passthrough";
  private static final String GATELINK_EXTENSION_PREFIX = "x-gatelink-";
  private static final String INTEGRATION = IntegrationReader.WHERE;
  private static final String OPENAPI_EXPECTED = "expected an OpenAPI 3.0 object with openapi and paths";

  private static final List<String> ROOT_KEYS = List.of("openapi", "info", "servers", "paths", "components",
      "security", "tags", "externalDocs", "x-amazon-apigateway-cors", "x-amazon-apigateway-importexport-version",
      "x- extensions");
  private static final List<String> COMPONENT_KEYS = List.of("schemas", "responses", "parameters", "examples",
      "requestBodies", "headers", "securitySchemes", "links", "callbacks", INTEGRATIONS, "x- extensions");
  /** Route methods by operation key, in the order an error lists them. */
  private static final Map<String, String> METHODS = methods();
  private static final String OPERATIONS = NodeReader.oneOf(List.copyOf(METHODS.keySet()));
  /** The fields of an OpenAPI path item that API Gateway ignores on import. */
  private static final List<String> IGNORED_PATH_ITEM_KEYS = List.of("parameters", "summary", "description",
      "servers");
  private static final List<String> PATH_ITEM_KEYS = concat(List.copyOf(METHODS.keySet()),
      concat(IGNORED_PATH_ITEM_KEYS, List.of("x- extensions")));
  /** The fields of an OpenAPI operation that API Gateway ignores on import. */
  private static final List<String> IGNORED_OPERATION_KEYS = List.of("parameters", "requestBody", "responses",
      "summary", "description", "operationId", "tags", "deprecated", "externalDocs", "callbacks", "servers");
  private static final List<String> CORS_KEYS = List.of("allowOrigins", "allowCredentials", "exposeHeaders",
      "maxAge", "allowMethods", "allowHeaders");

  private final NodeReader reader;
  private final IntegrationReader integrations;
  private final List<Stage> stages;
  private final Map<String, ReadIntegration> components = new LinkedHashMap<>();
  private final List<ReadRoute> routes = new ArrayList<>();

  /** A route as read: its key, its integration and the operation it was read from. */
  private record ReadRoute(RouteKey key, ReadIntegration integration, String operationPointer) {}

  ApiReader(NodeReader reader, List<Stage> stages) {
    this.reader = reader;
    this.integrations = new IntegrationReader(reader);
    this.stages = stages;
  }

  ApiDefinition read(@Nullable Node document) {
    if (document == null || document instanceof ScalarNode && ((ScalarNode) document).kind() == Kind.NULL) {
      throw new InvalidConfigException(reader.source(), null, "the document is empty: " + OPENAPI_EXPECTED, null);
    }
    if (!(document instanceof MapNode)) {
      throw reader.fail(document, "the document is " + document.describe() + ": " + OPENAPI_EXPECTED);
    }
    MapNode root = (MapNode) document;
    checkVersion(root);
    ApiDefinition.Builder api = ApiDefinition.builder();
    Node componentsNode = null;
    Node pathsNode = null;
    for (Map.Entry<String, Node> entry : root.entries().entrySet()) {
      String key = entry.getKey();
      Node value = entry.getValue();
      switch (key) {
        case "openapi":
          break;
        case "info":
        case "servers":
        case "tags":
        case "externalDocs":
          reader.ignore(value);
          break;
        case "security":
          checkSecurity(value, "the API's routes");
          break;
        case "x-amazon-apigateway-importexport-version":
          String version = reader.version(value, key, "1.0");
          if (!version.equals("1.0")) {
            throw reader.fail(value, key + " '" + version + "' is not supported: expected 1.0");
          }
          break;
        case "x-amazon-apigateway-cors":
          api.cors(cors(value));
          break;
        case "components":
          componentsNode = value;
          break;
        case "paths":
          pathsNode = value;
          break;
        case PASSTHROUGH:
          // gatelink-nlb's TlsPassthroughExtension reads it; the gateway serves HTTP only.
          reader.ignore(value);
          break;
        default:
          ignoreExtension(root, key, "the document root", ROOT_KEYS);
      }
    }
    if (componentsNode != null) {
      readComponents(componentsNode);
    }
    if (pathsNode == null) {
      throw reader.fail("", "paths is missing: expected an object of route paths such as /orders/{orderId}");
    }
    readPaths(pathsNode);
    return build(api);
  }

  private void checkVersion(MapNode root) {
    Node swagger = root.get("swagger");
    if (swagger != null) {
      throw reader.fail(swagger, "swagger " + quote(swagger) + " is not imported: only OpenAPI 3.0 is imported for "
          + "HTTP APIs; expected openapi: 3.0.x");
    }
    Node openapi = root.get("openapi");
    if (openapi == null) {
      throw reader.fail("", "openapi is missing: only OpenAPI 3.0 is imported for HTTP APIs; expected openapi: 3.0.x");
    }
    String version = reader.version(openapi, "openapi", "a version such as 3.0.1");
    if (!OPENAPI_3_0.matcher(version).matches()) {
      throw reader.fail(openapi, "openapi '" + version + "' is not imported: only OpenAPI 3.0 is imported for HTTP "
          + "APIs; expected 3.0.x");
    }
  }

  /** A key that is no field of the object: skipped if a non-Amazon extension, refused otherwise. */
  private void ignoreExtension(MapNode object, String key, String where, List<String> expected) {
    if (key.toLowerCase(Locale.ROOT).startsWith(GATELINK_EXTENSION_PREFIX)) {
      throw reader.fail(Pointers.child(object.pointer(), key), key.equals(TARGET_OPTIONS)
          ? key + " is not read here: expected it in an operation, next to " + INTEGRATION
          : key.equals(PASSTHROUGH) ? key + " is not read here: expected it at the document root"
          : key + " is not a Gatelink extension: expected " + TARGET_OPTIONS + " in an operation or " + PASSTHROUGH
              + " at the document root");
    }
    if (key.startsWith("x-") && !NodeReader.isExtension(key)) {
      reader.ignore(object.entries().get(key));
      return;
    }
    throw reader.unknownKey(object, key, where, expected);
  }

  private void checkSecurity(Node node, String served) {
    ListNode requirements = reader.list(node, "security", "a list of security requirements");
    for (int i = 0; i < requirements.items().size(); i++) {
      MapNode requirement = reader.object(requirements.items().get(i), "security[" + i + "]",
          "a security requirement object");
      if (!requirement.entries().isEmpty()) {
        List<String> names = new ArrayList<>();
        requirement.entries().keySet().forEach(name -> names.add("'" + name + "'"));
        throw reader.fail(requirement, "security requirement " + String.join(", ", names) + " is not supported by "
            + "Gatelink, which would serve " + served + " without authorization: expected security: [] or no security");
      }
    }
  }

  private CorsConfiguration cors(Node node) {
    String where = "x-amazon-apigateway-cors";
    MapNode cors = reader.object(node, where, "an object with " + NodeReader.oneOf(CORS_KEYS));
    List<String> allowOrigins = List.of();
    List<String> exposeHeaders = List.of();
    List<String> allowMethods = List.of();
    List<String> allowHeaders = List.of();
    boolean allowCredentials = false;
    Integer maxAge = null;
    for (Map.Entry<String, Node> entry : cors.entries().entrySet()) {
      String key = entry.getKey();
      Node value = entry.getValue();
      switch (key) {
        case "allowOrigins":
          allowOrigins = strings(value, key);
          break;
        case "allowCredentials":
          allowCredentials = reader.bool(value, key);
          break;
        case "exposeHeaders":
          exposeHeaders = strings(value, key);
          break;
        case "maxAge":
          maxAge = maxAge(value);
          break;
        case "allowMethods":
          allowMethods = strings(value, key);
          break;
        case "allowHeaders":
          allowHeaders = strings(value, key);
          break;
        default:
          throw reader.unknownKey(cors, key, where, CORS_KEYS);
      }
    }
    try {
      return new CorsConfiguration(allowOrigins, allowCredentials, exposeHeaders, maxAge, allowMethods, allowHeaders);
    } catch (InvalidConfigException e) {
      // The record's checks name the field their problem starts with.
      Node field = e.problem().startsWith("maxAge") ? cors.get("maxAge")
          : e.problem().startsWith("allowCredentials") ? cors.get("allowCredentials") : null;
      throw reader.locate(e, field == null ? cors.pointer() : field.pointer());
    }
  }

  private Integer maxAge(Node node) {
    BigInteger seconds = reader.integer(node, "maxAge", "an integer number of seconds from -1 to 86400", false);
    if (seconds.bitLength() > 31) {
      throw reader.fail(node, "maxAge " + seconds + " is out of range: expected -1 to 86400");
    }
    return seconds.intValue();
  }

  private List<String> strings(Node node, String what) {
    ListNode list = reader.list(node, what, "a list of strings");
    List<String> strings = new ArrayList<>();
    for (Node item : list.items()) {
      strings.add(reader.string(item, what + "[" + strings.size() + "]", Scope.PLAIN));
    }
    return strings;
  }

  private void readComponents(Node node) {
    MapNode map = reader.object(node, "components", "an object");
    for (Map.Entry<String, Node> entry : map.entries().entrySet()) {
      String key = entry.getKey();
      if (key.equals(INTEGRATIONS)) {
        MapNode named = reader.object(entry.getValue(), key, "an object of integrations by name");
        for (Map.Entry<String, Node> integration : named.entries().entrySet()) {
          MapNode object = reader.object(integration.getValue(), "integration '" + integration.getKey() + "'",
              "an " + INTEGRATION + " object");
          components.put(integration.getKey(), integrations.read(object));
        }
      } else if (COMPONENT_KEYS.contains(key)) {
        reader.ignore(entry.getValue());
      } else {
        ignoreExtension(map, key, "components", COMPONENT_KEYS);
      }
    }
  }

  private void readPaths(Node node) {
    MapNode paths = reader.object(node, "paths", "an object of route paths such as /orders/{orderId}");
    String defaultPath = null;
    for (Map.Entry<String, Node> entry : paths.entries().entrySet()) {
      String path = entry.getKey();
      String where = "path '" + path + "'";
      MapNode item = reader.object(entry.getValue(), where, "an object of operations");
      boolean isDefault = path.equals("/" + RouteKey.DEFAULT.text()) || path.equals(RouteKey.DEFAULT.text());
      if (isDefault && defaultPath != null) {
        throw reader.fail(item, where + " is the $default route, which path '" + defaultPath
            + "' declares already: expected the $default route once");
      }
      if (isDefault) {
        defaultPath = path;
      }
      int operations = 0;
      for (Map.Entry<String, Node> field : item.entries().entrySet()) {
        String key = field.getKey();
        String method = METHODS.get(key);
        if (method != null) {
          if (isDefault && !key.equals(ANY_METHOD)) {
            throw reader.fail(field.getValue(), where + " is the $default route, which takes every method: expected "
                + ANY_METHOD + ", not " + key);
          }
          readOperation(path, key, method, isDefault, field.getValue());
          operations++;
        } else if (key.equals("trace")) {
          throw reader.fail(field.getValue(), "trace is not supported: API Gateway HTTP APIs cannot route TRACE; "
              + "expected " + OPERATIONS);
        } else if (key.equals("$ref")) {
          throw reader.fail(field.getValue(), "$ref in " + where + " is not supported: expected the operations "
              + "written in place");
        } else if (IGNORED_PATH_ITEM_KEYS.contains(key)) {
          reader.ignore(field.getValue());
        } else {
          ignoreExtension(item, key, where, PATH_ITEM_KEYS);
        }
      }
      if (operations == 0) {
        throw reader.fail(item, where + " has no operation, so it would make no route: expected " + OPERATIONS);
      }
    }
  }

  private void readOperation(String path, String key, String method, boolean isDefault, Node node) {
    String where = "operation " + key + " of path '" + path + "'";
    MapNode operation = reader.object(node, where, "an object");
    RouteKey routeKey;
    try {
      routeKey = isDefault ? RouteKey.DEFAULT : RouteKey.parse(method + " " + path);
    } catch (InvalidRouteException e) {
      throw new InvalidConfigException(reader.source(), operation.pointer(), e.getMessage(), e);
    }
    boolean anyMethod = key.equals(ANY_METHOD);
    Node integrationNode = null;
    Node optionsNode = null;
    for (Map.Entry<String, Node> entry : operation.entries().entrySet()) {
      String field = entry.getKey();
      Node value = entry.getValue();
      if (field.equals(INTEGRATION)) {
        integrationNode = value;
      } else if (field.equals(TARGET_OPTIONS)) {
        optionsNode = value;
      } else if (field.equals("isDefaultRoute") && anyMethod) {
        boolean marked = reader.bool(value, field);
        if (marked && !isDefault) {
          throw reader.fail(value, "isDefaultRoute is true on path '" + path
              + "': expected it only on the $default path ('/$default')");
        }
        if (!marked && isDefault) {
          throw reader.fail(value, "isDefaultRoute is false on path '" + path + "', which is always the $default "
              + "route: expected true or no isDefaultRoute");
        }
      } else if (field.equals("security")) {
        checkSecurity(value, "route '" + routeKey.text() + "'");
      } else if (IGNORED_OPERATION_KEYS.contains(field)) {
        reader.ignore(value);
      } else {
        List<String> expected = new ArrayList<>(List.of(INTEGRATION, TARGET_OPTIONS));
        if (anyMethod) {
          expected.add("isDefaultRoute");
        }
        expected.add("security");
        expected.addAll(IGNORED_OPERATION_KEYS);
        expected.add("x- extensions");
        ignoreExtension(operation, field, where, expected);
      }
    }
    if (integrationNode == null) {
      throw reader.fail(operation, "route '" + routeKey.text() + "' has no " + INTEGRATION + ": API Gateway would "
          + "create it with no target; expected an HTTP_PROXY integration");
    }
    ReadIntegration integration = integration(integrationNode);
    if (optionsNode != null) {
      integration = withTargetOptions(integration, optionsNode);
    }
    routes.add(new ReadRoute(routeKey, integration, operation.pointer()));
  }

  /**
   * The integration with the operation's {@code x-gatelink-target}: an object of option names to strings,
   * numbers (their text as written) or booleans ({@code true} or {@code false}), where an object value is a group whose members become
   * {@code group.member}.
   */
  private ReadIntegration withTargetOptions(ReadIntegration read, Node node) {
    String expected = "an object of target options, such as healthStatus: HEALTHY_OR_ELSE_ALL";
    MapNode options = reader.object(node, TARGET_OPTIONS, expected);
    WrittenTargetOptions.Builder written = WrittenTargetOptions.builder();
    for (Map.Entry<String, Node> entry : options.entries().entrySet()) {
      reader.checkUsable(entry.getValue(), TARGET_OPTIONS + " '" + entry.getKey() + "'");
      if (entry.getValue() instanceof MapNode) {
        String group = entry.getKey();
        for (Map.Entry<String, Node> member : ((MapNode) entry.getValue()).entries().entrySet()) {
          targetOption(written, group + "." + member.getKey(), member.getValue());
        }
      } else {
        targetOption(written, entry.getKey(), entry.getValue());
      }
    }
    return new ReadIntegration(read.integration().toBuilder().targetOptions(written.build()).build(),
        read.pointer());
  }

  private void targetOption(WrittenTargetOptions.Builder written, String name, Node value) {
    String what = TARGET_OPTIONS + " '" + name + "'";
    Kind kind = value instanceof ScalarNode ? ((ScalarNode) value).kind() : null;
    String text;
    if (kind == Kind.STRING) {
      text = reader.string(value, what, Scope.PLAIN);
    } else if (kind == Kind.BOOLEAN) {
      text = ((ScalarNode) value).text().toLowerCase(Locale.ROOT);
    } else if (kind == Kind.INTEGER || kind == Kind.FLOAT) {
      text = ((ScalarNode) value).text();
    } else {
      reader.checkUsable(value, what);
      throw reader.typeError(value, what, "a string, a number or a boolean");
    }
    try {
      written.option(name, text, value.pointer());
    } catch (TargetOptionException e) {
      throw reader.locate(new InvalidConfigException(e.getMessage()), value.pointer());
    }
  }

  private ReadIntegration integration(Node node) {
    MapNode object = reader.object(node, INTEGRATION, "an object, or a $ref to components." + INTEGRATIONS);
    Node ref = object.get("$ref");
    if (ref == null) {
      return integrations.read(object);
    }
    for (String key : object.entries().keySet()) {
      if (!key.equals("$ref")) {
        throw reader.fail(Pointers.child(object.pointer(), key), INTEGRATION + " has a $ref and the key '" + key
            + "': expected only the $ref, or the integration written in place");
      }
    }
    String text = reader.string(ref, "$ref", Scope.PLAIN);
    String name = text.startsWith(REF_PREFIX) ? text.substring(REF_PREFIX.length()) : "";
    if (name.isEmpty() || name.contains("/")) {
      throw reader.fail(ref, "$ref '" + text + "' is not an integration reference: expected '" + REF_PREFIX + "NAME'");
    }
    ReadIntegration found = components.get(Pointers.unescape(name));
    if (found == null) {
      throw reader.fail(ref, "$ref '" + text + "' names no integration: " + (components.isEmpty()
          ? "the document has no components." + INTEGRATIONS
          : "expected one of " + NodeReader.oneOf(List.copyOf(components.keySet()))));
    }
    return found;
  }

  private ApiDefinition build(ApiDefinition.Builder api) {
    Map<String, String> operationByKey = new HashMap<>();
    for (ReadRoute route : routes) {
      try {
        api.route(route.key(), route.integration().integration());
      } catch (InvalidConfigException e) {
        // A problem with the route names it ("route 'GET /a': ..."); any other is the uri's own (its braces).
        throw reader.locate(e, e.problem().startsWith("route '")
            ? Pointers.child(route.operationPointer(), INTEGRATION)
            : Pointers.child(route.integration().pointer(), "uri"));
      }
      operationByKey.put(route.key().text(), route.operationPointer());
      api.routePointer(route.key(), route.operationPointer());
    }
    api.source(reader.source());
    for (Stage stage : stages) {
      api.stage(stage);
    }
    try {
      return api.build();
    } catch (InvalidRouteException e) {
      String pointer = operationByKey.getOrDefault(e.routeKey(), "");
      throw new InvalidConfigException(reader.source(), pointer, e.getMessage(), e);
    } catch (InvalidConfigException e) {
      throw reader.locate(e, missingStageVariablePointer());
    }
  }

  /**
   * Where {@link ApiDefinition.Builder#build()}'s stage-variable error points: at the uri (where it is written)
   * of the first route, in the order the definition checks them, whose uri uses a stage variable that a stage
   * does not define.
   */
  private String missingStageVariablePointer() {
    List<Stage> deployed = stages.isEmpty() ? List.of(Stage.of(Stage.DEFAULT_NAME)) : stages;
    for (ReadRoute route : routes) {
      String uri = route.integration().integration().uri();
      int start = uri.indexOf("${stageVariables.");
      while (start >= 0) {
        int end = uri.indexOf('}', start);
        String variable = uri.substring(start + "${stageVariables.".length(), end);
        for (Stage stage : deployed) {
          if (!stage.variables().containsKey(variable)) {
            return Pointers.child(route.integration().pointer(), "uri");
          }
        }
        start = uri.indexOf("${stageVariables.", end);
      }
    }
    return "";
  }

  private static String quote(Node node) {
    return node instanceof ScalarNode ? "'" + ((ScalarNode) node).text() + "'" : "(" + node.describe() + ")";
  }

  private static Map<String, String> methods() {
    Map<String, String> methods = new LinkedHashMap<>();
    for (String method : List.of("get", "put", "post", "delete", "options", "head", "patch")) {
      methods.put(method, method.toUpperCase(Locale.ROOT));
    }
    methods.put(ANY_METHOD, "ANY");
    return methods;
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }
}
