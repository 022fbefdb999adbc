package dev.gatelink.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatelink.filter.ContextVariable;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link MappingValue} reads its sources from, for one request: the gateway implements it on each
 * exchange. Every method returns null when the source has no value.
 */
public interface MappingSources {
  /**
   * {@return every value of a request header (name case-insensitive), joined with commas}
   *
   * @param name the header
   */
  @Nullable String requestHeader(String name);

  /**
   * {@return every value of a query parameter (name case-sensitive, values decoded), joined with commas}
   *
   * @param name the parameter
   */
  @Nullable String requestQuery(String name);

  /** {@return the request path without the stage segment, raw (percent-encoded)} */
  String requestPath();

  /**
   * {@return a path parameter of the route, decoded}
   *
   * @param name the variable's name
   */
  @Nullable String pathParameter(String name);

  /** {@return the start of the request body (at most 100 KB) parsed as JSON, or null if it is not JSON} */
  @Nullable JsonNode requestJson();

  /** {@return the start of the request body (at most 100 KB) as UTF-8 text} */
  @Nullable String requestBodyText();

  /**
   * {@return every value of a response header (name case-insensitive), joined with commas}
   *
   * @param name the header
   */
  @Nullable String responseHeader(String name);

  /** {@return the start of the integration's response body (at most 100 KB) parsed as JSON, or null} */
  @Nullable JsonNode responseJson();

  /** {@return the start of the integration's response body (at most 100 KB) as UTF-8 text} */
  @Nullable String responseBodyText();

  /**
   * A {@code $context} variable's text.
   *
   * @param variable the variable
   * @return its text
   */
  @Nullable String context(ContextVariable variable);

  /**
   * {@return a stage variable's value}
   *
   * @param name the variable's name
   */
  @Nullable String stageVariable(String name);
}
