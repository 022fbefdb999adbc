package dev.gatelink.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON paths of parameter mapping ({@code $request.body.a.b[0]['c d']}): API Gateway's subset, without
 * recursive descent ({@code ..}) or filters ({@code ?()}), and, in Gatelink, without wildcards. Steps are
 * {@code .NAME}, {@code ['NAME']} or {@code ["NAME"]}, and {@code [INDEX]}. Parsed once; evaluated against a
 * Jackson tree with no allocation but the result's text.
 */
final class JsonPath {
  private final String text;
  /** A field name, or null at the positions of {@link #indexes}. */
  private final @Nullable String[] names;
  private final int[] indexes;

  private JsonPath(String text, List<String> names, List<Integer> indexes) {
    this.text = text;
    this.names = names.toArray(new String[0]);
    this.indexes = indexes.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Parses the path after {@code body}: {@code .a.b[0]} for {@code $request.body.a.b[0]}.
   *
   * @return the path
   * @throws IllegalArgumentException naming the index of the problem
   */
  static JsonPath parse(String path) {
    List<String> names = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        int start = ++i;
        while (i < path.length() && path.charAt(i) != '.' && path.charAt(i) != '[') {
          char n = path.charAt(i);
          if (n == ']' || n == '\'' || n == '"' || n == '*' || n == ' ') {
            throw new IllegalArgumentException("unexpected '" + n + "' at index " + i);
          }
          i++;
        }
        if (i == start) {
          throw new IllegalArgumentException("empty name at index " + start);
        }
        names.add(path.substring(start, i));
        indexes.add(-1);
      } else if (c == '[') {
        int close = path.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed [ at index " + i);
        }
        String inside = path.substring(i + 1, close);
        if (inside.length() >= 2 && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
            && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
          names.add(inside.substring(1, inside.length() - 1));
          indexes.add(-1);
        } else if (!inside.isEmpty() && inside.length() <= 9 && inside.chars().allMatch(d -> d >= '0' && d <= '9')) {
          names.add(null);
          indexes.add(Integer.parseInt(inside));
        } else {
          throw new IllegalArgumentException("'[" + inside + "]' at index " + i + " is neither [INDEX] nor ['NAME']");
        }
        i = close + 1;
      } else {
        throw new IllegalArgumentException("unexpected '" + c + "' at index " + i);
      }
    }
    return new JsonPath(path, names, indexes);
  }

  /** {@return the node at this path, or null when there is none} */
  @Nullable JsonNode select(@Nullable JsonNode root) {
    JsonNode node = root;
    for (int i = 0; i < names.length && node != null; i++) {
      String name = names[i];
      node = name != null ? (node.isObject() ? node.get(name) : null) : (node.isArray() ? node.get(indexes[i]) : null);
    }
    return node == null || node.isMissingNode() ? null : node;
  }

  /** {@return the text a selected node maps to: a string's own text, anything else as compact JSON} */
  static @Nullable String text(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isTextual() ? node.textValue() : node.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
