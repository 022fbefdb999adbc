package dev.gatelink.openapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.gatelink.openapi.Node.Kind;
import dev.gatelink.openapi.Node.ListNode;
import dev.gatelink.openapi.Node.MapNode;
import dev.gatelink.openapi.Node.ScalarNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.config.InvalidConfigException;

/**
 * Reads YAML or JSON text into {@link Node}s with Jackson's streaming parser, so that what a tree would hide is
 * seen and refused: a key given twice, a YAML tag ({@code !Sub}), a second document. A YAML alias is kept as an
 * {@link Kind#ALIAS} scalar (Jackson does not expand aliases), for the loader to refuse where it reads one.
 *
 * <p>YAML booleans are {@code true} and {@code false} only (YAML 1.2, as OpenAPI files are written), so that
 * {@code yes}, {@code no}, {@code on} and {@code off} stay strings; an empty value is null.
 */
final class DocumentReader {
  private static final YAMLFactory YAML = YAMLFactory.builder()
      .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
      .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
      .build();
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final String YAML_TAG_PREFIX = "tag:yaml.org,2002:";
  /** CloudFormation's short-form intrinsics, named as such when a file uses one as a YAML tag. */
  private static final Set<String> CLOUDFORMATION_TAGS = Set.of(
      "Base64", "Cidr", "Condition", "Equals", "FindInMap", "GetAtt", "GetAZs", "If", "ImportValue", "Join",
      "Length", "Not", "And", "Or", "Ref", "Select", "Split", "Sub", "ToJsonString", "Transform");

  private final JsonParser parser;
  private final String source;
  private final boolean json;

  private DocumentReader(JsonParser parser, String source, boolean json) {
    this.parser = parser;
    this.source = source;
    this.json = json;
  }

  /**
   * Reads a document.
   *
   * @param text the file's text
   * @param source the file's name, for errors; a name ending in {@code .json} is read as JSON, one ending in
   *     {@code .yaml} or {@code .yml} as YAML, any other as JSON when its first character is <code>{</code>
   * @return the root value, or null when the document is empty
   */
  static @Nullable Node read(String text, String source) {
    boolean json = isJson(text, source);
    try (JsonParser parser = json ? JSON.createParser(text) : YAML.createParser(text)) {
      return new DocumentReader(parser, source, json).document();
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(source, null, syntaxProblem(e, json, text), e);
    } catch (IOException e) {
      // Reading a String does no I/O; kept for the parser's signature.
      throw new InvalidConfigException(source, null, "the text cannot be read: " + e.getMessage(), e);
    }
  }

