package dev.gatelink.cloudmap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.RefreshSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;

/**
 * The discovery cache's loop, on a manual clock: which calls it makes and when, exactly, and what it serves.
 * (Against Cloud Map itself, through moto, in the target's tests.)
 */
class DiscoveryCacheTest {
  private static final Duration POLL = Duration.ofSeconds(15);
  private static final RefreshSettings SETTINGS = RefreshSettings.builder().refreshInterval(POLL)
      .maxAge(Duration.ofSeconds(90)).maxStaleness(Duration.ofMinutes(10)).maxBackoff(Duration.ofMinutes(2)).build();

  /** Timers on a manual clock; tasks run when the test advances time, on the test's thread. */
  private static final class ManualScheduler implements DiscoveryCache.Scheduler {
    private record Task(long at, long id, Runnable run) {}

    private final PriorityQueue<Task> timers = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    private long now = 1_000_000_000L;
    private long nextId;

    @Override
    public synchronized long schedule(long delayNanos, Runnable task) {
      timers.add(new Task(now + delayNanos, nextId, task));
      return nextId++;
    }

    @Override
    public void execute(Runnable task) {
      ready.add(task);
    }

    @Override
    public synchronized void cancel(long id) {
      timers.removeIf(task -> task.id == id);
    }

    @Override
    public synchronized long nanoTime() {
      return now;
    }

    /** Runs what is ready, then advances the clock timer by timer up to now + duration. */
    void advance(Duration duration) {
      drain();
      long end = now + duration.toNanos();
      while (true) {
        Task next;
        synchronized (this) {
          next = timers.peek();
          if (next == null || next.at > end) {
            now = end;
            return;
          }
          timers.poll();
          now = next.at;
        }
        next.run.run();
        drain();
      }
    }

    void drain() {
      Runnable task;
      while ((task = ready.poll()) != null) {
        task.run();
      }
    }

    synchronized int pendingTimers() {
      return timers.size();
    }
  }

  /** Cloud Map as a script: answers queued by the test; calls that find no answer stay pending. */
  private static final class ScriptedDiscovery implements DiscoveryCache.Discovery {
    final Deque<CompletableFuture<DiscoveryCache.Discovered>> discovers = new ArrayDeque<>();
    final Deque<CompletableFuture<Long>> revisions = new ArrayDeque<>();
    long revision = 1;
    /** The revision DiscoverInstances answers with, when it is not the polled one (moto with a filter). */
    Long discoveredRevision;
    List<Endpoint> endpoints = List.of(Endpoint.of("10.0.0.1", 8080));
    boolean failing;

    @Override
    public synchronized CompletionStage<DiscoveryCache.Discovered> discover() {
      CompletableFuture<DiscoveryCache.Discovered> call = new CompletableFuture<>();
      discovers.add(call);
      return call;
    }

    @Override
    public synchronized CompletionStage<Long> revision() {
      CompletableFuture<Long> call = new CompletableFuture<>();
      if (failing) {
        call.completeExceptionally(new IllegalStateException("RequestLimitExceeded"));
      } else {
        call.complete(revision);
      }
      return call;
    }

    /** Answers the oldest pending DiscoverInstances with the current script, or its failure. */
    synchronized void answerDiscover() {
      CompletableFuture<DiscoveryCache.Discovered> call = discovers.poll();
      if (failing) {
        call.completeExceptionally(new IllegalStateException("RequestLimitExceeded"));
      } else {
        call.complete(new DiscoveryCache.Discovered(new CloudMapInstances(endpoints, List.of()),
            discoveredRevision != null ? discoveredRevision : revision));
      }
    }
  }

  private final ManualScheduler scheduler = new ManualScheduler();
  private final ScriptedDiscovery cloudMap = new ScriptedDiscovery();
  private final List<String> failures = new ArrayList<>();
  /** No jitter: random(bound) is the middle of the range, so poll delays are exactly POLL. */
  private final DiscoveryCache cache = new DiscoveryCache("orders.internal/api", cloudMap, scheduler, SETTINGS,
      bound -> bound / 2, failures::add);

  private List<Endpoint> served() {
    DiscoveryCache.Snapshot snapshot = cache.current();
    return snapshot == null ? null : DiscoveryCache.endpoints(snapshot);
  }

  private void startAndAnswerFirst() {
    cache.ready();
    scheduler.drain();
    cloudMap.answerDiscover();
    scheduler.drain();
  }

