package dev.gatelink.openapi;

import dev.gatelink.openapi.Node.MapNode;
import dev.gatelink.openapi.Placeholders.Scope;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.gatelink.config.ConnectionType;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.Integration;

/**
 * Reads one {@code x-amazon-apigateway-integration} object (written in an operation or under
 * {@code components.x-amazon-apigateway-integrations}) into an {@link Integration}, each error located at the
 * field where it is written.
 */
final class IntegrationReader {
  static final String WHERE = "x-amazon-apigateway-integration";
  private static final List<String> KEYS = List.of("type", "httpMethod", "uri", "connectionType", "connectionId",
      "payloadFormatVersion", "tlsConfig", "timeoutInMillis", "requestParameters", "responseParameters");
  /** The fields of {@link Integration.Builder#build()}'s errors, as each error's problem starts. */
  private static final List<String> BUILD_FIELDS = List.of("uri", "connectionId", "tlsConfig.serverNameToVerify");

  private final NodeReader reader;

  IntegrationReader(NodeReader reader) {
    this.reader = reader;
  }

  /** An integration and the pointer of the object it was read from. */
  record ReadIntegration(Integration integration, String pointer) {}

  ReadIntegration read(MapNode node) {
    // Unknown keys first: a misspelt or merged-in key would otherwise show as a missing field.
    for (String key : node.entries().keySet()) {
      if (!KEYS.contains(key) && !key.equals("integrationSubtype") && !key.equals("credentials")) {
        throw reader.unknownKey(node, key, WHERE, KEYS);
      }
    }
    Node typeNode = node.get("type");
    if (typeNode == null) {
      throw reader.fail(node, "type is missing: expected http_proxy");
    }
    checkType(typeNode);
    Integration.Builder builder = Integration.builder();
    for (Map.Entry<String, Node> entry : node.entries().entrySet()) {
      String key = entry.getKey();
      Node value = entry.getValue();
      try {
        switch (key) {
          case "type":
            break;
          case "httpMethod":
            builder.method(reader.string(value, key, Scope.PLAIN));
            break;
          case "uri":
            builder.uri(reader.string(value, key, Scope.URI));
            break;
          case "connectionType":
            builder.connectionType(connectionType(value));
            break;
          case "connectionId":
            builder.connectionId(reader.string(value, key, Scope.PLAIN));
            break;
          case "payloadFormatVersion":
            builder.payloadFormatVersion(reader.version(value, key, "1.0"));
            break;
          case "tlsConfig":
            tlsConfig(reader.object(value, key, "an object with serverNameToVerify"), builder);
            break;
          case "timeoutInMillis":
            builder.timeout(timeout(value));
            break;
          case "requestParameters":
            requestParameters(reader.object(value, key, "an object of mapping keys to values"), builder);
            break;
          case "responseParameters":
            responseParameters(reader.object(value, key, "an object of status codes to mappings"), builder);
            break;
          case "integrationSubtype":
          case "credentials":
            throw reader.fail(value, key + " is only for AWS_PROXY integrations, which Gatelink does not support: "
                + "expected no " + key);
          default:
            throw reader.unknownKey(node, key, WHERE, KEYS);
        }
      } catch (InvalidConfigException e) {
        throw e.source() == null ? reader.locate(e, value.pointer()) : e;
      }
    }
    try {
      return new ReadIntegration(builder.build(), node.pointer());
    } catch (InvalidConfigException e) {
      throw reader.locate(e, buildErrorPointer(node, e.problem()));
    }
  }

  private void checkType(Node node) {
    String type = reader.string(node, "type", Scope.PLAIN);
    switch (type.toLowerCase(Locale.ROOT)) {
      case "http_proxy":
        return;
      case "aws_proxy":
        throw reader.fail(node, "type '" + type + "' is not supported by Gatelink, which serves only HTTP_PROXY "
            + "integrations: expected http_proxy");
      case "http":
      case "aws":
      case "mock":
        throw reader.fail(node, "type '" + type + "' is for REST APIs only, and HTTP APIs do not support it: "
            + "expected http_proxy");
      default:
        throw reader.fail(node, "type '" + type + "' is not an integration type: expected http_proxy");
    }
  }

