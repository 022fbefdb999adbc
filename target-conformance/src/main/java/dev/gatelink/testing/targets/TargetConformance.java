package dev.gatelink.testing.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatelink.config.ApiDefinition;
import dev.gatelink.config.Integration;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.testing.LoopbackBackend;
import dev.gatelink.testing.targets.CountingTargetProvider.CountingTarget;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every target kind passes (URL, ALB, NLB, Cloud Map): what the gateway may rely on from any
 * {@link dev.gatelink.target.Target}, checked end to end through a gateway on loopback, in front of backends that
 * answer with their own name ({@link LoopbackBackend}).
 *
 * <p>Extend it once per target kind, in the test sources of the module that holds the target, and supply:
 * <ul>
 *   <li>{@link #provider()}: the provider under test, or null for the built-in URL provider;</li>
 *   <li>{@link #maxBackends()}: the most backends one integration can reach;</li>
 *   <li>{@link #startBackends(List)}: one group of backends that one integration can reach, started by the
 *       subclass, since a target kind may constrain where they listen (an ALB's nodes share one port on several
 *       loopback addresses); by default each listens on 127.0.0.1 on a port of its own;</li>
 *   <li>{@link #integration(List)}: an integration whose target reaches exactly one such group, arranging what
 *       it needs (instances registered in moto, a load balancer and the DNS answer for its name);</li>
 *   <li>{@link #refusingIntegration()}: an integration whose target's endpoints refuse connections
 *       ({@link #closedPort()}).</li>
 * </ul>
 *
 * <p>Each test builds a gateway whose one route, {@value #ROUTE_KEY}, goes to the integration, with the provider
 * under test wrapped in a counting decorator registered on {@link Gateway.Builder#targetProvider} (asked before the
 * providers found with {@code ServiceLoader} and the URL provider, so it claims first), and a front server made with
 * {@link Gateway#serverOptions()} on 127.0.0.1. The backends must see the client's path unchanged: a private
 * integration forwards it; a URL integration needs {@code /{proxy}} ({@code backend.url() + "/{proxy}"}). The tests:
 * <ol>
 *   <li>selection: with {@code N = min(3, maxBackends())} backends, {@code 3N} requests in turn are each answered
 *       200 by one of them (its name in {@code x-backend} and the body), and every one answers at least once;</li>
 *   <li>one report per pick: after requests in turn and at once, the target has handed out exactly one endpoint
 *       per request ({@code selectNow()} or {@code select()}) and heard exactly one {@code report()} per endpoint
 *       handed out, for that endpoint, each {@link Outcome#SUCCESS};</li>
 *   <li>start and close: the target's start completes before the gateway's, so before any endpoint is handed out;
 *       closing the gateway closes it exactly once; a {@code report()} that arrives after {@code close()} (a
 *       request that was in flight) does not throw;</li>
 *   <li>reload: {@link Gateway#update} to an integration of other backends starts the new target before it closes
 *       the old one, requests sent all along are answered 200, and those sent after it go to the new backends;</li>
 *   <li>failures: every request to the refusing integration is answered with API Gateway's 503,
 *       {@code {"message":"Service Unavailable"}}, and the target hears {@link Outcome#CONNECT_FAILURE} for each
 *       of its picks, one per request: a target whose every endpoint is ejected still hands one out (it fails
 *       open, as {@link dev.gatelink.target.EndpointPicker} does).</li>
 * </ol>
 *
 * <p>Resources: the suite makes a Vert.x instance per test ({@link #vertx()}), before the subclass's own
 * {@code @BeforeEach} methods run, and closes it after the subclass's {@code @AfterEach} methods; it closes each
 * test's gateways before the test ends and the backends of {@link #startBackends} after the subclass's
 * {@code @AfterEach} methods. The subclass owns what else it starts (moto clients, a DNS server). Every wait is
 * bounded (20 s) and made with Awaitility or a future, never a sleep.
 */
public abstract class TargetConformance {
  /** The key of the one route of every API the suite serves: its integration is the one under test. */
  public static final String ROUTE_KEY = "ANY /{proxy+}";

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SERVICE_UNAVAILABLE = "{\"message\":\"Service Unavailable\"}";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<LoopbackBackend> backends = new CopyOnWriteArrayList<>();
  private int backendNames;
  private @Nullable Vertx vertx;

  /** For subclasses, one per target kind. */
  protected TargetConformance() {}

  /**
   * The provider under test, asked once per gateway a test builds.
   *
   * @return the provider, or null for the built-in URL provider ({@link Gateway#urlTargetProvider()})
   * @throws Exception if it cannot be built
   */
  protected abstract @Nullable TargetProvider provider() throws Exception;

  /**
   * The most backends one integration of this kind can reach; the suite uses at most three.
   *
   * @return at least 1 (a URL reaches one)
   */
  protected abstract int maxBackends();

  /**
   * Starts one group of backends that one integration can reach, one per name, each answering with its name
   * ({@link LoopbackBackend#start}, {@link LoopbackBackend#startAt}), on {@link #vertx()}. The suite closes them
   * after the test. By default each listens on 127.0.0.1, on a free port of its own; override it where the target
   * kind constrains addresses and ports.
   *
   * @param names the names, one per backend, no more than {@link #maxBackends()}
   * @return the backends, listening, in the order of the names
   * @throws Exception if they cannot be started
   */
  protected List<LoopbackBackend> startBackends(List<String> names) throws Exception {
    List<LoopbackBackend> started = new ArrayList<>();
    for (String name : names) {
      started.add(LoopbackBackend.start(vertx(), name));
    }
    return started;
  }

  /**
   * An integration whose target reaches exactly the backends of one {@link #startBackends} group, and forwards the
   * client's path to them unchanged; arranges what the target needs to find them. Called once or more per test,
   * each time with another group.
   *
   * @param backends one group of backends, as {@link #startBackends} returned it
   * @return the integration
   * @throws Exception if it cannot be arranged
   */
  protected abstract Integration integration(List<LoopbackBackend> backends) throws Exception;

  /**
   * An integration whose target's endpoints refuse connections: nothing listens on their port
   * ({@link #closedPort()}).
   *
   * @return the integration
   * @throws Exception if it cannot be arranged
   */
  protected abstract Integration refusingIntegration() throws Exception;

  /**
   * {@return the test's Vert.x instance: the gateway's and the backends'; made before the subclass's
   * {@code @BeforeEach} methods run}
   *
   * @throws IllegalStateException outside a test
   */
  protected final Vertx vertx() {
    Vertx now = vertx;
    if (now == null) {
      throw new IllegalStateException("the conformance suite's Vert.x exists only during a test");
    }
    return now;
  }

  /**
   * A port that nothing listens on, on any address: a free port, bound and released.
   *
   * @return the port
   * @throws IOException if no port can be bound
   */
  protected static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Makes the test's Vert.x instance, before the subclass's {@code @BeforeEach} methods. */
  @BeforeEach
  protected final void startConformanceVertx() {
    vertx = Vertx.vertx();
  }

  /**
   * Closes the backends and the Vert.x instance, after the subclass's {@code @AfterEach} methods.
   *
   * @throws Exception if they cannot be closed within 20 s
   */
  @AfterEach
  protected final void closeConformanceResources() throws Exception {
    try {
      for (LoopbackBackend backend : backends) {
        backend.close();
      }
    } finally {
      backends.clear();
      Vertx now = vertx;
      vertx = null;
      if (now != null) {
        now.close().await(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Selection: {@code 3N} requests in turn over {@code N = min(3, maxBackends())} backends are each answered 200 by
   * one of them, and each answers at least once.
   *
   * @throws Exception if the gateway, a backend or a request fails
   */
  @Test
  public final void everyRequestIsAnsweredByABackendOfTheIntegrationAndEachBackendAnswers() throws Exception {
    List<LoopbackBackend> group = backends(Math.min(3, maxBackends()));
    try (Served served = serve(integration(group))) {
      Map<String, Integer> answered = new TreeMap<>();
      for (int i = 0; i < 3 * group.size(); i++) {
        answered.merge(answeredBy(served.get("/conformance/" + i), "/conformance/" + i, group), 1, Integer::sum);
      }

      assertThat(answered.keySet()).as("backends that answered, of %s", names(group))
          .containsExactlyInAnyOrderElementsOf(names(group));
      assertThat(answered.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3 * group.size());
    }
  }

  /**
   * One report per pick: after 8 requests in turn and 16 at once, the target handed out 24 endpoints and heard 24
   * reports, each of an endpoint it handed out, each a success.
   *
   * @throws Exception if the gateway, a backend or a request fails
   */
  @Test
  public final void everyEndpointHandedOutIsReportedOnceWithTheRequestsOutcome() throws Exception {
    List<LoopbackBackend> group = backends(Math.min(3, maxBackends()));
    try (Served served = serve(integration(group))) {
      for (int i = 0; i < 8; i++) {
        answeredBy(served.get("/conformance/" + i), "/conformance/" + i, group);
      }
      List<CompletableFuture<HttpResponse<String>>> atOnce = new ArrayList<>();
      for (int i = 8; i < 24; i++) {
        atOnce.add(served.send("/conformance/" + i));
      }
      for (int i = 0; i < atOnce.size(); i++) {
        answeredBy(atOnce.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS), "/conformance/" + (8 + i), group);
      }
      CountingTarget target = served.provider.onlyTarget();
      await("24 reports").atMost(WAIT).until(() -> target.reports() >= 24);

      assertThat(target.picks()).as("endpoints handed out").isEqualTo(24);
      assertThat(target.reports()).as("reports").isEqualTo(24);
      assertThat(target.unpickedReports()).as("reports of endpoints not handed out").isEmpty();
      assertThat(target.unreported()).as("endpoints handed out and not reported").isEmpty();
      assertThat(target.outcomes()).isEqualTo(Map.of(Outcome.SUCCESS, 24));
    }
  }

  /**
   * Start and close: started before the first pick, closed exactly once with the gateway, and a report after the
   * close does not throw.
   *
   * @throws Exception if the gateway, a backend or a request fails
   */
  @Test
  public final void theTargetIsStartedBeforeItServesAndClosedOnceWithTheGatewayAndALateReportIsHarmless()
      throws Exception {
    List<LoopbackBackend> group = backends(1);
    Served served = serve(integration(group));
    try {
      CountingTarget target = served.provider.onlyTarget();
      assertThat(served.provider.events()).containsExactly("create 1", "start 1", "started 1");

      answeredBy(served.get("/conformance/0"), "/conformance/0", group);

      assertThat(served.provider.events()).containsExactly("create 1", "start 1", "started 1", "first pick 1");
      assertThat(target.picksBeforeStarted()).isZero();

      served.close();

      assertThat(target.closes()).isEqualTo(1);
      assertThat(served.provider.events())
          .containsExactly("create 1", "start 1", "started 1", "first pick 1", "close 1", "closed 1");

      Endpoint last = target.lastPicked();
      assertThat(last).isNotNull();
      Promise<Void> reported = Promise.promise();
      // As a request still in flight would report: on an event loop, after the close.
      vertx().runOnContext(v -> {
        try {
          target.delegate().report(last, Outcome.SUCCESS);
          reported.complete();
        } catch (RuntimeException e) {
          reported.fail(e);
        }
      });
      reported.future().await(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(target.closes()).isEqualTo(1);
      assertThat(served.provider.events())
          .containsExactly("create 1", "start 1", "started 1", "first pick 1", "close 1", "closed 1");
    } finally {
      served.close();
    }
  }

  /**
   * Reload: an update to an integration of other backends starts the new target before it closes the old one;
   * requests sent all along are answered 200, and those sent after it by the new backends.
   *
   * @throws Exception if the gateway, a backend or a request fails
   */
  @Test
  public final void anUpdateStartsTheNewTargetBeforeItClosesTheOldAndNoRequestFails() throws Exception {
    int size = Math.min(2, maxBackends());
    List<LoopbackBackend> before = backends(size);
    List<LoopbackBackend> after = backends(size);
    List<LoopbackBackend> either = new ArrayList<>(before);
    either.addAll(after);
    try (Served served = serve(integration(before))) {
      for (int i = 0; i < size; i++) {
        answeredBy(served.get("/conformance/" + i), "/conformance/" + i, before);
      }
      Integration next = integration(after);

      AtomicInteger sent = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      List<String> wrong = new CopyOnWriteArrayList<>();
      ExecutorService sender = Executors.newSingleThreadExecutor();
      try {
        Future<?> traffic = sender.submit(() -> {
          for (int i = 0; i < 10_000 && !stop.get(); i++) {
            String path = "/reloading/" + i;
            try {
              HttpResponse<String> response = served.get(path);
              String name = response.headers().firstValue("x-backend").orElse("");
              if (response.statusCode() != 200 || !names(either).contains(name)
                  || !response.body().equals(name + " GET " + path)) {
                wrong.add(path + ": " + response.statusCode() + " " + response.body());
              }
            } catch (Exception e) {
              wrong.add(path + ": " + e);
            }
            sent.incrementAndGet();
          }
        });
        await("3 requests answered before the update").atMost(WAIT).until(() -> sent.get() >= 3);
        served.gateway.update(api(next)).await(WAIT.toSeconds(), TimeUnit.SECONDS);
        int atUpdate = sent.get();
        await("3 requests answered after the update").atMost(WAIT).until(() -> sent.get() >= atUpdate + 3);
        stop.set(true);
        traffic.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      } finally {
        stop.set(true);
        sender.shutdownNow();
      }

      assertThat(wrong).as("requests sent across the update that were not answered 200 by a backend").isEmpty();
      assertThat(served.provider.lifecycle()).containsExactly(
          "create 1", "start 1", "started 1", "create 2", "start 2", "started 2", "close 1", "closed 1");

      Map<String, Integer> answered = new TreeMap<>();
      for (int i = 0; i < 3 * size; i++) {
        answered.merge(answeredBy(served.get("/updated/" + i), "/updated/" + i, after), 1, Integer::sum);
      }
      assertThat(answered.keySet()).containsExactlyInAnyOrderElementsOf(names(after));

      List<CountingTarget> targets = served.provider.targets();
      await("one report per request").atMost(WAIT).until(() -> targets.stream().mapToInt(CountingTarget::reports).sum()
          >= size + sent.get() + 3 * size);
      for (CountingTarget target : targets) {
        assertThat(target.reports()).as("reports to target %s", target.number()).isEqualTo(target.picks());
        assertThat(target.unpickedReports()).as("reports to target %s of endpoints not handed out", target.number())
            .isEmpty();
        assertThat(target.outcomes()).as("outcomes of target %s", target.number())
            .isEqualTo(Map.of(Outcome.SUCCESS, target.picks()));
      }
      assertThat(targets.stream().mapToInt(CountingTarget::picks).sum()).as("endpoints handed out")
          .isEqualTo(size + sent.get() + 3 * size);
    }
  }

  /**
   * Failures: each request to endpoints that refuse connections is answered 503 with API Gateway's body, and the
   * target hears one {@link Outcome#CONNECT_FAILURE} per request.
   *
   * @throws Exception if the gateway or a request fails
   */
  @Test
  public final void refusedConnectionsAreServiceUnavailableAndReportedAsConnectFailures() throws Exception {
    try (Served served = serve(refusingIntegration())) {
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> response = served.get("/conformance/" + i);

        assertThat(response.statusCode()).as("status of request %s", i).isEqualTo(503);
        assertThat(response.body()).isEqualTo(SERVICE_UNAVAILABLE);
      }
      CountingTarget target = served.provider.onlyTarget();
      await("4 reports").atMost(WAIT).until(() -> target.reports() >= 4);

      assertThat(target.picks()).as("endpoints handed out").isEqualTo(4);
      assertThat(target.reports()).as("reports").isEqualTo(4);
      assertThat(target.unpickedReports()).as("reports of endpoints not handed out").isEmpty();
      assertThat(target.outcomes()).isEqualTo(Map.of(Outcome.CONNECT_FAILURE, 4));
    }
  }

  /** Starts a group of backends named {@code backend-1}, {@code backend-2}, ... across the test. */
  private List<LoopbackBackend> backends(int count) throws Exception {
    assertThat(maxBackends()).as("maxBackends()").isPositive();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("backend-" + ++backendNames);
    }
    List<LoopbackBackend> started = startBackends(names);
    backends.addAll(started);
    assertThat(names(started)).as("names of the backends startBackends(%s) started", names)
        .containsExactlyElementsOf(names);
    return started;
  }

  private static List<String> names(List<LoopbackBackend> group) {
    return group.stream().map(LoopbackBackend::name).toList();
  }

  /** Checks that a backend of the group answered the request with its identity; returns its name. */
  private static String answeredBy(HttpResponse<String> response, String path, List<LoopbackBackend> group) {
    assertThat(response.statusCode()).as("status of %s, answered %s", path, response.body()).isEqualTo(200);
    String name = response.headers().firstValue("x-backend").orElse("");
    assertThat(name).as("x-backend of %s", path).isIn(names(group));
    assertThat(response.body()).isEqualTo(name + " GET " + path);
    return name;
  }

  private static ApiDefinition api(Integration integration) {
    return ApiDefinition.builder().route(ROUTE_KEY, integration).build();
  }

  /** A gateway serving the integration with the provider under test, counted, and its front server. */
  private Served serve(Integration integration) throws Exception {
    TargetProvider underTest = provider();
    CountingTargetProvider counting = new CountingTargetProvider(
        underTest != null ? underTest : Gateway.urlTargetProvider());
    Gateway gateway = Gateway.builder(vertx(), api(integration)).targetProvider(counting).start()
        .await(WAIT.toSeconds(), TimeUnit.SECONDS);
    HttpServer front;
    try {
      front = vertx().createHttpServer(Gateway.serverOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(gateway).listen().await(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      gateway.close().await(WAIT.toSeconds(), TimeUnit.SECONDS);
      throw e;
    }
    return new Served(gateway, front, counting);
  }

  /** A gateway, its front server on loopback, and the counting provider of its targets; closed once. */
  private final class Served implements AutoCloseable {
    final Gateway gateway;
    final HttpServer front;
    final CountingTargetProvider provider;
    private boolean closed;

    Served(Gateway gateway, HttpServer front, CountingTargetProvider provider) {
      this.gateway = gateway;
      this.front = front;
      this.provider = provider;
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> send(String path) {
      return http.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.actualPort() + path))
          .timeout(WAIT).build();
    }

    /** Stops the front server, then closes the gateway (and so its targets); does nothing the second time. */
    @Override
    public synchronized void close() throws TimeoutException {
      if (!closed) {
        closed = true;
        try {
          front.close().await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
          gateway.close().await(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
      }
    }
  }
}