  static boolean isJson(String text, String source) {
    String name = source.toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return true;
    }
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{';
      }
    }
    return false;
  }

  private @Nullable Node document() throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      return null;
    }
    Node root = value(first, "");
    JsonToken next = parser.nextToken();
    if (next != null) {
      JsonLocation at = parser.currentTokenLocation();
      throw new InvalidConfigException(source, null, "a second document starts at line " + at.getLineNr()
          + ", column " + at.getColumnNr() + ": expected one OpenAPI document in the file", null);
    }
    return root;
  }

  private Node value(JsonToken token, String pointer) throws IOException {
    checkTag(pointer);
    switch (token) {
      case START_OBJECT:
        return object(pointer);
      case START_ARRAY:
        List<Node> items = new ArrayList<>();
        JsonToken item;
        while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
          items.add(value(item, Pointers.child(pointer, items.size())));
        }
        return new ListNode(pointer, Collections.unmodifiableList(items));
      case VALUE_STRING:
        boolean alias = !json && ((YAMLParser) parser).isCurrentAlias();
        return new ScalarNode(pointer, alias ? Kind.ALIAS : Kind.STRING, parser.getText());
      case VALUE_NUMBER_INT:
        return new ScalarNode(pointer, Kind.INTEGER, parser.getText());
      case VALUE_NUMBER_FLOAT:
        return new ScalarNode(pointer, Kind.FLOAT, parser.getText());
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new ScalarNode(pointer, Kind.BOOLEAN, parser.getText());
      case VALUE_NULL:
        return new ScalarNode(pointer, Kind.NULL, "null");
      default:
        // VALUE_EMBEDDED_OBJECT: a !!binary scalar, refused by checkTag before it gets here.
        throw new InvalidConfigException(source, pointer, "unexpected " + token + ": expected a plain value", null);
    }
  }

  private MapNode object(String pointer) throws IOException {
    Map<String, Node> entries = new LinkedHashMap<>();
    Map<String, JsonLocation> keyLocations = new HashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      String keyPointer = Pointers.child(pointer, key);
      JsonLocation at = parser.currentTokenLocation();
      JsonLocation first = keyLocations.putIfAbsent(key, at);
      if (first != null) {
        throw new InvalidConfigException(source, keyPointer, "key '" + key + "' is given twice, at line "
            + first.getLineNr() + ", column " + first.getColumnNr() + " and at line " + at.getLineNr() + ", column "
            + at.getColumnNr() + ": expected each key once", null);
      }
      entries.put(key, value(parser.nextToken(), keyPointer));
    }
    return new MapNode(pointer, Collections.unmodifiableMap(entries));
  }

  /** Refuses a YAML tag other than YAML's own ({@code !!str}, {@code !!int}, ...) on the current value. */
  private void checkTag(String pointer) throws IOException {
    if (json) {
      return;
    }
    String tag = ((YAMLParser) parser).getTypeId();
    if (tag == null || tag.isEmpty()) {
      return;
    }
    if (tag.startsWith(YAML_TAG_PREFIX)) {
      String name = tag.substring(YAML_TAG_PREFIX.length());
      if (!name.equals("binary")) {
        return;
      }
      throw new InvalidConfigException(source, pointer, "YAML tag !!binary is not supported: expected a plain value",
          null);
    }
    throw new InvalidConfigException(source, pointer, CLOUDFORMATION_TAGS.contains(tag)
        ? "YAML tag !" + tag + " is a CloudFormation intrinsic, which API Gateway does not resolve: expected a plain "
            + "value"
        : "YAML tag !" + tag + " is not supported: expected a plain value", null);
  }

  private static String syntaxProblem(JsonProcessingException e, boolean json, String text) {
    String format = json ? "JSON" : "YAML";
    if (e.getCause() instanceof org.yaml.snakeyaml.reader.ReaderException) {
      // A character YAML does not allow (a control character, a lone surrogate); its position counts code points.
      org.yaml.snakeyaml.reader.ReaderException reader = (org.yaml.snakeyaml.reader.ReaderException) e.getCause();
      int line = 1;
      int column = 1;
      int i = 0;
      for (int n = 0; i < text.length() && n < reader.getPosition(); n++) {
        if (text.charAt(i) == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
        i += Character.charCount(text.codePointAt(i));
      }
      return String.format("YAML syntax error at %s: character U+%04X is not allowed in YAML",
          position(line, column), reader.getCodePoint());
    }
    if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException) {
      org.yaml.snakeyaml.error.MarkedYAMLException yaml = (org.yaml.snakeyaml.error.MarkedYAMLException) e.getCause();
      StringBuilder problem = new StringBuilder(format).append(" syntax error");
      if (yaml.getProblemMark() != null) {
        problem.append(" at ").append(position(yaml.getProblemMark()));
      }
      problem.append(": ").append(yaml.getProblem());
      if (yaml.getContext() != null) {
        problem.append(" (").append(yaml.getContext());
        if (yaml.getContextMark() != null) {
          problem.append(" at ").append(position(yaml.getContextMark()));
        }
        problem.append(')');
      }
      return problem.toString();
    }
    String message = String.valueOf(e.getOriginalMessage())
        .replaceAll("\\[Source: [^;\\]]*; ", "[")
        .replace('\n', ' ')
        .trim();
    if (message.startsWith("Expected a field name")) {
      message = "a key is not a plain value: expected keys that are strings";
    }
    // A limit (nesting depth, SnakeYAML's code point limit) is not a syntax error.
    boolean limit = e instanceof StreamConstraintsException || message.contains("exceeds the limit");
    JsonLocation at = e.getLocation();
    return format + (limit ? " document exceeds a limit" : " syntax error") + (at != null && at.getLineNr() > 0
        ? " at " + position(at.getLineNr(), at.getColumnNr()) : "") + ": " + message;
  }

  /** A SnakeYAML mark (zero-based) as a line and column counted from 1. */
  private static String position(org.yaml.snakeyaml.error.Mark mark) {
    return position(mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static String position(int line, int column) {
    return "line " + line + ", column " + column;
  }
}