  private ConnectionType connectionType(Node node) {
    String type = reader.string(node, "connectionType", Scope.PLAIN);
    switch (type) {
      case "INTERNET":
        return ConnectionType.INTERNET;
      case "VPC_LINK":
        return ConnectionType.VPC_LINK;
      default:
        throw reader.fail(node, "connectionType '" + type + "' is not a connection type: expected INTERNET or "
            + "VPC_LINK");
    }
  }

  private void tlsConfig(MapNode node, Integration.Builder builder) {
    for (Map.Entry<String, Node> entry : node.entries().entrySet()) {
      String key = entry.getKey();
      Node value = entry.getValue();
      if (key.equals("serverNameToVerify")) {
        String name = reader.string(value, "tlsConfig.serverNameToVerify", Scope.PLAIN);
        try {
          builder.serverNameToVerify(name);
        } catch (InvalidConfigException e) {
          throw reader.locate(e, value.pointer());
        }
      } else if (key.equals("insecureSkipVerification")) {
        throw reader.fail(value, "tlsConfig.insecureSkipVerification is for REST APIs only, and HTTP APIs do not "
            + "support it: expected only serverNameToVerify in tlsConfig");
      } else {
        throw reader.unknownKey(node, key, "tlsConfig", List.of("serverNameToVerify"));
      }
    }
  }

  /** An integer number of milliseconds, also written as a string of decimal digits ({@code "10000"}). */
  private Duration timeout(Node node) {
    BigInteger millis =
        reader.integer(node, "timeoutInMillis", "an integer number of milliseconds from 50 to 30000", true);
    if (millis.bitLength() > 62) {
      throw reader.fail(node, "timeoutInMillis " + millis + " is out of range: expected 50 to 30000");
    }
    return Duration.ofMillis(millis.longValue());
  }

  private void requestParameters(MapNode node, Integration.Builder builder) {
    for (Map.Entry<String, Node> entry : node.entries().entrySet()) {
      String what = "requestParameters '" + entry.getKey() + "'";
      String value = reader.string(entry.getValue(), what, Scope.MAPPING);
      try {
        builder.requestParameter(entry.getKey(), value);
      } catch (InvalidConfigException e) {
        throw reader.locate(e, entry.getValue().pointer());
      }
    }
  }

  private void responseParameters(MapNode node, Integration.Builder builder) {
    for (Map.Entry<String, Node> status : node.entries().entrySet()) {
      String statusWhat = "responseParameters '" + status.getKey() + "'";
      MapNode mappings = reader.object(status.getValue(), statusWhat, "an object of mapping keys to values");
      // The model checks a status and its mappings in one call; the status alone first, then each mapping
      // alone, so that an error points at the status or at the mapping it is about.
      try {
        Integration.builder().responseParameters(status.getKey(), Map.of());
      } catch (InvalidConfigException e) {
        throw reader.locate(e, mappings.pointer());
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (Map.Entry<String, Node> mapping : mappings.entries().entrySet()) {
        String what = statusWhat + " '" + mapping.getKey() + "'";
        String value = reader.string(mapping.getValue(), what, Scope.MAPPING);
        try {
          Integration.builder().responseParameters(status.getKey(), Map.of(mapping.getKey(), value));
        } catch (InvalidConfigException e) {
          throw reader.locate(e, mapping.getValue().pointer());
        }
        values.put(mapping.getKey(), value);
      }
      try {
        builder.responseParameters(status.getKey(), values);
      } catch (InvalidConfigException e) {
        throw reader.locate(e, mappings.pointer());
      }
    }
  }

  /**
   * Where an error of {@link Integration.Builder#build()} points: at the field its problem names when that
   * field is written in the object, otherwise at the object.
   */
  private static String buildErrorPointer(MapNode node, String problem) {
    for (String field : BUILD_FIELDS) {
      if (problem.startsWith(field + " '")) {
        String pointer = node.pointer();
        Node value = node;
        for (String part : field.split("\\.")) {
          value = value instanceof MapNode ? ((MapNode) value).get(part) : null;
          if (value == null) {
            return node.pointer();
          }
          pointer = value.pointer();
        }
        return pointer;
      }
    }
    return node.pointer();
  }
}
