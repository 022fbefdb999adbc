package dev.gatelink.cloudmap;

import dev.gatelink.target.OutlierSettings;
import dev.gatelink.target.LoadBalancing;
import dev.gatelink.target.TlsPolicy;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * The cost of a Cloud Map cache hit: {@link CloudMapTarget#selectNow()} once the instances are known (one
 * volatile read of the cached set, the round-robin turn, the outlier check), against array reads in the same
 * class: {@code arrayRead} (the baseline) indexes the array with a plain counter, as the target does;
 * {@code atomicRoundRobin} with an {@link AtomicInteger}, to show what an atomic turn would cost. The
 * {@code pickAndReport*} pairs add what the gateway does per request after the pick (one outcome report), for
 * round robin and for least outstanding requests (two random choices, a counter up and down). Run with
 * {@code -prof gc} for B/op.
 *
 * <p>In package {@code dev.gatelink.cloudmap} (the adapter's package, in this module's jar) to reach the
 * package-private target with a scripted discovery: no AWS call is made.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Benchmark)
public class CloudMapSelectBenchmark {
  /** Instances of the service. */
  @Param({"3", "30"})
  public int instances;

  private Vertx vertx;
  private CloudMapTarget target;
  private CloudMapTarget leastOutstanding;
  private Endpoint[] endpoints;
  private int plain;
  private final AtomicInteger shared = new AtomicInteger();

  /** Starts the target and waits for its first (scripted) discovery. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    List<Endpoint> list = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      list.add(Endpoint.of("10.0.0." + (i + 1), 8080));
    }
    endpoints = list.toArray(new Endpoint[0]);
    DiscoveryCache.Discovery discovery = new DiscoveryCache.Discovery() {
      @Override
      public CompletionStage<DiscoveryCache.Discovered> discover() {
        return CompletableFuture.completedFuture(
            new DiscoveryCache.Discovered(new CloudMapInstances(list, List.of()), 1));
      }

      @Override
      public CompletionStage<Long> revision() {
        return CompletableFuture.completedFuture(1L);
      }
    };
    target = new CloudMapTarget(vertx, "bench", discovery, null, DiscoveryCache.DEFAULTS,
        OutlierSettings.builder().build(), LoadBalancing.ROUND_ROBIN, null, TlsPolicy.none(),
        System.getLogger("bench"));
    leastOutstanding = new CloudMapTarget(vertx, "bench", discovery, null, DiscoveryCache.DEFAULTS,
        OutlierSettings.builder().build(), LoadBalancing.LEAST_OUTSTANDING_REQUESTS, null, TlsPolicy.none(),
        System.getLogger("bench"));
    leastOutstanding.report(leastOutstanding.select().await(10, TimeUnit.SECONDS), Outcome.SUCCESS);
    target.select().await(10, TimeUnit.SECONDS);
    if (target.selectNow() == null) {
      throw new IllegalStateException("the target has no endpoint after its first discovery");
    }
  }

  /** Closes the target and Vert.x. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    target.close();
    leastOutstanding.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Baseline: the next element of the array, with a plain counter. */
  @Benchmark
  public Endpoint arrayRead() {
    return endpoints[Math.floorMod(plain++, endpoints.length)];
  }

  /** Baseline: the next element of the array, with an atomic counter. */
  @Benchmark
  public Endpoint atomicRoundRobin() {
    return endpoints[Math.floorMod(shared.getAndIncrement(), endpoints.length)];
  }

  /** The cache hit: the endpoint a request gets. */
  @Benchmark
  public Endpoint selectNow() {
    return target.selectNow();
  }

  /** Round robin: the pick and the outcome report of one request. */
  @Benchmark
  public Endpoint pickAndReportRoundRobin() {
    Endpoint endpoint = target.selectNow();
    target.report(endpoint, Outcome.SUCCESS);
    return endpoint;
  }

  /** Least outstanding requests: the pick and the outcome report of one request. */
  @Benchmark
  public Endpoint pickAndReportLeastOutstanding() {
    Endpoint endpoint = leastOutstanding.selectNow();
    leastOutstanding.report(endpoint, Outcome.SUCCESS);
    return endpoint;
  }
}
