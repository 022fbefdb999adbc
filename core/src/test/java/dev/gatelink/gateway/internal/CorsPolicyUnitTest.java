package dev.gatelink.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.config.CorsConfiguration;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link CorsPolicy} (spec section 1.8): which origins are allowed, the preflight answer's headers exactly, the
 * headers of other responses, the integration's CORS headers removed, and {@code Vary}.
 */
class CorsPolicyUnitTest {
  private static final String SITE = "https://www.example.com";

  private static final Map<String, List<String>> ORIGIN_CONFIGURATIONS = Map.of(
      "exact", List.of(SITE, "http://localhost:3000"),
      "star", List.of("*"),
      "anyHttps", List.of("https://*"),
      "anyHttp", List.of("http://*"),
      "anyHttpsAndLocalhost", List.of("https://*", "http://localhost:3000"),
      "subdomainWildcard", List.of("https://*.example.com"),
      "none", List.of());

  private static CorsConfiguration origins(List<String> origins) {
    return new CorsConfiguration(origins, false, List.of(), null, List.of("GET"), List.of());
  }

  private static CorsConfiguration cors(List<String> origins, boolean credentials, List<String> exposeHeaders,
      @Nullable Integer maxAge, List<String> methods, List<String> headers) {
    return new CorsConfiguration(origins, credentials, exposeHeaders, maxAge, methods, headers);
  }

