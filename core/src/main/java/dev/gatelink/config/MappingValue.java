package dev.gatelink.config;

import dev.gatelink.filter.ContextVariable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A parameter mapping's value, parsed when the configuration is built (spec section 4.2): static text, one
 * source ({@code $request.header.x}), or a template mixing text and {@code ${...}} sources. Evaluated per
 * request against {@link MappingSources}, without parsing.
 *
 * <p>A missing source: a value that is one source evaluates to null (the mapping is then skipped); in a
 * template the missing source contributes nothing.
 */
public final class MappingValue {
  /** The kinds of source a value reads. */
  public enum SourceKind {
    /** Static text. */
    STATIC,
    /** {@code $request.header.NAME}. */
    REQUEST_HEADER,
    /** {@code $request.querystring.NAME}. */
    REQUEST_QUERYSTRING,
    /** {@code $request.path}. */
    REQUEST_PATH,
    /** {@code $request.path.NAME}. */
    REQUEST_PATH_PARAMETER,
    /** {@code $request.body}. */
    REQUEST_BODY,
    /** {@code $request.body.JSONPATH}. */
    REQUEST_BODY_PATH,
    /** {@code $response.header.NAME}. */
    RESPONSE_HEADER,
    /** {@code $response.body}. */
    RESPONSE_BODY,
    /** {@code $response.body.JSONPATH}. */
    RESPONSE_BODY_PATH,
    /** {@code $context.NAME}. */
    CONTEXT,
    /** {@code $stageVariables.NAME}. */
    STAGE_VARIABLE
  }

  /** One piece of a value. */
  private record Part(SourceKind kind, String text, @Nullable ContextVariable variable, @Nullable JsonPath path) {}

  private final String text;
  private final Part[] parts;
  private final boolean single;

  private MappingValue(String text, List<Part> parts, boolean single) {
    this.text = text;
    this.parts = parts.toArray(new Part[0]);
    this.single = single;
  }

  /**
   * Parses a value that {@link ParameterMappings} has checked.
   *
   * @throws IllegalArgumentException with the source's problem
   */
  static MappingValue parse(String value) {
    List<Part> parts = new ArrayList<>();
    if (value.contains("${")) {
      int i = 0;
      while (i < value.length()) {
        int open = value.indexOf("${", i);
        if (open < 0) {
          parts.add(new Part(SourceKind.STATIC, value.substring(i), null, null));
          break;
        }
        if (open > i) {
          parts.add(new Part(SourceKind.STATIC, value.substring(i, open), null, null));
        }
        int close = value.indexOf('}', open);
        parts.add(source(value.substring(open + 2, close)));
        i = close + 1;
      }
      return new MappingValue(value, parts, false);
    }
    if (value.startsWith("$")) {
      parts.add(source(value.substring(1)));
      return new MappingValue(value, parts, true);
    }
    parts.add(new Part(SourceKind.STATIC, value, null, null));
    return new MappingValue(value, parts, false);
  }

  private static Part source(String source) {
    int dot = source.indexOf('.');
    String head = dot < 0 ? source : source.substring(0, dot);
    String rest = dot < 0 ? "" : source.substring(dot + 1);
    switch (head) {
      case "request":
      case "response": {
        boolean request = head.equals("request");
        if (rest.startsWith("header.")) {
          return new Part(request ? SourceKind.REQUEST_HEADER : SourceKind.RESPONSE_HEADER, rest.substring(7), null,
              null);
        }
        if (rest.equals("body")) {
          return new Part(request ? SourceKind.REQUEST_BODY : SourceKind.RESPONSE_BODY, "", null, null);
        }
        if (rest.startsWith("body.")) {
          return new Part(request ? SourceKind.REQUEST_BODY_PATH : SourceKind.RESPONSE_BODY_PATH, rest.substring(4),
              null, JsonPath.parse(rest.substring(4)));
        }
        if (rest.startsWith("querystring.")) {
          return new Part(SourceKind.REQUEST_QUERYSTRING, rest.substring(12), null, null);
        }
        if (rest.equals("path")) {
          return new Part(SourceKind.REQUEST_PATH, "", null, null);
        }
        return new Part(SourceKind.REQUEST_PATH_PARAMETER, rest.substring(5), null, null);
      }
      case "context": {
        ContextVariable variable = ContextVariable.named(rest).orElseThrow(
            () -> new IllegalArgumentException("is not a context variable Gatelink provides"));
        return new Part(SourceKind.CONTEXT, rest, variable, null);
      }
      default:
        return new Part(SourceKind.STAGE_VARIABLE, rest, null, null);
    }
  }

