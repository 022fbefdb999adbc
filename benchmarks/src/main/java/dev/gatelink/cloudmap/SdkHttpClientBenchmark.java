package dev.gatelink.cloudmap;

import dev.gatelink.aws.VertxSdkHttpClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesRequest;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesResponse;

/**
 * The AWS SDK's asynchronous HTTP client under Cloud Map's {@link ServiceDiscoveryAsyncClient}: the adapter's
 * {@link VertxSdkHttpClient} ({@code client=vertx}) against the AWS CRT client ({@code client=crt}), each
 * calling {@code DiscoverInstances} on a local stub, so that the figures are the client's and the SDK's, not a
 * Cloud Map emulator's. The baseline {@code client=in-memory} is the SDK alone: an HTTP client that sends
 * nothing and hands the SDK the stub's response bytes at once, so that a figure minus the baseline's is what
 * the HTTP client and the loopback round trip add to the SDK's own work (marshalling, signing, parsing).
 *
 * <p>The stub is a Vert.x HTTP server on 127.0.0.1 (a free port, its own Vert.x with one event loop) that
 * answers every {@code POST}, once the request body has arrived, with one canned {@code DiscoverInstances}
 * response: three healthy instances with {@code AWS_INSTANCE_IPV4}/{@code AWS_INSTANCE_PORT}, revision 7. Every
 * SDK client is configured as {@code CloudMapTargetProvider} configures its own: endpoint override, host
 * prefix injection off, a 10 s attempt and 30 s call timeout; here also region us-east-1 and static
 * credentials. {@code VertxSdkHttpClient} runs on a second Vert.x (the application's, in production) with the
 * provider's {@code HttpClientOptions}, so Vert.x's default pool of 5 connections; the CRT client has its own
 * defaults (up to 50 connections, its own native event loops).
 *
 * <ul>
 *   <li>{@link #discoverInstances()}: one call at a time, {@code join()}ed on the benchmark thread: the
 *       latency of a call (average time).
 *   <li>{@link #discoverInstancesInFlight()}: {@value #IN_FLIGHT} calls in flight at all times from one
 *       thread, each new call started as soon as one completes (a window of permits): the throughput of the
 *       client as asynchronous code uses it, without the 16 blocked threads that {@code @Threads(16)} would
 *       put on the machine's cores.
 * </ul>
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} counts the Java heap allocated by every thread of
 * the JVM per call (the benchmark thread, the SDK's completion executor, the clients' event loops, and the
 * stub's; the CRT client's native memory is not counted). The stub's own share is the same for both networked
 * clients; it is printed at the end of each trial ({@code [SdkHttpClientBenchmark] ... B/request on the stub's event
 * loop}) together with the connections each client opened.
 *
 * <p>The SDK's call path and the clients' take 20 to 30 s to compile on 2 cores (with 16 calls in flight,
 * throughput still rises from 2,000 to 19,000 calls/s over the first 25 s): hence 10 warmup iterations of 3 s.
 * Figures from shorter warmups are not settled.
 *
 * <p>{@link #main(String[])} measures a client's cold start in a fresh JVM instead: the time to build the SDK
 * client and complete its first call, and then its second.
 */
@Warmup(iterations = 10, time = 3, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Benchmark)
public class SdkHttpClientBenchmark {
  /** Calls kept in flight by {@link #discoverInstancesInFlight()}. */
  static final int IN_FLIGHT = 16;

  private static final DiscoverInstancesRequest REQUEST = DiscoverInstancesRequest.builder()
      .namespaceName("orders.internal").serviceName("api").build();

  private static final byte[] RESPONSE_BODY = ("{\"Instances\":[" + instance(1) + "," + instance(2) + ","
      + instance(3) + "],\"InstancesRevision\":7}").getBytes(StandardCharsets.UTF_8);

  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  private static final String REQUEST_ID = "6d9e3f5a-bench-0000-0000-000000000000";

  private static final Buffer RESPONSE = Buffer.buffer(RESPONSE_BODY);

  /**
   * The SDK HTTP client: {@code vertx} ({@link VertxSdkHttpClient}), {@code crt} (AWS CRT) or the baseline
   * {@code in-memory} ({@link InMemoryHttpClient}).
   */
  @Param({"vertx", "crt", "in-memory"})
  public String client;