  private static MultiMap request(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private static List<String> lines(MultiMap headers) {
    List<String> lines = new ArrayList<>();
    headers.forEach(header -> lines.add(header.getKey() + ": " + header.getValue()));
    return lines;
  }

  private static List<String> preflight(CorsPolicy policy, String... requestNamesAndValues) {
    MultiMap response = MultiMap.caseInsensitiveMultiMap();
    assertThat(policy.preflight(request(requestNamesAndValues), response)).isEqualTo(204);
    return lines(response);
  }

  // Origins

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "exact, https://www.example.com, true",
      "exact, HTTPS://WWW.Example.COM, true",
      "exact, http://localhost:3000, true",
      "exact, http://localhost:3001, false",
      "exact, http://www.example.com, false",
      "exact, https://www.example.com:443, false",
      "exact, https://www.example.com/, false",
      "exact, https://evil.example.com, false",
      "exact, https://www.example.com.evil.com, false",
      "exact, null, false",
      "exact, '', false",
      "star, https://www.example.com, true",
      "star, http://anything:1234, true",
      "star, null, true",
      "star, '', true",
      "anyHttps, https://www.example.com, true",
      "anyHttps, HTTPS://WWW.EXAMPLE.COM, true",
      "anyHttps, https://a, true",
      "anyHttps, https://, false",
      "anyHttps, http://www.example.com, false",
      "anyHttps, null, false",
      "anyHttp, http://localhost:3000, true",
      "anyHttp, http://a, true",
      "anyHttp, http://, false",
      "anyHttp, https://www.example.com, false",
      "anyHttpsAndLocalhost, https://api.example.org, true",
      "anyHttpsAndLocalhost, http://localhost:3000, true",
      "anyHttpsAndLocalhost, http://localhost:8080, false",
      "subdomainWildcard, https://api.example.com, false",
      "subdomainWildcard, https://example.com, false",
      "subdomainWildcard, https://*.example.com, true",
      "none, https://www.example.com, false",
  })
  void originTable(String configuration, String origin, boolean allowed) {
    CorsPolicy policy = CorsPolicy.of(origins(ORIGIN_CONFIGURATIONS.get(configuration)));

    assertThat(policy.allows(origin)).isEqualTo(allowed);
  }

  @Test
  void requestWithoutOriginIsNeverAllowed() {
    assertThat(CorsPolicy.of(origins(List.of("*"))).allows(null)).isFalse();
  }

  // Preflight requests

  @ParameterizedTest(name = "{0} Origin={1} ACRM={2} -> {3}")
  @CsvSource(nullValues = "NULL", value = {
      "OPTIONS, https://www.example.com, PUT, true",
      "OPTIONS, https://www.example.com, '', true",
      "OPTIONS, NULL, PUT, false",
      "OPTIONS, https://www.example.com, NULL, false",
      "GET, https://www.example.com, PUT, false",
      "options, https://www.example.com, PUT, false",
  })
  void preflightIsOptionsWithOriginAndRequestMethod(String method, @Nullable String origin,
      @Nullable String requestMethod, boolean preflight) {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));

    assertThat(policy.isPreflight(method, origin, requestMethod)).isEqualTo(preflight);
  }

  @Test
  void preflightAnswerForAnExactOriginHasEveryConfiguredHeader() {
    CorsPolicy policy = CorsPolicy.of(cors(List.of(SITE), true, List.of("Date", "x-api-id"), 300,
        List.of("GET", "POST", "DELETE"), List.of("Authorization", "Content-Type")));

    List<String> answer = preflight(policy, "Origin", SITE, "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "authorization");

    assertThat(answer).containsExactlyInAnyOrder(
        "Access-Control-Allow-Origin: https://www.example.com",
        "Vary: Origin",
        "Access-Control-Allow-Credentials: true",
        "Access-Control-Allow-Methods: GET,POST,DELETE",
        "Access-Control-Allow-Headers: Authorization,Content-Type",
        "Access-Control-Max-Age: 300");
  }

  @Test
  void preflightAnswerEchoesTheOriginAsSent() {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));

    assertThat(preflight(policy, "Origin", "HTTPS://WWW.EXAMPLE.COM", "Access-Control-Request-Method", "GET"))
        .containsExactlyInAnyOrder(
            "Access-Control-Allow-Origin: HTTPS://WWW.EXAMPLE.COM",
            "Vary: Origin",
            "Access-Control-Allow-Methods: GET");
  }

  @Test
  void preflightAnswerForStarIsStarWithoutVary() {
    CorsPolicy policy = CorsPolicy.of(cors(List.of("*"), false, List.of("Date"), 600, List.of("GET", "PUT"),
        List.of("x-trace")));

    assertThat(preflight(policy, "Origin", "https://app.example.org", "Access-Control-Request-Method", "PUT"))
        .containsExactlyInAnyOrder(
            "Access-Control-Allow-Origin: *",
            "Access-Control-Allow-Methods: GET,PUT",
            "Access-Control-Allow-Headers: x-trace",
            "Access-Control-Max-Age: 600");
  }

  @Test
  void starWinsOverExactOriginsGivenWithIt() {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE, "*")));

    assertThat(preflight(policy, "Origin", SITE, "Access-Control-Request-Method", "GET"))
        .containsExactlyInAnyOrder("Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: GET");
  }

  @Test
  void preflightAnswerForAPrefixWildcardEchoesTheOrigin() {
    CorsPolicy policy = CorsPolicy.of(cors(List.of("https://*"), true, List.of(), null, List.of("GET"), List.of()));

    assertThat(preflight(policy, "Origin", "https://a.example.net", "Access-Control-Request-Method", "GET"))
        .containsExactlyInAnyOrder(
            "Access-Control-Allow-Origin: https://a.example.net",
            "Vary: Origin",
            "Access-Control-Allow-Credentials: true",
            "Access-Control-Allow-Methods: GET");
  }

  @Test
  void starMethodsAndHeadersEchoWhatWasRequested() {
    CorsPolicy policy = CorsPolicy.of(cors(List.of(SITE), true, List.of(), null, List.of("GET", "*"),
        List.of("*")));

    assertThat(preflight(policy, "Origin", SITE, "Access-Control-Request-Method", "PATCH",
        "Access-Control-Request-Headers", "authorization,content-type,x-custom"))
        .containsExactlyInAnyOrder(
            "Access-Control-Allow-Origin: https://www.example.com",
            "Vary: Origin",
            "Access-Control-Allow-Credentials: true",
            "Access-Control-Allow-Methods: PATCH",
            "Access-Control-Allow-Headers: authorization,content-type,x-custom");
  }

  @Test
  void starHeadersWithoutRequestedHeadersSendNoAllowHeaders() {
    CorsPolicy policy = CorsPolicy.of(cors(List.of("*"), false, List.of(), null, List.of("*"), List.of("*")));

    assertThat(preflight(policy, "Origin", SITE, "Access-Control-Request-Method", "DELETE"))
        .containsExactlyInAnyOrder("Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: DELETE");
  }

  @Test
  void emptyListsSendNoMethodsOrHeaders() {
    CorsPolicy policy = CorsPolicy.of(cors(List.of(SITE), false, List.of("Date"), null, List.of(), List.of()));

    assertThat(preflight(policy, "Origin", SITE, "Access-Control-Request-Method", "GET",
        "Access-Control-Request-Headers", "x-a"))
        .containsExactlyInAnyOrder("Access-Control-Allow-Origin: https://www.example.com", "Vary: Origin");
  }

  @Test
  void maxAgeMinusOneAndZeroAreSent() {
    for (int maxAge : new int[] {-1, 0}) {
      CorsPolicy policy = CorsPolicy.of(cors(List.of("*"), false, List.of(), maxAge, List.of(), List.of()));

      assertThat(preflight(policy, "Origin", SITE, "Access-Control-Request-Method", "GET"))
          .containsExactlyInAnyOrder("Access-Control-Allow-Origin: *", "Access-Control-Max-Age: " + maxAge);
    }
  }

  @Test
  void refusedOriginGetsAnAnswerWithoutCorsHeaders() {
    CorsPolicy policy = CorsPolicy.of(cors(List.of(SITE), true, List.of("Date"), 300, List.of("GET"),
        List.of("*")));

    assertThat(preflight(policy, "Origin", "https://evil.example.com", "Access-Control-Request-Method", "GET",
        "Access-Control-Request-Headers", "x-a")).isEmpty();
  }

  @Test
  void preflightAnswerReplacesCorsHeadersAlreadyThere() {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));
    MultiMap response = request("access-control-allow-origin", "*", "Access-Control-Allow-Methods", "PUT",
        "access-control-allow-private-network", "true", "Content-Type", "text/plain");

    int status = policy.preflight(request("Origin", SITE, "Access-Control-Request-Method", "GET"), response);

    assertThat(status).isEqualTo(CorsPolicy.PREFLIGHT_STATUS).isEqualTo(204);
    assertThat(lines(response)).containsExactlyInAnyOrder(
        "Content-Type: text/plain",
        "Access-Control-Allow-Origin: https://www.example.com",
        "Vary: Origin",
        "Access-Control-Allow-Methods: GET");
  }

  @Test
  void preflightAnswerForARefusedOriginStillRemovesCorsHeadersAlreadyThere() {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));
    MultiMap response = request("Access-Control-Allow-Origin", "*", "Content-Type", "text/plain");

    policy.preflight(request("Origin", "https://other.example", "Access-Control-Request-Method", "GET"), response);

    assertThat(lines(response)).containsExactly("Content-Type: text/plain");
  }

  // Other responses

  @Test
  void responseForAnAllowedOriginGetsOriginCredentialsAndExposedHeaders() {
    CorsPolicy policy = CorsPolicy.of(cors(List.of(SITE), true, List.of("Date", "x-api-id"), 300, List.of("GET"),
        List.of("Authorization")));
    MultiMap response = request("Content-Type", "application/json");

    policy.addResponseHeaders(SITE, response);

    assertThat(lines(response)).containsExactlyInAnyOrder(
        "Content-Type: application/json",
        "Access-Control-Allow-Origin: https://www.example.com",
        "Vary: Origin",
        "Access-Control-Allow-Credentials: true",
        "Access-Control-Expose-Headers: Date,x-api-id");
  }

  @Test
  void responseForStarGetsStarWithoutVary() {
    CorsPolicy policy = CorsPolicy.of(cors(List.of("*"), false, List.of("*"), null, List.of(), List.of()));
    MultiMap response = MultiMap.caseInsensitiveMultiMap();

    policy.addResponseHeaders("https://app.example.org", response);

    assertThat(lines(response)).containsExactlyInAnyOrder(
        "Access-Control-Allow-Origin: *",
        "Access-Control-Expose-Headers: *");
  }

  @Test
  void responseWithoutExposedHeadersSendsNone() {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));
    MultiMap response = MultiMap.caseInsensitiveMultiMap();

    policy.addResponseHeaders(SITE, response);

    assertThat(lines(response)).containsExactlyInAnyOrder(
        "Access-Control-Allow-Origin: https://www.example.com", "Vary: Origin");
  }

  @Test
  void integrationsCorsHeadersAreReplacedForAnAllowedOrigin() {
    CorsPolicy policy = CorsPolicy.of(cors(List.of(SITE), false, List.of("Date"), null, List.of(), List.of()));
    MultiMap response = request("Access-Control-Allow-Origin", "*", "access-control-allow-credentials", "true",
        "ACCESS-CONTROL-EXPOSE-HEADERS", "x-secret", "Access-Control-Max-Age", "999",
        "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "x-a",
        "Access-Control-Allow-Private-Network", "true", "X-Access-Control-Note", "kept", "ETag", "\"1\"");

    policy.addResponseHeaders(SITE, response);

    assertThat(lines(response)).containsExactlyInAnyOrder(
        "X-Access-Control-Note: kept",
        "ETag: \"1\"",
        "Access-Control-Allow-Origin: https://www.example.com",
        "Vary: Origin",
        "Access-Control-Expose-Headers: Date");
  }

  @Test
  void integrationsCorsHeadersAreRemovedFromHeadersThatAreNotVertxOwnMap() {
    MultiMap response = new HeadersAdaptor(new DefaultHttpHeaders());
    response.add("Access-Control-Allow-Origin", "*").add("X-Access-Control-Note", "kept")
        .add("access-control-max-age", "999").add("ETag", "\"1\"");

    CorsPolicy.removeCorsHeaders(response);

    assertThat(lines(response)).containsExactly("X-Access-Control-Note: kept", "ETag: \"1\"");
  }

  @Test
  void integrationsCorsHeadersAreRemovedForARefusedOrigin() {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));
    MultiMap response = request("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true",
        "Content-Type", "text/plain");

    policy.addResponseHeaders("https://evil.example.com", response);

    assertThat(lines(response)).containsExactly("Content-Type: text/plain");
  }

  @Test
  void integrationsCorsHeadersAreRemovedForARequestWithoutOrigin() {
    CorsPolicy policy = CorsPolicy.of(origins(List.of("*")));
    MultiMap response = request("Access-Control-Allow-Origin", "https://backend.example", "Content-Type",
        "text/plain");

    policy.addResponseHeaders(null, response);

    assertThat(lines(response)).containsExactly("Content-Type: text/plain");
  }

  @Test
  void responseWithoutCorsHeadersIsLeftAloneForARefusedOrigin() {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));
    MultiMap response = request("Content-Type", "text/plain", "Vary", "Accept-Encoding");

    policy.addResponseHeaders("https://evil.example.com", response);

    assertThat(lines(response)).containsExactly("Content-Type: text/plain", "Vary: Accept-Encoding");
  }

  // Vary

  @Test
  void varyOriginIsAddedNextToTheIntegrationsVary() {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));
    MultiMap response = request("Vary", "Accept-Encoding");

    policy.addResponseHeaders(SITE, response);

    assertThat(response.getAll("Vary")).containsExactly("Accept-Encoding", "Origin");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"Origin", "origin", "Accept-Encoding, Origin", "Accept-Encoding,origin ,Cookie",
      "*", "' * '"})
  void varyThatAlreadyCoversOriginIsKept(String vary) {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));
    MultiMap response = request("Vary", vary);

    policy.addResponseHeaders(SITE, response);

    assertThat(response.getAll("Vary")).containsExactly(vary);
  }

  @Test
  void varyOriginIsFoundInASecondVaryHeader() {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));
    MultiMap response = request("Vary", "Accept-Encoding", "Vary", "Origin");

    policy.addResponseHeaders(SITE, response);

    assertThat(response.getAll("Vary")).containsExactly("Accept-Encoding", "Origin");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"Origins", "X-Origin", "Accept-Encoding,", "''"})
  void varyNamingOtherHeadersGetsOriginAdded(String vary) {
    CorsPolicy policy = CorsPolicy.of(origins(List.of(SITE)));
    MultiMap response = request("Vary", vary);

    policy.addResponseHeaders(SITE, response);

    assertThat(response.getAll("Vary")).containsExactly(vary, "Origin");
  }

  @Test
  void configurationIsKept() {
    CorsConfiguration configuration = origins(List.of(SITE));

    assertThat(CorsPolicy.of(configuration).configuration()).isSameAs(configuration);
  }
}
