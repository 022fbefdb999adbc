package dev.gatelink.config;

import java.util.Locale;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.gatelink.gateway.Gateway;

/**
 * Checks API Gateway's parameter-mapping syntax (request and response {@code requestParameters} /
 * {@code responseParameters}): the key grammar, the reserved headers and the sources a value may name.
 */
final class ParameterMappings {
  private static final Set<String> RESERVED = Set.of(
      "authorization", "connection", "content-encoding", "content-length", "content-location", "forwarded",
      "keep-alive", "origin", "proxy-authenticate", "proxy-authorization", "te", "trailers",
      "transfer-encoding", "upgrade", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "via");
  private static final Pattern STAGE_VARIABLE_SOURCE = Pattern.compile("\\$\\{?stageVariables\\.([A-Za-z0-9_]+)");
  private static final String[] RESERVED_PREFIXES = {"access-control-", "apigw-", "x-amz-", "x-amzn-"};

  private ParameterMappings() {}

  /** Whether two keys set the same thing: equal, or the same action on the same header in another case. */
  static boolean sameTarget(String first, String second) {
    if (first.equals(second)) {
      return true;
    }
    int colon = first.indexOf(':');
    return colon > 0 && first.startsWith("header.", colon + 1) && first.equalsIgnoreCase(second)
        && first.regionMatches(0, second, 0, colon + 8);
  }