  @Test
  void concurrentFirstRequestsShareOneDiscoverInstancesCall() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<CompletionStage<DiscoveryCache.Snapshot>>> waiting = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      waiting.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return cache.ready();
      }, threads));
    }
    go.countDown();
    List<CompletableFuture<DiscoveryCache.Snapshot>> answers = new ArrayList<>();
    for (CompletableFuture<CompletionStage<DiscoveryCache.Snapshot>> caller : waiting) {
      answers.add(caller.get(10, TimeUnit.SECONDS).toCompletableFuture());
    }
    threads.shutdown();
    scheduler.drain();

    assertThat(cache.discoverCalls).hasValue(1);
    assertThat(answers).allSatisfy(answer -> assertThat(answer).isNotDone());

    cloudMap.answerDiscover();
    scheduler.drain();

    assertThat(answers).allSatisfy(answer ->
        assertThat(DiscoveryCache.endpoints(answer.getNow(null))).containsExactly(Endpoint.of("10.0.0.1", 8080)));
    assertThat(cache.discoverCalls).hasValue(1);
  }

  @Test
  void underSteadyStateOnlyTheRevisionIsPolledOncePerInterval() {
    startAndAnswerFirst();

    scheduler.advance(Duration.ofSeconds(80));

    assertThat(cache.revisionCalls).hasValue(5);
    assertThat(cache.discoverCalls).hasValue(1);
    assertThat(served()).containsExactly(Endpoint.of("10.0.0.1", 8080));
  }

  @Test
  void aNewRevisionIsDiscoveredAtTheNextPoll() {
    startAndAnswerFirst();
    cloudMap.revision = 2;
    cloudMap.endpoints = List.of(Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080));

    scheduler.advance(POLL);
    assertThat(cache.revisionCalls).hasValue(1);
    assertThat(cache.discoverCalls).hasValue(2);
    assertThat(served()).containsExactly(Endpoint.of("10.0.0.1", 8080));
    cloudMap.answerDiscover();
    scheduler.drain();

    assertThat(served()).containsExactly(Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080));
    assertThat(cache.current().revision()).isEqualTo(2);
  }

  @Test
  void atMaxAgeInstancesAreDiscoveredAgainAtTheSameRevision() {
    startAndAnswerFirst();

    scheduler.advance(Duration.ofSeconds(89));
    assertThat(cache.discoverCalls).hasValue(1);
    assertThat(cache.revisionCalls).hasValue(5);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(cache.discoverCalls).hasValue(2);
    assertThat(cache.revisionCalls).hasValue(5);
  }

  @Test
  void failuresKeepTheLastGoodSetBackOffAndAreReported() {
    startAndAnswerFirst();
    cloudMap.failing = true;

    // Revision polls fail at 15 s, then back off with full jitter (the test's random takes half of each
    // ceiling: 15, 30, 60, 120 s): failures at 15, 22.5, 37.5 and 67.5 s.
    scheduler.advance(POLL);
    assertThat(cache.failedCalls).hasValue(1);
    assertThat(served()).containsExactly(Endpoint.of("10.0.0.1", 8080));
    scheduler.advance(Duration.ofMillis(7_499));
    assertThat(cache.failedCalls).hasValue(1);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(cache.failedCalls).hasValue(2);
    scheduler.advance(Duration.ofSeconds(15));
    assertThat(cache.failedCalls).hasValue(3);
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(cache.failedCalls).hasValue(4);
    assertThat(cache.revisionCalls).hasValue(4);
    // At 127.5 s the set is past its maximum age: DiscoverInstances, which fails too.
    scheduler.advance(Duration.ofSeconds(60));
    assertThat(cache.discoverCalls).hasValue(2);
    cloudMap.answerDiscover();
    scheduler.drain();

    assertThat(cache.failedCalls).hasValue(5);
    assertThat(failures).containsExactly(
        "orders.internal/api: DiscoverInstancesRevision failed (1 in a row): java.lang.IllegalStateException: RequestLimitExceeded",
        "orders.internal/api: DiscoverInstancesRevision failed (2 in a row): java.lang.IllegalStateException: RequestLimitExceeded",
        "orders.internal/api: DiscoverInstancesRevision failed (3 in a row): java.lang.IllegalStateException: RequestLimitExceeded",
        "orders.internal/api: DiscoverInstancesRevision failed (4 in a row): java.lang.IllegalStateException: RequestLimitExceeded",
        "orders.internal/api: DiscoverInstances failed (5 in a row): java.lang.IllegalStateException: RequestLimitExceeded");
    assertThat(served()).containsExactly(Endpoint.of("10.0.0.1", 8080));
  }

  @Test
  void theLastGoodSetIsServedNoLongerThanMaxStaleness() {
    startAndAnswerFirst();
    cloudMap.failing = true;
    for (int i = 0; i < 6; i++) {
      scheduler.advance(Duration.ofSeconds(90));
      while (!cloudMap.discovers.isEmpty()) {
        cloudMap.answerDiscover();
        scheduler.drain();
      }
    }
    assertThat(served()).containsExactly(Endpoint.of("10.0.0.1", 8080));

    for (int i = 0; i < 2; i++) {
      scheduler.advance(Duration.ofMinutes(2));
      while (!cloudMap.discovers.isEmpty()) {
        cloudMap.answerDiscover();
        scheduler.drain();
      }
    }

    assertThat(served()).isEmpty();
    assertThat(failures).contains("orders.internal/api: the last good set is older than PT10M and no longer served");
    cloudMap.failing = false;
    scheduler.advance(Duration.ofMinutes(2));
    while (!cloudMap.discovers.isEmpty()) {
      cloudMap.answerDiscover();
      scheduler.drain();
    }
    assertThat(served()).containsExactly(Endpoint.of("10.0.0.1", 8080));
  }

  @Test
  void aFailedFirstDiscoveryFailsItsWaitersAndTheLoopTriesAgain() {
    cloudMap.failing = true;
    CompletableFuture<DiscoveryCache.Snapshot> first = cache.ready().toCompletableFuture();
    scheduler.drain();
    cloudMap.answerDiscover();
    scheduler.drain();

    assertThat(first).isCompletedExceptionally();
    assertThat(cache.ready().toCompletableFuture()).isCompletedExceptionally();
    cloudMap.failing = false;
    scheduler.advance(POLL);
    cloudMap.answerDiscover();
    scheduler.drain();

    assertThat(cache.ready().toCompletableFuture().getNow(null).revision()).isEqualTo(1);
    assertThat(cache.discoverCalls).hasValue(2);
  }

  @Test
  void skippedInstancesAreReportedAtEachDiscovery() {
    cache.ready();
    scheduler.drain();
    cloudMap.discovers.poll().complete(new DiscoveryCache.Discovered(new CloudMapInstances(
        List.of(Endpoint.of("10.0.0.1", 8080)), List.of("instance i-2: no AWS_INSTANCE_PORT attribute")), 1));
    scheduler.drain();

    assertThat(failures).containsExactly("orders.internal/api: instance i-2: no AWS_INSTANCE_PORT attribute");
  }

  @Test
  void closingStopsTheLoop() {
    startAndAnswerFirst();

    cache.close();
    scheduler.advance(Duration.ofMinutes(10));

    assertThat(cache.revisionCalls).hasValue(0);
    assertThat(scheduler.pendingTimers()).isZero();
  }

  @Test
  void realInstancesGoThroughCloudMapInstances() {
    CloudMapInstances instances = CloudMapInstances.of(List.of(HttpInstanceSummary.builder().instanceId("i-1")
        .attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0.9", "AWS_INSTANCE_PORT", "80")).build()));
    cache.ready();
    scheduler.drain();
    cloudMap.discovers.poll().complete(new DiscoveryCache.Discovered(instances, 7));
    scheduler.drain();

    assertThat(served()).containsExactly(Endpoint.of("10.0.0.9", 80));
  }

  @Test
  void aPollIsComparedWithTheRevisionPolledBeforeTheFetchNotTheDiscoveredSets() {
    // As moto with a query filter: DiscoverInstances answers 2, DiscoverInstancesRevision 3.
    cloudMap.revision = 3;
    cloudMap.discoveredRevision = 2L;
    startAndAnswerFirst();

    scheduler.advance(Duration.ofSeconds(45));
    assertThat(cache.revisionCalls).hasValue(3);
    assertThat(cache.discoverCalls).hasValue(1);
    assertThat(cache.baselineCalls).hasValue(1);

    // A deregistration: the poll falls to the discovered set's old revision, and still differs from the baseline.
    cloudMap.revision = 2;
    cloudMap.discoveredRevision = 1L;
    cloudMap.endpoints = List.of();
    scheduler.advance(POLL);
    cloudMap.answerDiscover();
    scheduler.drain();

    assertThat(cache.discoverCalls).hasValue(2);
    assertThat(served()).isEmpty();
  }
}