  /**
   * Evaluates the value for one request.
   *
   * @param sources the request's sources
   * @return the text, or null when the value is one source and it has no value
   */
  public @Nullable String evaluate(MappingSources sources) {
    if (parts.length == 1) {
      String one = read(parts[0], sources);
      return single ? one : one == null ? "" : one;
    }
    StringBuilder out = new StringBuilder(text.length() + 32);
    for (Part part : parts) {
      String piece = read(part, sources);
      if (piece != null) {
        out.append(piece);
      }
    }
    return out.toString();
  }

  private static @Nullable String read(Part part, MappingSources sources) {
    switch (part.kind) {
      case STATIC:
        return part.text;
      case REQUEST_HEADER:
        return sources.requestHeader(part.text);
      case REQUEST_QUERYSTRING:
        return sources.requestQuery(part.text);
      case REQUEST_PATH:
        return sources.requestPath();
      case REQUEST_PATH_PARAMETER:
        return sources.pathParameter(part.text);
      case REQUEST_BODY:
        return sources.requestBodyText();
      case REQUEST_BODY_PATH:
        return JsonPath.text(pathOf(part).select(sources.requestJson()));
      case RESPONSE_HEADER:
        return sources.responseHeader(part.text);
      case RESPONSE_BODY:
        return sources.responseBodyText();
      case RESPONSE_BODY_PATH:
        return JsonPath.text(pathOf(part).select(sources.responseJson()));
      case CONTEXT:
        ContextVariable variable = part.variable;
        return variable == null ? null : sources.context(variable);
      default:
        return sources.stageVariable(part.text);
    }
  }

  private static JsonPath pathOf(Part part) {
    JsonPath path = part.path;
    if (path == null) {
      throw new IllegalStateException("no JSON path");
    }
    return path;
  }

  /** {@return the value as written} */
  public String text() {
    return text;
  }

  /** {@return the kinds of source the value reads, in order (STATIC for text)} */
  public List<SourceKind> sourceKinds() {
    List<SourceKind> kinds = new ArrayList<>();
    for (Part part : parts) {
      kinds.add(part.kind);
    }
    return Collections.unmodifiableList(kinds);
  }

  /** {@return whether the value reads the request body} */
  public boolean readsRequestBody() {
    return reads(SourceKind.REQUEST_BODY) || reads(SourceKind.REQUEST_BODY_PATH);
  }

  /** {@return whether the value reads the response body} */
  public boolean readsResponseBody() {
    return reads(SourceKind.RESPONSE_BODY) || reads(SourceKind.RESPONSE_BODY_PATH);
  }

  /** {@return the stage variables the value reads} */
  public Set<String> stageVariables() {
    Set<String> names = new LinkedHashSet<>();
    for (Part part : parts) {
      if (part.kind == SourceKind.STAGE_VARIABLE) {
        names.add(part.text);
      }
    }
    return names;
  }

  private boolean reads(SourceKind kind) {
    for (Part part : parts) {
      if (part.kind == kind) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether text holds a character a header, query or path must never carry: CR, LF or NUL.
   *
   * @param text the text
   * @return true if it does
   */
  public static boolean containsLineBreakOrNul(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof MappingValue && text.equals(((MappingValue) other).text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