  private Vertx stubVertx;
  private Vertx clientVertx;
  private HttpServer stub;
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private volatile long stubThreadId = -1;
  private SdkAsyncHttpClient http;
  private ServiceDiscoveryAsyncClient discovery;
  private final Semaphore window = new Semaphore(IN_FLIGHT);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private long stubBytesAtStart;
  private long requestsAtStart;

  /** Starts the stub, builds the SDK client on the chosen HTTP client and checks one call's answer. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    startStub();
    buildClient();
    check(discovery.discoverInstances(REQUEST).join());
    stubBytesAtStart = stubThreadAllocatedBytes();
    requestsAtStart = requests.get();
  }

  /** Waits for the calls still in flight, and fails the run if any call failed. */
  @TearDown(Level.Iteration)
  public void drain() throws Exception {
    if (!window.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("calls still in flight after 30 s");
    }
    window.release(IN_FLIGHT);
    if (failure.get() != null) {
      throw new IllegalStateException("a DiscoverInstances call failed", failure.get());
    }
  }

  /** Prints the stub's figures for this trial, then closes everything. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    long served = requests.get() - requestsAtStart;
    System.out.printf(Locale.ROOT, "%n[SdkHttpClientBenchmark] client=%s: %d connections, %d requests after setup,"
        + " %.0f B/request on the stub's event loop%n", client, connections.get(), served,
        served == 0 ? 0.0 : (double) (stubThreadAllocatedBytes() - stubBytesAtStart) / served);
    close();
  }

  /** Closes the SDK client, its HTTP client, the stub and both Vert.x. */
  private void close() throws Exception {
    discovery.close();
    http.close();
    clientVertx.close().await(10, TimeUnit.SECONDS);
    stubVertx.close().await(10, TimeUnit.SECONDS);
  }

