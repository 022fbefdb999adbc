package dev.gatelink.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.Integration;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.Stage;
import dev.gatelink.filter.ContextVariable;
import dev.gatelink.filter.ExchangeContext;
import dev.gatelink.filter.FilterExchange;
import dev.gatelink.filter.FilterResult;
import dev.gatelink.filter.GatewayFailure;
import dev.gatelink.filter.GatewayFilter;
import dev.gatelink.testing.LoopbackBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter chain through real sockets: request, response-head and completion steps, the completion step
 * exactly once in every way an exchange ends, filters that answer at once, wait, change the backend request
 * or read the start of a body, and the $context a filter reads at completion.
 */
class GatewayFilterChainTest {
  private static Vertx vertx;
  private static LoopbackBackend ok;
  private static LoopbackBackend silent;
  private static LoopbackBackend stalling;
  private static LoopbackBackend statuses;
  private static GatewayServer gateway;
  private static final Recorder recorder = new Recorder();
  /** What the per-route filters decide, set by each test. */
  private static volatile GatewayFilter routeBehaviour = new GatewayFilter() { };

  /** Counts each step per request id and keeps the context's variables as the completion step saw them. */
  static final class Recorder implements GatewayFilter {
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> responses = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
    final Map<String, Map<ContextVariable, String>> contexts = new ConcurrentHashMap<>();
    final List<String> order = Collections.synchronizedList(new ArrayList<>());

    @Override
    public FilterResult onRequest(FilterExchange exchange) {
      requests.computeIfAbsent(exchange.requestId(), id -> new AtomicInteger()).incrementAndGet();
      return FilterResult.proceed();
    }

    @Override
    public void onResponse(FilterExchange exchange) {
      responses.computeIfAbsent(exchange.requestId(), id -> new AtomicInteger()).incrementAndGet();
      order.add("recorder response " + exchange.responseStatus());
    }

    @Override
    public void onComplete(ExchangeContext context) {
      Map<ContextVariable, String> values = new java.util.EnumMap<>(ContextVariable.class);
      for (ContextVariable variable : ContextVariable.values()) {
        String value = context.value(variable);
        if (value != null) {
          values.put(variable, value);
        }
      }
      contexts.put(context.requestId(), values);
      completions.computeIfAbsent(context.requestId(), id -> new AtomicInteger()).incrementAndGet();
    }

    /** Waits for the request's completion step, then checks it ran once and the other steps as given. */
    Map<ContextVariable, String> completed(String requestId, int requestSteps, int responseSteps) {
      await().atMost(Duration.ofSeconds(10)).until(() -> completions.containsKey(requestId));
      assertThat(completions.get(requestId).get()).isEqualTo(1);
      assertThat(count(requests, requestId)).isEqualTo(requestSteps);
      assertThat(count(responses, requestId)).isEqualTo(responseSteps);
      return contexts.get(requestId);
    }

    /** The one request whose completion step ran since the last clear, once it has. */
    String onlyRequest() {
      await().atMost(Duration.ofSeconds(10)).until(() -> completions.size() == 1);
      return completions.keySet().iterator().next();
    }

    private static int count(Map<String, AtomicInteger> counts, String id) {
      AtomicInteger count = counts.get(id);
      return count == null ? 0 : count.get();
    }

    void clear() {
      requests.clear();
      responses.clear();
      completions.clear();
      contexts.clear();
      order.clear();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    ok = LoopbackBackend.start(vertx, "ok");
    silent = LoopbackBackend.start(vertx, "silent", new HttpServerOptions(), request -> { });
    stalling = LoopbackBackend.start(vertx, "stalling", new HttpServerOptions(),
        request -> request.response().putHeader("content-length", "100").write("first part;"));
    // Answers with the status its query asks for.
    statuses = LoopbackBackend.start(vertx, "statuses", new HttpServerOptions(), request -> {
      String wanted = request.getParam("status");
      request.response().setStatusCode(wanted == null ? 200 : Integer.parseInt(wanted))
          .end("answer " + request.uri());
    });
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    GatewayFilter routeFilter = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        return routeBehaviour.onRequest(exchange);
      }

      @Override
      public void onResponse(FilterExchange exchange) {
        recorder.order.add("route response");
        routeBehaviour.onResponse(exchange);
      }

