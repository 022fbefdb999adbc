package dev.gatelink.gateway.internal;

import dev.gatelink.config.Integration;
import dev.gatelink.config.MappingValue;
import dev.gatelink.config.ParameterMapping;
import dev.gatelink.filter.BackendRequest;
import dev.gatelink.filter.FilterExchange;
import dev.gatelink.filter.FilterResult;
import dev.gatelink.filter.GatewayFilter;
import dev.gatelink.internal.PercentEncoding;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An integration's parameter mappings as a filter (spec section 4). Request step: every value is evaluated
 * against the original request first, then removals, overwrites and appends are applied in that order to the
 * backend request built for the route, so a rename (append the new, remove the old) works. Response step:
 * the mappings of the integration's status, the same way, on the response the client gets. A mapped value
 * that is missing (one source without a value) or that holds CR, LF or NUL is not applied. Header values are
 * trimmed; query values are percent-encoded; a mapped path is encoded where a path may not hold a character.
 */
final class ParameterMappingFilter implements GatewayFilter {
  /** API Gateway evaluates JSON paths against the first 100 KB of a body. */
  static final int BODY_PREFIX_BYTES = 100 * 1024;
  private static final ParameterMapping.Action[] ORDER = {
      ParameterMapping.Action.REMOVE, ParameterMapping.Action.OVERWRITE, ParameterMapping.Action.APPEND};

  private final ParameterMapping[] request;
  private final boolean requestBody;
  /** Mappings by integration status (index status - 100), null where a status has none. */
  private final ParameterMapping[][] response = new ParameterMapping[500][];
  private final boolean[] responseBody = new boolean[500];
  private final Log log;

  private ParameterMappingFilter(Integration integration, Log log) {
    this.log = log;
    this.request = integration.requestMappings().toArray(new ParameterMapping[0]);
    boolean body = false;
    for (ParameterMapping mapping : request) {
      body |= mapping.value() != null && mapping.value().readsRequestBody();
    }
    this.requestBody = body;
    for (Map.Entry<Integer, List<ParameterMapping>> status : integration.responseMappings().entrySet()) {
      ParameterMapping[] mappings = status.getValue().toArray(new ParameterMapping[0]);
      int index = status.getKey() - 100;
      response[index] = mappings;
      for (ParameterMapping mapping : mappings) {
        responseBody[index] |= mapping.value() != null && mapping.value().readsResponseBody();
      }
    }
  }

  /** {@return the filter of an integration's mappings, or null when it has none} */
  static @Nullable ParameterMappingFilter of(Integration integration, Log log) {
    if (integration.requestMappings().isEmpty() && integration.responseMappings().values().stream()
        .allMatch(List::isEmpty)) {
      return null;
    }
    return new ParameterMappingFilter(integration, log);
  }

  @Override
  public FilterResult onRequest(FilterExchange exchange) {
    if (request.length == 0) {
      return FilterResult.proceed();
    }
    if (requestBody) {
      return FilterResult.await(exchange.requestBodyStart(BODY_PREFIX_BYTES).map(start -> {
        applyToRequest((Exchange) exchange);
        return FilterResult.proceed();
      }));
    }
    applyToRequest((Exchange) exchange);
    return FilterResult.proceed();
  }

  private void applyToRequest(Exchange exchange) {
    String[] values = evaluate(request, exchange);
    BackendRequest backend = exchange.backendRequest();
    MultiMap headers = backend.headers();
    QueryStrings query = null;
    for (ParameterMapping.Action action : ORDER) {
      for (int i = 0; i < request.length; i++) {
        ParameterMapping mapping = request[i];
        if (mapping.action() != action || action != ParameterMapping.Action.REMOVE && values[i] == null) {
          continue;
        }
        String name = mapping.name();
        switch (mapping.target()) {
          case HEADER:
            applyToHeaders(headers, action, name, values[i]);
            break;
          case QUERYSTRING:
            if (query == null) {
              query = new QueryStrings(backend.query());
            }
            if (action == ParameterMapping.Action.REMOVE) {
              query.remove(name);
            } else if (action == ParameterMapping.Action.OVERWRITE) {
              query.overwrite(name, values[i]);
            } else {
              query.append(name, values[i]);
            }
            break;
          case PATH:
            backend.path(path(values[i]));
            break;
          default:
            break;
        }
      }
    }
    if (query != null) {
      backend.query(query.text());
    }
  }

