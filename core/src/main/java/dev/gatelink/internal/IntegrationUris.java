package dev.gatelink.internal;

import dev.gatelink.route.RouteKey;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.config.InvalidConfigException;

/**
 * Reading integration uris: which path variables ({@code {proxy}}) and stage variables
 * ({@code ${stageVariables.host}}) a uri uses, and substituting the stage variables of one stage.
 */
public final class IntegrationUris {
  private static final String STAGE_VARIABLE = "stageVariables.";

  private IntegrationUris() {}

  public static boolean isHttpUrl(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /** Checks the placeholders and the authority of an http(s) uri, before stage variables are substituted. */
  public static void checkUrl(String uri) {
    scan(uri, null, null);
    int authorityStart = uri.indexOf("://") + 3;
    int authorityEnd = authorityStart;
    while (authorityEnd < uri.length() && "/?#".indexOf(uri.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    if (authorityEnd == authorityStart) {
      throw new InvalidConfigException(
          "uri '" + uri + "': Invalid HTTP endpoint specified for URI: expected a host after the scheme");
    }
    int query = uri.indexOf('?');
    if (query >= 0 && !pathVariables(uri.substring(query)).isEmpty()) {
      throw new InvalidConfigException("uri '" + uri
          + "' uses a path variable in its query: expected path variables only in the path");
    }
    if (uri.indexOf('#') >= 0) {
      throw new InvalidConfigException(
          "uri '" + uri + "' has a fragment (#): expected a URL without one");
    }
  }

  /** Whether the authority of an http(s) uri holds a stage variable, so it can be checked only per stage. */
  public static boolean authorityUsesStageVariables(String uri) {
    int start = uri.indexOf("://") + 3;
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    return uri.substring(start, end).contains("${");
  }

  /** The path variables ({@code {name}}) a uri uses, in order of first use. */
  public static Set<String> pathVariables(String uri) {
    Set<String> names = new LinkedHashSet<>();
    scan(uri, names, null);
    return names;
  }

  /** The stage variables ({@code ${stageVariables.name}}) a uri uses, in order of first use. */
  public static Set<String> stageVariables(String uri) {
    Set<String> names = new LinkedHashSet<>();
    scan(uri, null, names);
    return names;
  }

  public static boolean routeProvides(RouteKey key, String variable) {
    return key.variableNames().contains(variable);
  }

  public static String describeVariables(RouteKey key) {
    StringBuilder text = new StringBuilder("one of ");
    for (String name : key.variableNames()) {
      text.append(text.length() == 7 ? "" : ", ").append('{').append(name).append('}');
    }
    return text.toString();
  }

  /** The uri with each {@code ${stageVariables.name}} replaced by the stage's value. */
  public static String withStageVariables(String uri, Map<String, String> variables) {
    StringBuilder out = new StringBuilder(uri.length());
    int i = 0;
    while (i < uri.length()) {
      int start = uri.indexOf("${" + STAGE_VARIABLE, i);
      if (start < 0) {
        break;
      }
      int end = uri.indexOf('}', start);
      String name = uri.substring(start + 2 + STAGE_VARIABLE.length(), end);
      out.append(uri, i, start).append(variables.get(name));
      i = end + 1;
    }
    return out.append(uri, i, uri.length()).toString();
  }

  private static void scan(String uri, Set<String> pathNames, Set<String> stageNames) {
    int i = 0;
    while (i < uri.length()) {
      char c = uri.charAt(i);
      if (c == '$' && i + 1 < uri.length() && uri.charAt(i + 1) == '{') {
        int end = uri.indexOf('}', i);
        if (end < 0) {
          throw new InvalidConfigException("uri '" + uri + "' has an unclosed ${ at index " + i
              + ": expected ${stageVariables.NAME}");
        }
        String inner = uri.substring(i + 2, end);
        if (!inner.startsWith(STAGE_VARIABLE) || !isName(inner.substring(STAGE_VARIABLE.length()), false)) {
          throw new InvalidConfigException("uri '" + uri + "' uses ${" + inner
              + "}, which API Gateway does not resolve in a uri: expected ${stageVariables.NAME}");
        }
        if (stageNames != null) {
          stageNames.add(inner.substring(STAGE_VARIABLE.length()));
        }
        i = end + 1;
      } else if (c == '{') {
        int end = uri.indexOf('}', i);
        if (end < 0) {
          throw new InvalidConfigException("uri '" + uri + "' has an unclosed { at index " + i
              + ": expected a path variable such as {proxy}");
        }
        String name = uri.substring(i + 1, end);
        if (!isName(name, true)) {
          throw new InvalidConfigException("uri '" + uri + "' has a path variable {" + name
              + "} that is not a name: expected letters, digits, _ and -, such as {proxy}");
        }
        if (pathNames != null) {
          pathNames.add(name);
        }
        i = end + 1;
      } else if (c == '}') {
        throw new InvalidConfigException("uri '" + uri + "' has a } without a { at index " + i
            + ": expected a path variable such as {proxy}");
      } else {
        i++;
      }
    }
  }

  /** Letters, digits and underscores (stage variable names), and hyphens too for path variables. */
  private static boolean isName(String name, boolean hyphens) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' && hyphens)) {
        return false;
      }
    }
    return true;
  }
}