      @Override
      public boolean needsResponseBody(int status) {
        return status == 201;
      }
    };
    ApiDefinition api = ApiDefinition.builder()
        .route("ANY /ok/{proxy+}", Integration.http(ok.url() + "/{proxy}"))
        .route("ANY /filtered/{proxy+}", Integration.http(ok.url() + "/{proxy}"))
        .route("GET /unreachable", Integration.http("http://127.0.0.1:" + closedPort + "/"))
        .route("GET /slow", Integration.builder().uri(silent.url() + "/").timeout(Duration.ofMillis(300)).build())
        .route("GET /stall", Integration.builder().uri(stalling.url() + "/").timeout(Duration.ofMillis(300)).build())
        .route("POST /upload", Integration.http(ok.url() + "/upload"))
        .route("GET /answer", Integration.http(statuses.url() + "/"))
        .stage(Stage.of("prod", Map.of("env", "production")))
        .build();
    gateway = GatewayServer.start(vertx, api, builder -> builder
        .apiId("a1b2c3d4e5")
        .accountId("111122223333")
        .maxRequestBodyBytes(1024)
        .filter(recorder)
        .filter("ANY /filtered/{proxy+}", routeFilter)
        .filter("GET /answer", routeFilter));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    ok.close();
    silent.close();
    stalling.close();
    statuses.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    recorder.clear();
    ok.seen().clear();
    routeBehaviour = new GatewayFilter() { };
  }

  private static String requestId(HttpResponse<?> response) {
    return response.headers().firstValue("apigw-requestid").orElseThrow();
  }

  @Test
  void successRunsEachStepOnceAndTheContextHoldsTheExchange() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/ok/a?x=1"))
        .header("User-Agent", "filter-test").GET().build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok GET /a?x=1");
    String id = requestId(response);
    Map<ContextVariable, String> context = recorder.completed(id, 1, 1);
    assertThat(context).containsEntry(ContextVariable.REQUEST_ID, id)
        .containsEntry(ContextVariable.EXTENDED_REQUEST_ID, id)
        .containsEntry(ContextVariable.API_ID, "a1b2c3d4e5")
        .containsEntry(ContextVariable.ACCOUNT_ID, "111122223333")
        .containsEntry(ContextVariable.STAGE, "prod")
        .containsEntry(ContextVariable.ROUTE_KEY, "ANY /ok/{proxy+}")
        .containsEntry(ContextVariable.HTTP_METHOD, "GET")
        .containsEntry(ContextVariable.PATH, "/prod/ok/a")
        .containsEntry(ContextVariable.PROTOCOL, "HTTP/1.1")
        .containsEntry(ContextVariable.DOMAIN_NAME, "127.0.0.1")
        .containsEntry(ContextVariable.DOMAIN_PREFIX, "127")
        .containsEntry(ContextVariable.SOURCE_IP, "127.0.0.1")
        .containsEntry(ContextVariable.USER_AGENT, "filter-test")
        .containsEntry(ContextVariable.STATUS, "200")
        .containsEntry(ContextVariable.INTEGRATION_STATUS, "200")
        .containsEntry(ContextVariable.RESPONSE_LENGTH, "13")
        .containsEntry(ContextVariable.DATA_PROCESSED, "13")
        .doesNotContainKeys(ContextVariable.ERROR_MESSAGE, ContextVariable.ERROR_MESSAGE_STRING,
            ContextVariable.ERROR_RESPONSE_TYPE, ContextVariable.INTEGRATION_ERROR_MESSAGE);
    assertThat(context.get(ContextVariable.REQUEST_TIME))
        .matches("\\d\\d/[A-Z][a-z][a-z]/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000");
    assertThat(Long.parseLong(context.get(ContextVariable.REQUEST_TIME_EPOCH)))
        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    assertThat(Long.parseLong(context.get(ContextVariable.RESPONSE_LATENCY))).isGreaterThanOrEqualTo(
        Long.parseLong(context.get(ContextVariable.INTEGRATION_LATENCY)));
  }

  @Test
  void requestNoRouteTakesRunsTheGatewaysFiltersWithoutARouteKey() throws Exception {
    HttpResponse<String> response = gateway.get("/prod/nowhere");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
    Map<ContextVariable, String> context = recorder.completed(requestId(response), 1, 1);
    assertThat(context).containsEntry(ContextVariable.STATUS, "404")
        .containsEntry(ContextVariable.ERROR_MESSAGE, "Not Found")
        .containsEntry(ContextVariable.ERROR_MESSAGE_STRING, "\"Not Found\"")
        .containsEntry(ContextVariable.ERROR_RESPONSE_TYPE, "RESOURCE_NOT_FOUND")
        .containsEntry(ContextVariable.RESPONSE_LENGTH, "23")
        .doesNotContainKeys(ContextVariable.ROUTE_KEY, ContextVariable.INTEGRATION_STATUS,
            ContextVariable.INTEGRATION_LATENCY);
  }

  @Test
  void unreachableIntegrationCompletesOnceWithItsError() throws Exception {
    HttpResponse<String> response = gateway.get("/prod/unreachable");

    assertThat(response.statusCode()).isEqualTo(503);
    Map<ContextVariable, String> context = recorder.completed(requestId(response), 1, 1);
    assertThat(context).containsEntry(ContextVariable.STATUS, "503")
        .containsEntry(ContextVariable.ERROR_RESPONSE_TYPE, "INTEGRATION_FAILURE")
        .containsEntry(ContextVariable.ERROR_MESSAGE, "Service Unavailable")
        .doesNotContainKey(ContextVariable.INTEGRATION_STATUS);
    assertThat(context.get(ContextVariable.INTEGRATION_ERROR_MESSAGE)).contains("Connection refused");
  }

  @Test
  void integrationTimeoutCompletesOnce() throws Exception {
    HttpResponse<String> response = gateway.get("/prod/slow");

    assertThat(response.statusCode()).isEqualTo(503);
    Map<ContextVariable, String> context = recorder.completed(requestId(response), 1, 1);
    assertThat(context).containsEntry(ContextVariable.ERROR_RESPONSE_TYPE, "INTEGRATION_TIMEOUT")
        .containsEntry(ContextVariable.INTEGRATION_ERROR_MESSAGE, "no data for 300 ms");
  }

  @Test
  void backendStallingAfterItsHeadCompletesOnceWithTheStatusItSent() throws Exception {
    String response = RawHttp.exchange(gateway.server.actualPort(), "GET /prod/stall HTTP/1.1\r\nHost: gw\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("first part;");
    Map<ContextVariable, String> context = recorder.completed(recorder.onlyRequest(), 1, 1);
    assertThat(context).containsEntry(ContextVariable.STATUS, "200")
        .containsEntry(ContextVariable.INTEGRATION_STATUS, "200")
        .containsEntry(ContextVariable.INTEGRATION_ERROR_MESSAGE, "no data for 300 ms")
        .containsEntry(ContextVariable.RESPONSE_LENGTH, "11");
  }

  @Test
  void clientGoneBeforeTheResponseCompletesOnce() throws Exception {
    try (Socket socket = RawHttp.open(gateway.server.actualPort())) {
      socket.getOutputStream().write("GET /prod/slow HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> recorder.requests.size() == 1);
    }
    Map<ContextVariable, String> context = recorder.completed(recorder.requests.keySet().iterator().next(), 1, 0);
    assertThat(context).doesNotContainKeys(ContextVariable.STATUS, ContextVariable.ERROR_RESPONSE_TYPE);
  }

  @Test
  void declaredBodyOverTheLimitCompletesOnceWithoutARequestStep() throws Exception {
    String response = RawHttp.exchange(gateway.server.actualPort(),
        "POST /prod/upload HTTP/1.1\r\nHost: gw\r\nContent-Length: 1025\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n");
    Map<ContextVariable, String> context = recorder.completed(recorder.onlyRequest(), 0, 1);
    assertThat(context).containsEntry(ContextVariable.ERROR_RESPONSE_TYPE, "REQUEST_TOO_LARGE")
        .doesNotContainKey(ContextVariable.ROUTE_KEY);
    assertThat(ok.seen()).isEmpty();
  }

  @Test
  void streamedBodyOverTheLimitCompletesOnce() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/upload"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[4096])))
        .build());

    assertThat(response.statusCode()).isEqualTo(413);
    Map<ContextVariable, String> context = recorder.completed(requestId(response), 1, 1);
    assertThat(context).containsEntry(ContextVariable.ERROR_RESPONSE_TYPE, "REQUEST_TOO_LARGE")
        .containsEntry(ContextVariable.ROUTE_KEY, "POST /upload");
  }

  @Test
  void filterThatFailsTheRequestAnswersAtOnceWithoutCallingTheIntegration() throws Exception {
    routeBehaviour = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        return FilterResult.fail(new GatewayFailure.Throttled("test limit"));
      }
    };

    HttpResponse<String> response = gateway.get("/prod/filtered/x");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    Map<ContextVariable, String> context = recorder.completed(requestId(response), 1, 1);
    assertThat(context).containsEntry(ContextVariable.ERROR_RESPONSE_TYPE, "THROTTLED")
        .containsEntry(ContextVariable.STATUS, "429");
    assertThat(ok.seen()).isEmpty();
    assertThat(recorder.order).containsExactly("route response", "recorder response 429");
  }

  @Test
  void filterThatRespondsAnswersWithItsOwnResponse() throws Exception {
    routeBehaviour = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        return FilterResult.respond(202, MultiMap.caseInsensitiveMultiMap().add("x-answered-by", "filter"),
            Buffer.buffer("accepted " + exchange.pathParameter("proxy")));
      }
    };

    HttpResponse<String> response = gateway.get("/prod/filtered/job-7");

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("accepted job-7");
    assertThat(response.headers().firstValue("x-answered-by")).hasValue("filter");
    assertThat(response.headers().firstValue("content-length")).hasValue("14");
    recorder.completed(requestId(response), 1, 1);
    assertThat(ok.seen()).isEmpty();
  }

  @Test
  void filterThatThrowsIsAnsweredInternalServerError() throws Exception {
    routeBehaviour = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        throw new IllegalStateException("broken filter");
      }
    };

    HttpResponse<String> response = gateway.get("/prod/filtered/x");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    Map<ContextVariable, String> context = recorder.completed(requestId(response), 1, 1);
    assertThat(context).containsEntry(ContextVariable.ERROR_RESPONSE_TYPE, "INTERNAL_SERVER_ERROR");
    assertThat(ok.seen()).isEmpty();
  }

  @Test
  void filterThatWaitsGoesOnWhenItsFutureCompletes() throws Exception {
    routeBehaviour = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        Promise<FilterResult> later = Promise.promise();
        // Completed from another thread than the request's loop, as a Redis client's answer would be.
        new Thread(() -> later.complete(FilterResult.proceed())).start();
        return FilterResult.await(later.future());
      }
    };

    HttpResponse<String> response = gateway.get("/prod/filtered/waited");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok GET /waited");
    recorder.completed(requestId(response), 1, 1);
  }

  @Test
  void filterThatWaitsAndFailsAnswersWithItsFailure() throws Exception {
    routeBehaviour = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        return FilterResult.await(vertx.timer(20).map(v -> FilterResult.fail(new GatewayFailure.Unavailable("open"))));
      }
    };

    HttpResponse<String> response = gateway.get("/prod/filtered/x");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    Map<ContextVariable, String> context = recorder.completed(requestId(response), 1, 1);
    assertThat(context).containsEntry(ContextVariable.ERROR_RESPONSE_TYPE, "SERVICE_UNAVAILABLE");
    assertThat(ok.seen()).isEmpty();
  }

  @Test
  void filterChangesTheBackendRequestBeforeAConnectionIsTaken() throws Exception {
    routeBehaviour = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        exchange.backendRequest().path("/rewritten/" + exchange.stageVariables().get("env"));
        exchange.backendRequest().query("a=1&b=" + exchange.backendRequest().query());
        exchange.backendRequest().headers().set("x-added", exchange.routePath());
        return FilterResult.proceed();
      }
    };

    HttpResponse<String> response = gateway.get("/prod/filtered/x?q=2");

    assertThat(response.body()).isEqualTo("ok GET /rewritten/production?a=1&b=q=2");
    LoopbackBackend.Seen seen = ok.next();
    assertThat(seen.uri()).isEqualTo("/rewritten/production?a=1&b=q=2");
    assertThat(seen.headers().getAll("x-added")).containsExactly("/filtered/x");
  }

  @Test
  void backendRequestRefusesAPathWithALineBreak() throws Exception {
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    routeBehaviour = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        try {
          exchange.backendRequest().path("/a\r\nx-injected: 1");
        } catch (IllegalArgumentException e) {
          errors.add(e.getMessage());
        }
        return FilterResult.proceed();
      }
    };

    assertThat(gateway.get("/prod/filtered/x").body()).isEqualTo("ok GET /x");
    assertThat(errors).containsExactly("path '/a\r\nx-injected: 1' is not a raw path: expected / followed by "
        + "percent-encoded text without ?, #, spaces or control characters");
  }

  @Test
  void filterReadsTheStartOfTheBodyAndTheBackendStillGetsAllOfIt() throws Exception {
    List<String> starts = Collections.synchronizedList(new ArrayList<>());
    routeBehaviour = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        return FilterResult.await(exchange.requestBodyStart(5).map(start -> {
          starts.add(start.toString(StandardCharsets.UTF_8));
          return FilterResult.proceed();
        }));
      }
    };

    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/prod/filtered/body"))
        .POST(HttpRequest.BodyPublishers.ofString("0123456789abcdefghij")).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(starts).containsExactly("01234");
    assertThat(ok.next().bodyBytes()).isEqualTo(20);
    recorder.completed(requestId(response), 1, 1);
  }

  @Test
  void filterReadsAChunkedBodyShorterThanItAskedFor() throws Exception {
    List<String> starts = Collections.synchronizedList(new ArrayList<>());
    routeBehaviour = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        return FilterResult.await(exchange.requestBodyStart(100).map(start -> {
          starts.add(start.toString(StandardCharsets.UTF_8));
          return FilterResult.proceed();
        }));
      }
    };

    String response = RawHttp.exchange(gateway.server.actualPort(), "POST /prod/filtered/chunked HTTP/1.1\r\n"
        + "Host: gw\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("ok POST /chunked");
    assertThat(starts).containsExactly("abcdefg");
    assertThat(ok.next().bodyBytes()).isEqualTo(7);
  }

  @Test
  void responseStepChangesStatusAndHeadersAndSeesTheBodyStartWhenItAsked() throws Exception {
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    routeBehaviour = new GatewayFilter() {
      @Override
      public void onResponse(FilterExchange exchange) {
        Buffer start = exchange.responseBodyStart();
        bodies.add(start == null ? "none" : start.toString(StandardCharsets.UTF_8));
        exchange.responseHeaders().set("x-seen-status", Integer.toString(exchange.responseStatus()));
        exchange.responseStatus(203);
      }
    };

    HttpResponse<String> plain = gateway.get("/prod/answer");
    HttpResponse<String> created = gateway.get("/prod/answer?status=201");

    assertThat(plain.statusCode()).isEqualTo(203);
    assertThat(plain.headers().firstValue("x-seen-status")).hasValue("200");
    assertThat(plain.body()).isEqualTo("answer /");
    assertThat(created.statusCode()).isEqualTo(203);
    assertThat(created.headers().firstValue("x-seen-status")).hasValue("201");
    assertThat(created.body()).isEqualTo("answer /?status=201");
    assertThat(bodies).containsExactly("none", "answer /?status=201");
    Map<ContextVariable, String> context = recorder.completed(requestId(created), 1, 1);
    assertThat(context).containsEntry(ContextVariable.STATUS, "203")
        .containsEntry(ContextVariable.INTEGRATION_STATUS, "201");
  }

  @Test
  void routeWithoutRouteFiltersDoesNotRunThem() throws Exception {
    routeBehaviour = new GatewayFilter() {
      @Override
      public FilterResult onRequest(FilterExchange exchange) {
        return FilterResult.fail(new GatewayFailure.Throttled("should not run"));
      }
    };

    assertThat(gateway.get("/prod/ok/y").statusCode()).isEqualTo(200);
  }

  @Test
  void filterForARouteTheApiDoesNotHaveFailsTheStart() {
    ApiDefinition api = ApiDefinition.builder().route("GET /a", Integration.http(ok.url())).build();

    assertThatThrownBy(() -> Gateway.builder(vertx, api).filter("GET /b", new GatewayFilter() { }).start()
        .await(10, TimeUnit.SECONDS))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("filter for route 'GET /b': the API has no such route: expected one of 'GET /a'");
  }
}