  @Override
  public void onResponse(FilterExchange exchange) {
    if (!exchange.integrationResponded()) {
      return;
    }
    int index = exchange.integrationStatus() - 100;
    ParameterMapping[] mappings = index >= 0 && index < response.length ? response[index] : null;
    if (mappings == null) {
      return;
    }
    String[] values = evaluate(mappings, (Exchange) exchange);
    MultiMap headers = exchange.responseHeaders();
    for (ParameterMapping.Action action : ORDER) {
      for (int i = 0; i < mappings.length; i++) {
        ParameterMapping mapping = mappings[i];
        if (mapping.action() != action || action != ParameterMapping.Action.REMOVE && values[i] == null) {
          continue;
        }
        if (mapping.target() == ParameterMapping.Target.STATUS_CODE) {
          int status = status(values[i]);
          if (status > 0) {
            exchange.responseStatus(status);
          } else {
            log.debug("{}: overwrite:statuscode evaluated to '{}', not a status from 100 to 599: not applied",
                exchange.requestId(), values[i]);
          }
        } else {
          applyToHeaders(headers, action, mapping.name(), values[i]);
        }
      }
    }
  }

  @Override
  public boolean needsResponseBody(int integrationStatus) {
    int index = integrationStatus - 100;
    return index >= 0 && index < responseBody.length && responseBody[index];
  }

  /** Evaluates every value against the original request (or response); null where a value is not applied. */
  private String[] evaluate(ParameterMapping[] mappings, Exchange exchange) {
    String[] values = new String[mappings.length];
    for (int i = 0; i < mappings.length; i++) {
      MappingValue value = mappings[i].value();
      if (value == null) {
        continue;
      }
      String text = value.evaluate(exchange);
      if (text != null && MappingValue.containsLineBreakOrNul(text)) {
        log.debug("{}: mapping {} evaluated to a value with CR, LF or NUL: not applied", exchange.requestId(),
            mappings[i].key());
        text = null;
      }
      values[i] = text;
    }
    return values;
  }

  private static void applyToHeaders(MultiMap headers, ParameterMapping.Action action, @Nullable String name,
      @Nullable String value) {
    if (name == null) {
      return;
    }
    if (action == ParameterMapping.Action.REMOVE) {
      headers.remove(name);
    } else if (value != null) {
      String trimmed = value.trim();
      if (action == ParameterMapping.Action.OVERWRITE) {
        headers.set(name, trimmed);
      } else {
        headers.add(name, trimmed);
      }
    }
  }

  /** Printable ASCII but for what a path may not hold: space, {@code ? # " < > \\ ^ ` { | }}. */
  private static final boolean[] PATH_TEXT = PercentEncoding.keeping("!$%&'()*+,-./:;=@[]_~");

  /**
   * A mapped path as the backend gets it: a leading {@code /} added if missing; {@code %} escapes kept (so
   * {@code $request.path}, which is raw, passes unchanged); every character a path may not hold (space,
   * {@code ?}, {@code #}, controls, non-ASCII) percent-encoded as UTF-8.
   */
  static String path(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    if (value.isEmpty() || value.charAt(0) != '/') {
      out.append('/');
    }
    PercentEncoding.append(out, value, PATH_TEXT);
    return out.toString();
  }

  private static int status(String text) {
    String trimmed = text.trim();
    if (trimmed.length() != 3) {
      return -1;
    }
    int status = 0;
    for (int i = 0; i < 3; i++) {
      char c = trimmed.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      status = status * 10 + c - '0';
    }
    return status >= 100 && status <= 599 ? status : -1;
  }

  @Override
  public String toString() {
    return "ParameterMappingFilter[" + request.length + " request mappings]";
  }
}
