package dev.gatelink.openapi;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One value of a parsed YAML or JSON document, with the JSON pointer and the line and column where it is
 * written. Objects keep their keys in document order.
 */
sealed interface Node permits Node.MapNode, Node.ListNode, Node.ScalarNode {

  /** {@return the RFC 6901 pointer of this value; empty for the root} */
  String pointer();

  /** {@return how an error names the kind of this value, such as "a list" or "a string ('x')"} */
  String describe();

  /** An object. */
  record MapNode(String pointer, Map<String, Node> entries) implements Node {
    @Override
    public String describe() {
      return "an object";
    }

    @Nullable Node get(String key) {
      return entries.get(key);
    }
  }

  /** A list. */
  record ListNode(String pointer, List<Node> items) implements Node {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A scalar: its kind and its text as written (for a number, the digits as written; for an alias, the anchor). */
  record ScalarNode(String pointer, Kind kind, String text) implements Node {
    @Override
    public String describe() {
      switch (kind) {
        case STRING:
          return "a string ('" + text + "')";
        case INTEGER:
        case FLOAT:
          return "a number (" + text + ")";
        case BOOLEAN:
          return "a boolean (" + text + ")";
        case NULL:
          return "null";
        default:
          return "the YAML alias *" + text;
      }
    }
  }

  /** The kinds of scalar. */
  enum Kind {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL,
    /** A YAML alias ({@code *name}), which the parser does not expand. */
    ALIAS
  }
}
