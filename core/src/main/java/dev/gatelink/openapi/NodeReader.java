package dev.gatelink.openapi;

import dev.gatelink.openapi.Node.Kind;
import dev.gatelink.openapi.Node.ListNode;
import dev.gatelink.openapi.Node.MapNode;
import dev.gatelink.openapi.Node.ScalarNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.config.InvalidConfigException;

/**
 * Reads the values of one file with located errors: each read names the field, checks the value's type and
 * refuses what the loader cannot use there (a CloudFormation intrinsic written as a map, a YAML alias, a
 * placeholder API Gateway does not resolve), with the file and the value's JSON pointer.
 */
final class NodeReader {
  static final String EXTENSION_PREFIX = "x-amazon-apigateway-";
  /** Where API Gateway reads each extension Gatelink supports, for an error when one is found elsewhere. */
  private static final Map<String, String> SUPPORTED_EXTENSIONS = Map.of(
      "x-amazon-apigateway-importexport-version", "at the root of the document",
      "x-amazon-apigateway-cors", "at the root of the document",
      "x-amazon-apigateway-integrations", "in components",
      "x-amazon-apigateway-any-method", "in a path item under paths",
      "x-amazon-apigateway-integration", "in an operation under paths");

  /** An integer as JSON writes it: decimal digits, no sign but minus, no leading zero, no underscore. */
  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)");

  private final String source;
  private final Placeholders placeholders;

  NodeReader(String source, Placeholders placeholders) {
    this.source = source;
    this.placeholders = placeholders;
  }

  String source() {
    return source;
  }

  InvalidConfigException fail(String pointer, String problem) {
    return new InvalidConfigException(source, pointer, problem, null);
  }

  InvalidConfigException fail(Node node, String problem) {
    return fail(node.pointer(), problem);
  }

  /** A builder's error (no location) located at a value. */
  InvalidConfigException locate(InvalidConfigException e, String pointer) {
    return e.at(source, pointer);
  }

  MapNode object(Node node, String what, String expected) {
    checkUsable(node, what);
    if (node instanceof MapNode) {
      return (MapNode) node;
    }
    throw typeError(node, what, expected);
  }

  ListNode list(Node node, String what, String expected) {
    checkUsable(node, what);
    if (node instanceof ListNode) {
      return (ListNode) node;
    }
    throw typeError(node, what, expected);
  }

  /** A string, with its AWS placeholders replaced and its other placeholders checked against the scope. */
  String string(Node node, String what, Placeholders.Scope scope) {
    checkUsable(node, what);
    if (node instanceof ScalarNode && ((ScalarNode) node).kind() == Kind.STRING) {
      try {
        return placeholders.resolve(((ScalarNode) node).text(), what, scope);
      } catch (InvalidConfigException e) {
        throw locate(e, node.pointer());
      }
    }
    throw typeError(node, what, "a string");
  }

  boolean bool(Node node, String what) {
    checkUsable(node, what);
    if (node instanceof ScalarNode && ((ScalarNode) node).kind() == Kind.BOOLEAN) {
      return Boolean.parseBoolean(((ScalarNode) node).text().toLowerCase(Locale.ROOT));
    }
    throw typeError(node, what, "true or false");
  }

  /**
   * An integer written in decimal, as JSON writes it; YAML's octal ({@code 017}), hexadecimal and underscored
   * forms are refused rather than read with a value the writer may not expect.
   *
   * @param digitsInString whether a string of decimal digits ({@code "10000"}) is accepted too
   */
  BigInteger integer(Node node, String what, String expected, boolean digitsInString) {
    checkUsable(node, what);
    if (node instanceof ScalarNode) {
      ScalarNode scalar = (ScalarNode) node;
      boolean number = scalar.kind() == Kind.INTEGER;
      if ((number || digitsInString && scalar.kind() == Kind.STRING) && DECIMAL.matcher(scalar.text()).matches()) {
        return new BigInteger(scalar.text());
      }
      if (number) {
        throw fail(node, what + " " + scalar.text() + " is not written in decimal: expected " + expected);
      }
    }
    throw typeError(node, what, expected);
  }

  /** A version written as a string ({@code "1.0"}) or as a number ({@code 1.0}): its text as written. */
  String version(Node node, String what, String expected) {
    checkUsable(node, what);
    if (node instanceof ScalarNode) {
      ScalarNode scalar = (ScalarNode) node;
      if (scalar.kind() == Kind.STRING || scalar.kind() == Kind.FLOAT || scalar.kind() == Kind.INTEGER) {
        return scalar.text();
      }
    }
    throw typeError(node, what, expected);
  }

  InvalidConfigException typeError(Node node, String what, String expected) {
    return fail(node, what + " is " + node.describe() + ": expected " + expected);
  }

  /** Refuses a CloudFormation intrinsic written as a map, and a YAML alias, where the loader reads a value. */
  void checkUsable(Node node, String what) {
    if (node instanceof ScalarNode && ((ScalarNode) node).kind() == Kind.ALIAS) {
      throw fail(node, what + " is the YAML alias *" + ((ScalarNode) node).text()
          + ", which Gatelink does not expand: expected the value written in place");
    }
    if (node instanceof MapNode && ((MapNode) node).entries().size() == 1) {
      String key = ((MapNode) node).entries().keySet().iterator().next();
      if (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::")) {
        throw fail(node, what + " is a CloudFormation intrinsic (" + key
            + "), which API Gateway does not resolve: expected a plain value");
      }
    }
  }

  /** Refuses a key of an object the loader reads, naming the keys it expected. */
  InvalidConfigException unknownKey(MapNode object, String key, String where, List<String> expected) {
    if (key.equals("<<")) {
      return fail(Pointers.child(object.pointer(), key), "the YAML merge key << in " + where
          + " is not supported: expected the keys written in place");
    }
    if (isExtension(key)) {
      return extension(Pointers.child(object.pointer(), key), key);
    }
    return fail(Pointers.child(object.pointer(), key), "unknown key '" + key + "' in " + where + ": expected "
        + oneOf(expected));
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}. */
  static String oneOf(List<String> names) {
    int last = names.size() - 1;
    return last == 0 ? names.get(0) : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
  }

  static boolean isExtension(String key) {
    return key.toLowerCase(Locale.ROOT).startsWith(EXTENSION_PREFIX);
  }

  /** An {@code x-amazon-apigateway-*} key where the loader does not read it. */
  InvalidConfigException extension(String pointer, String key) {
    String place = SUPPORTED_EXTENSIONS.get(key);
    if (place != null) {
      return fail(pointer, key + " is not read here: expected it " + place);
    }
    return fail(pointer, key + " is not supported by Gatelink: ignoring it could change how the API behaves");
  }

  /**
   * Skips content that API Gateway ignores on import (schemas, descriptions, parameters, non-Amazon
   * extensions), refusing any {@code x-amazon-apigateway-*} key inside it.
   */
  void ignore(Node node) {
    if (node instanceof MapNode) {
      for (Map.Entry<String, Node> entry : ((MapNode) node).entries().entrySet()) {
        if (isExtension(entry.getKey())) {
          throw extension(Pointers.child(node.pointer(), entry.getKey()), entry.getKey());
        }
        ignore(entry.getValue());
      }
    } else if (node instanceof ListNode) {
      for (Node item : ((ListNode) node).items()) {
        ignore(item);
      }
    }
  }
}