  /** One call, waited for on this thread. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public DiscoverInstancesResponse discoverInstances() {
    return discovery.discoverInstances(REQUEST).join();
  }

  /** Starts one call once fewer than {@value #IN_FLIGHT} are in flight; its completion frees the slot. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void discoverInstancesInFlight() throws InterruptedException {
    window.acquire();
    discovery.discoverInstances(REQUEST).whenComplete((response, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      } else if (response.instances().size() != 3) {
        failure.compareAndSet(null, new IllegalStateException("unexpected response " + response));
      }
      window.release();
    });
  }

  /**
   * Cold start of one client in this fresh JVM: with the stub (and, for every client alike, the Vert.x that
   * {@link VertxSdkHttpClient} would use) already running, the time to build the SDK client and to complete
   * its first and second calls. Prints one line.
   *
   * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.gatelink.cloudmap.SdkHttpClientBenchmark CLIENT},
   * CLIENT one of {@code vertx}, {@code crt}, {@code in-memory}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !List.of("vertx", "crt", "in-memory").contains(args[0])) {
      System.err.println("usage: SdkHttpClientBenchmark vertx|crt|in-memory");
      System.exit(2);
    }
    SdkHttpClientBenchmark cold = new SdkHttpClientBenchmark();
    cold.client = args[0];
    cold.startStub();
    long start = System.nanoTime();
    cold.buildClient();
    long built = System.nanoTime();
    check(cold.discovery.discoverInstances(REQUEST).join());
    long first = System.nanoTime();
    check(cold.discovery.discoverInstances(REQUEST).join());
    long second = System.nanoTime();
    System.out.printf(Locale.ROOT, "client=%s build_ms=%.1f first_call_ms=%.1f build_plus_first_ms=%.1f"
        + " second_call_ms=%.2f%n", cold.client, (built - start) / 1e6, (first - built) / 1e6,
        (first - start) / 1e6, (second - first) / 1e6);
    cold.close();
  }

  /** Starts the stub on a free port, and the Vert.x for {@link VertxSdkHttpClient}. */
  private void startStub() throws Exception {
    stubVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    clientVertx = Vertx.vertx();
    stub = stubVertx.createHttpServer()
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(request -> {
          stubThreadId = Thread.currentThread().getId();
          requests.incrementAndGet();
          if (request.method() != HttpMethod.POST) {
            request.response().setStatusCode(405).end();
            return;
          }
          request.end().onSuccess(ended -> request.response()
              .putHeader("content-type", CONTENT_TYPE)
              .putHeader("x-amzn-RequestId", REQUEST_ID)
              .end(RESPONSE));
        })
        .listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  /** Builds {@link #http} and {@link #discovery} for {@link #client}. */
  private void buildClient() {
    http = switch (client) {
      case "vertx" -> new VertxSdkHttpClient(clientVertx, new HttpClientOptions().setKeepAlive(true));
      case "crt" -> AwsCrtAsyncHttpClient.builder().build();
      case "in-memory" -> new InMemoryHttpClient();
      default -> throw new IllegalArgumentException("client " + client + ": expected vertx, crt or in-memory");
    };
    discovery = ServiceDiscoveryAsyncClient.builder()
        .httpClient(http)
        .endpointOverride(URI.create("http://127.0.0.1:" + stub.actualPort()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench")))
        .overrideConfiguration(c -> c
            .apiCallAttemptTimeout(Duration.ofSeconds(10))
            .apiCallTimeout(Duration.ofSeconds(30))
            .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  /** Heap allocated so far by the stub's event loop thread; 0 while the stub has served nothing. */
  private long stubThreadAllocatedBytes() {
    return stubThreadId < 0 ? 0 : ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(stubThreadId);
  }

  private static void check(DiscoverInstancesResponse response) {
    if (response.instances().size() != 3 || response.instancesRevision() != 7
        || !"10.0.0.1".equals(response.instances().get(0).attributes().get("AWS_INSTANCE_IPV4"))
        || !"8080".equals(response.instances().get(0).attributes().get("AWS_INSTANCE_PORT"))) {
      throw new IllegalStateException("unexpected DiscoverInstances response: " + response);
    }
  }

  /**
   * The baseline: answers every request at once, on the calling thread, with the stub's status, headers and
   * body, after reading the request body. No socket, no event loop.
   */
  private static final class InMemoryHttpClient implements SdkAsyncHttpClient {
    private static final SdkHttpFullResponse HEAD = SdkHttpFullResponse.builder()
        .statusCode(200)
        .statusText("OK")
        .putHeader("content-type", CONTENT_TYPE)
        .putHeader("x-amzn-RequestId", REQUEST_ID)
        .putHeader("content-length", Integer.toString(RESPONSE_BODY.length))
        .build();

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest execution) {
      execution.requestContentPublisher().subscribe(new Subscriber<ByteBuffer>() {
        @Override
        public void onSubscribe(Subscription subscription) {
          subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer bytes) {
          bytes.position(bytes.limit());
        }

        @Override
        public void onError(Throwable failure) {
          // The SDK fails the call itself; nothing is sent that would need undoing.
        }

        @Override
        public void onComplete() {
          // Nothing to send: the answer does not depend on the body.
        }
      });
      CompletableFuture<Void> done = new CompletableFuture<>();
      SdkAsyncHttpResponseHandler handler = execution.responseHandler();
      handler.onHeaders(HEAD);
      handler.onStream(subscriber -> subscriber.onSubscribe(new Subscription() {
        private boolean sent;

        @Override
        public void request(long n) {
          if (!sent) {
            sent = true;
            subscriber.onNext(ByteBuffer.wrap(RESPONSE_BODY).asReadOnlyBuffer());
            subscriber.onComplete();
            done.complete(null);
          }
        }

        @Override
        public void cancel() {
          sent = true;
          done.complete(null);
        }
      }));
      return done;
    }

    @Override
    public String clientName() {
      return "InMemory";
    }

    @Override
    public void close() {
      // Holds nothing.
    }
  }

  private static String instance(int n) {
    return "{\"InstanceId\":\"i-" + n + "\",\"NamespaceName\":\"orders.internal\",\"ServiceName\":\"api\","
        + "\"HealthStatus\":\"HEALTHY\",\"Attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.0." + n + "\","
        + "\"AWS_INSTANCE_PORT\":\"8080\"}}";
  }
}