  /** The stage variables a mapping value reads ({@code $stageVariables.x}, {@code ${stageVariables.x}}). */
  static Set<String> stageVariables(String value) {
    Set<String> names = new LinkedHashSet<>();
    Matcher matcher = STAGE_VARIABLE_SOURCE.matcher(value);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  static void checkRequest(String key, String value) {
    String field = "requestParameters '" + key + "'";
    if (key.equals("overwrite:path")) {
      checkValue(field, value, false);
      return;
    }
    int colon = key.indexOf(':');
    String action = colon < 0 ? "" : key.substring(0, colon);
    if (!action.equals("append") && !action.equals("overwrite") && !action.equals("remove")) {
      throw new InvalidConfigException(field
          + " is not a mapping key: expected append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path");
    }
    String target = key.substring(colon + 1);
    if (target.startsWith("header.")) {
      checkHeaderName(field, target.substring("header.".length()));
    } else if (target.startsWith("querystring.")) {
      String name = target.substring("querystring.".length());
      if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 127 && c != '&' && c != '=' && c != '#')) {
        throw new InvalidConfigException(field + " names querystring parameter '" + name
            + "': expected a non-empty name without spaces, &, = or #");
      }
    } else if (target.equals("path")) {
      throw new InvalidConfigException(field + ": the path can only be overwritten: expected overwrite:path");
    } else {
      throw new InvalidConfigException(field
          + " is not a mapping key: expected append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path");
    }
    if (action.equals("remove")) {
      checkRemoveValue(field, value);
    } else {
      checkValue(field, value, false);
    }
  }

  static void checkResponseStatus(String status) {
    if (!isStatus(status, 200)) {
      throw new InvalidConfigException("responseParameters '" + status
          + "' is not a status code: expected a backend status code from 200 to 599");
    }
  }

  static void checkResponse(String status, String key, String value) {
    String field = "responseParameters '" + status + "' '" + key + "'";
    if (key.equals("overwrite:statuscode")) {
      if (!value.startsWith("$") && !isStatus(value, 100)) {
        throw new InvalidConfigException(field + " value '" + value
            + "' is not a status code: expected 100 to 599 or a $response, $context or $stageVariables source");
      }
      checkValue(field, value, true);
      return;
    }
    int colon = key.indexOf(':');
    String action = colon < 0 ? "" : key.substring(0, colon);
    String target = key.substring(colon + 1);
    if (!(action.equals("append") || action.equals("overwrite") || action.equals("remove"))
        || !target.startsWith("header.")) {
      throw new InvalidConfigException(field
          + " is not a response mapping key: expected append|overwrite|remove:header.NAME or overwrite:statuscode");
    }
    checkHeaderName(field, target.substring("header.".length()));
    if (action.equals("remove")) {
      checkRemoveValue(field, value);
    } else {
      checkValue(field, value, true);
    }
  }

  private static void checkHeaderName(String field, String name) {
    if (name.isEmpty() || !name.chars().allMatch(ParameterMappings::isTokenChar)) {
      throw new InvalidConfigException(field + " names header '" + name
          + "': expected an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
    }
    if (isReserved(name)) {
      throw new InvalidConfigException(field + " names header '" + name
          + "', which API Gateway reserves: expected a header that is not reserved for mapping");
    }
  }

  private static void checkRemoveValue(String field, String value) {
    if (!value.isEmpty() && !value.equals("''")) {
      throw new InvalidConfigException(field + " removes, so its value must be empty: got '" + value + "'");
    }
  }

  private static void checkValue(String field, String value, boolean response) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < ' ' && c != '\t' || c == 127) {
        throw new InvalidConfigException(field + " value has a control character at index " + i
            + ": expected text without line breaks or control characters");
      }
    }
    if (value.isEmpty()) {
      throw new InvalidConfigException(field + " has an empty value: expected a source such as "
          + (response ? "$response.header.NAME" : "$request.header.NAME") + " or static text");
    }
    if (value.contains("${")) {
      int i = 0;
      while ((i = value.indexOf("${", i)) >= 0) {
        int end = value.indexOf('}', i);
        if (end < 0) {
          throw new InvalidConfigException(field + " value '" + value + "' has an unclosed ${ at index " + i
              + ": expected ${SOURCE}, such as ${" + (response ? "response" : "request") + ".header.NAME}");
        }
        checkSource(field, value, value.substring(i + 2, end), response);
        i = end + 1;
      }
    } else if (value.startsWith("$")) {
      checkSource(field, value, value.substring(1), response);
    }
  }

  private static void checkSource(String field, String value, String source, boolean response) {
    String side = response ? "response" : "request";
    String problem = null;
    if (source.startsWith(side + ".header.")) {
      String name = source.substring(side.length() + ".header.".length());
      if (name.isEmpty() || !name.chars().allMatch(ParameterMappings::isTokenChar)) {
        problem = "names no header";
      } else if (isReserved(name)) {
        problem = "reads header '" + name + "', which API Gateway reserves";
      }
    } else if (source.equals(side + ".body") || source.startsWith(side + ".body.")) {
      if (source.equals(side + ".body.")) {
        problem = "has an empty JSON path (use $" + side + ".body for the whole body)";
      } else if (source.contains("..") || source.contains("?(")) {
        problem = "uses a JSON path with recursive descent or a filter, which API Gateway does not support";
      } else if (!source.equals(side + ".body")) {
        String path = source.substring(side.length() + ".body".length());
        try {
          JsonPath.parse(path);
        } catch (IllegalArgumentException e) {
          problem = "has JSON path '" + path + "', which is not valid (" + e.getMessage()
              + "; use .NAME, ['NAME'] or [INDEX])";
        }
      }
    } else if (!response && source.startsWith("request.querystring.")) {
      if (source.length() == "request.querystring.".length()) {
        problem = "names no querystring parameter";
      }
    } else if (!response && (source.equals("request.path") || source.startsWith("request.path."))) {
      if (source.startsWith("request.path.") && !isName(source.substring("request.path.".length()), false)) {
        problem = "names no path parameter";
      }
    } else if (source.startsWith("context.")) {
      String variable = source.substring("context.".length());
      if (!isName(variable, true)) {
        problem = "names no context variable (letters, digits, . and _ only)";
      } else if (dev.gatelink.filter.ContextVariable.named(variable).isEmpty()) {
        problem = "is not a context variable Gatelink provides (see ContextVariable)";
      }
    } else if (source.startsWith("stageVariables.")) {
      String name = source.substring("stageVariables.".length());
      if (!isName(name, false) || name.indexOf('-') >= 0) {
        problem = "names no stage variable";
      }
    } else {
      problem = "is not a source";
    }
    if (problem != null) {
      String expected = response
          ? "$response.header.NAME, $response.body, $response.body.JSONPATH, $context.NAME or $stageVariables.NAME"
          : "$request.header.NAME, $request.querystring.NAME, $request.body, $request.body.JSONPATH, $request.path, "
              + "$request.path.NAME, "
              + "$context.NAME or $stageVariables.NAME";
      throw new InvalidConfigException(field + " value '" + value + "': $" + source + " " + problem
          + ": expected " + expected);
    }
  }

  private static boolean isReserved(String header) {
    String lower = header.toLowerCase(Locale.ROOT);
    if (RESERVED.contains(lower)) {
      return true;
    }
    for (String prefix : RESERVED_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isStatus(String text, int min) {
    if (text.length() != 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    int status = Integer.parseInt(text);
    return status >= min && status <= 599;
  }

  private static boolean isName(String name, boolean dots) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
          || c == '-' && !dots || c == '.' && dots)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isTokenChar(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
