package dev.gatelink.gateway.internal;

import dev.gatelink.config.CorsConfiguration;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An API's CORS configuration compiled once (spec section 1.8): answers preflight requests and adds the CORS
 * headers to other responses. Immutable and thread-safe; used on the event loops, so a request costs no
 * regular expression and, on the common path, no allocation.
 *
 * <p><b>Origins.</b> An {@code Origin} is allowed when an entry of {@code allowOrigins} is {@code *}, when it
 * is {@code https://*} or {@code http://*} and the origin starts with {@code https://} or {@code http://}
 * (followed by at least one character), or when the entry equals the origin ignoring ASCII case (scheme and
 * host are case-insensitive, and browsers send them in lower case). No other wildcard exists: AWS documents
 * only these three, so an entry such as {@code https://*.example.com} is compared as it is written and never
 * matches a browser's origin; entries are not otherwise normalised (no default port or trailing slash is
 * added or removed). A refused origin (or a request without {@code Origin}) gets no CORS header at all and
 * is never failed for it: the browser enforces the refusal.
 *
 * <p><b>Access-Control-Allow-Origin</b> is {@code *} when {@code *} is configured (never together with
 * credentials, which {@link CorsConfiguration} refuses), otherwise the request's origin as sent, with
 * {@code Vary: Origin} so caches keep one answer per origin. {@code Vary: Origin} is added to a
 * {@code Vary} the response already has, unless that one names {@code Origin} or is {@code *}.
 *
 * <p><b>Preflight answers</b> ({@link #preflight}) carry Access-Control-Allow-Origin, Access-Control-Allow-
 * Credentials ({@code true}, when configured), Access-Control-Allow-Methods, Access-Control-Allow-Headers and
 * Access-Control-Max-Age (when configured, {@code -1} and {@code 0} included), and no
 * Access-Control-Expose-Headers (browsers ignore it on a preflight). Lists are joined with {@code ,} in their
 * configured order and case. When {@code allowMethods} or {@code allowHeaders} has {@code *}, the answer
 * repeats the request's {@code Access-Control-Request-Method} or {@code Access-Control-Request-Headers}
 * instead, because browsers read {@code *} literally on a request with credentials and never let it cover
 * {@code Authorization}; an empty list sends no header. The requested method and headers are not checked
 * against the configuration: the browser does that with the lists it gets. The status is always
 * {@value #PREFLIGHT_STATUS} (No Content), for a refused origin too (AWS does not document it).
 *
 * <p><b>Other responses</b> ({@link #addResponseHeaders}): every {@code access-control-*} header of the
 * integration's response is removed, whatever the origin, since API Gateway ignores the integration's CORS
 * headers when CORS is configured; then an allowed origin gets Access-Control-Allow-Origin,
 * Access-Control-Allow-Credentials and Access-Control-Expose-Headers (as configured, {@code *} included).
 */
final class CorsPolicy {
  /** The status of every preflight answer. */
  static final int PREFLIGHT_STATUS = 204;

  static final String ORIGIN = "Origin";
  static final String VARY = "Vary";
  static final String REQUEST_METHOD = "Access-Control-Request-Method";
  static final String REQUEST_HEADERS = "Access-Control-Request-Headers";
  static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
  static final String ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";
  static final String ALLOW_METHODS = "Access-Control-Allow-Methods";
  static final String ALLOW_HEADERS = "Access-Control-Allow-Headers";
  static final String EXPOSE_HEADERS = "Access-Control-Expose-Headers";
  static final String MAX_AGE = "Access-Control-Max-Age";

  private static final String WILDCARD = "*";
  private static final String ANY_HTTPS = "https://*";
  private static final String ANY_HTTP = "http://*";
  private static final String HTTPS_PREFIX = "https://";
  private static final String HTTP_PREFIX = "http://";
  private static final String CORS_HEADER_PREFIX = "access-control-";

  private final CorsConfiguration configuration;
  private final boolean anyOrigin;
  private final boolean anyHttps;
  private final boolean anyHttp;
  private final String[] origins;
  private final boolean credentials;
  private final @Nullable String exposeHeaders;
  private final @Nullable String allowMethods;
  private final boolean echoMethod;
  private final @Nullable String allowHeaders;
  private final boolean echoHeaders;
  private final @Nullable String maxAge;

  private CorsPolicy(CorsConfiguration configuration) {
    this.configuration = configuration;
    List<String> exact = new ArrayList<>();
    boolean any = false;
    boolean https = false;
    boolean http = false;
    for (String origin : configuration.allowOrigins()) {
      if (origin.equals(WILDCARD)) {
        any = true;
      } else if (origin.equalsIgnoreCase(ANY_HTTPS)) {
        https = true;
      } else if (origin.equalsIgnoreCase(ANY_HTTP)) {
        http = true;
      } else {
        exact.add(origin);
      }
    }
    this.anyOrigin = any;
    this.anyHttps = https;
    this.anyHttp = http;
    this.origins = exact.toArray(new String[0]);
    this.credentials = configuration.allowCredentials();
    this.exposeHeaders = join(configuration.exposeHeaders());
    this.echoMethod = configuration.allowMethods().contains(WILDCARD);
    this.allowMethods = echoMethod ? null : join(configuration.allowMethods());
    this.echoHeaders = configuration.allowHeaders().contains(WILDCARD);
    this.allowHeaders = echoHeaders ? null : join(configuration.allowHeaders());
    this.maxAge = configuration.maxAge() == null ? null : configuration.maxAge().toString();
  }

  /** Compiles a configuration. */
  static CorsPolicy of(CorsConfiguration configuration) {
    return new CorsPolicy(Objects.requireNonNull(configuration, "configuration"));
  }

  private static @Nullable String join(List<String> values) {
    return values.isEmpty() ? null : String.join(",", values);
  }

  /** {@return the configuration this policy was compiled from} */
  CorsConfiguration configuration() {
    return configuration;
  }

  /** Whether an origin gets CORS headers; false for null. */
  boolean allows(@Nullable String origin) {
    if (origin == null) {
      return false;
    }
    if (anyOrigin) {
      return true;
    }
    if (anyHttps && origin.length() > HTTPS_PREFIX.length()
        && origin.regionMatches(true, 0, HTTPS_PREFIX, 0, HTTPS_PREFIX.length())) {
      return true;
    }
    if (anyHttp && origin.length() > HTTP_PREFIX.length()
        && origin.regionMatches(true, 0, HTTP_PREFIX, 0, HTTP_PREFIX.length())) {
      return true;
    }
    for (String allowed : origins) {
      if (allowed.equalsIgnoreCase(origin)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a request is a CORS preflight: {@code OPTIONS} with {@code Origin} and
   * {@code Access-Control-Request-Method} (AWS: "for the OPTIONS method, your request must contain an origin
   * header and an Access-Control-Request-Method header"). An {@code OPTIONS} without the latter is an ordinary
   * request. Whether the gateway answers it or a route takes it is the caller's choice (spec section 1.7).
   */
  boolean isPreflight(String method, @Nullable String origin, @Nullable String accessControlRequestMethod) {
    return origin != null && accessControlRequestMethod != null && "OPTIONS".equals(method);
  }

  /**
   * Fills the headers of the answer to a preflight request: removes any {@code access-control-*} header they
   * have (so this also serves for an integration's answer to a preflight that a route took), then, for an
   * allowed origin, adds the CORS headers. The caller sends the answer with no body.
   *
   * @return the status to answer with: {@value #PREFLIGHT_STATUS}, whether the origin is allowed or not
   */
  int preflight(MultiMap requestHeaders, MultiMap responseHeaders) {
    removeCorsHeaders(responseHeaders);
    String origin = requestHeaders.get(ORIGIN);
    if (!allows(origin)) {
      return PREFLIGHT_STATUS;
    }
    addAllowOrigin(origin, responseHeaders);
    if (echoMethod) {
      String method = requestHeaders.get(REQUEST_METHOD);
      if (method != null && !method.isEmpty()) {
        responseHeaders.set(ALLOW_METHODS, method);
      }
    } else if (allowMethods != null) {
      responseHeaders.set(ALLOW_METHODS, allowMethods);
    }
    if (echoHeaders) {
      String headers = requestHeaders.get(REQUEST_HEADERS);
      if (headers != null && !headers.isEmpty()) {
        responseHeaders.set(ALLOW_HEADERS, headers);
      }
    } else if (allowHeaders != null) {
      responseHeaders.set(ALLOW_HEADERS, allowHeaders);
    }
    if (maxAge != null) {
      responseHeaders.set(MAX_AGE, maxAge);
    }
    return PREFLIGHT_STATUS;
  }

  /**
   * Fixes the CORS headers of a response that is not a preflight answer (the integration's, or the gateway's
   * own): removes every {@code access-control-*} header, then, for an allowed origin, adds
   * Access-Control-Allow-Origin, Access-Control-Allow-Credentials and Access-Control-Expose-Headers as
   * configured, with {@code Vary: Origin} when the origin is repeated.
   *
   * @param origin the request's {@code Origin}, or null if it has none
   */
  void addResponseHeaders(@Nullable String origin, MultiMap responseHeaders) {
    removeCorsHeaders(responseHeaders);
    if (!allows(origin)) {
      return;
    }
    addAllowOrigin(origin, responseHeaders);
    if (exposeHeaders != null) {
      responseHeaders.set(EXPOSE_HEADERS, exposeHeaders);
    }
  }

  private void addAllowOrigin(String origin, MultiMap responseHeaders) {
    if (anyOrigin) {
      responseHeaders.set(ALLOW_ORIGIN, WILDCARD);
    } else {
      responseHeaders.set(ALLOW_ORIGIN, origin);
      addVaryOrigin(responseHeaders);
    }
    if (credentials) {
      responseHeaders.set(ALLOW_CREDENTIALS, "true");
    }
  }

  /** Adds {@code Vary: Origin} unless a {@code Vary} header already names {@code Origin} or is {@code *}. */
  static void addVaryOrigin(MultiMap headers) {
    if (headers.contains(VARY)) {
      for (String value : headers.getAll(VARY)) {
        if (listsOriginOrStar(value)) {
          return;
        }
      }
    }
    headers.add(VARY, ORIGIN);
  }

  private static boolean listsOriginOrStar(String value) {
    int length = value.length();
    int start = 0;
    while (start <= length) {
      int end = value.indexOf(',', start);
      if (end < 0) {
        end = length;
      }
      int from = start;
      int to = end;
      while (from < to && isSpace(value.charAt(from))) {
        from++;
      }
      while (to > from && isSpace(value.charAt(to - 1))) {
        to--;
      }
      int tokenLength = to - from;
      if (tokenLength == 1 && value.charAt(from) == '*'
          || tokenLength == ORIGIN.length() && value.regionMatches(true, from, ORIGIN, 0, tokenLength)) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  /** Removes every header whose name starts with {@code access-control-}, in any case. */
  static void removeCorsHeaders(MultiMap headers) {
    Iterator<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> entries = Headers.entries(headers);
    List<CharSequence> names = null;
    while (entries.hasNext()) {
      CharSequence name = entries.next().getKey();
      if (AsciiString.regionMatches(name, true, 0, CORS_HEADER_PREFIX, 0, CORS_HEADER_PREFIX.length())) {
        if (names == null) {
          names = new ArrayList<>(4);
        }
        names.add(name);
      }
    }
    if (names != null) {
      for (CharSequence name : names) {
        headers.remove(name);
      }
    }
  }

  @Override
  public String toString() {
    return "CorsPolicy[" + configuration + "]";
  }
}
