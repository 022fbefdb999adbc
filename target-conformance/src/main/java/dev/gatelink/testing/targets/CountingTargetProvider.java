package dev.gatelink.testing.targets;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import dev.gatelink.target.TlsPolicy;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A provider that claims what the provider under test claims and wraps each target it creates, counting what the
 * gateway asks of it: the endpoints handed out by {@code selectNow()} and {@code select()} (picks), the calls of
 * {@code report()} and their outcomes, and the lifecycle events of every target of the provider, in order.
 *
 * <p>Lifecycle events, numbered by target in creation order: {@code create N}, {@code start N}, then
 * {@code started N} (or {@code start failed N}) when its start future completes and before the gateway hears it,
 * {@code first pick N} when its first endpoint is handed out, {@code close N}, then {@code closed N}.
 */
final class CountingTargetProvider implements TargetProvider {
  private final TargetProvider delegate;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<CountingTarget> targets = new CopyOnWriteArrayList<>();

  CountingTargetProvider(TargetProvider delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public String accepts() {
    return delegate.accepts();
  }

  @Override
  public @Nullable Target create(TargetSpec spec, TargetContext context) {
    Target target = delegate.create(spec, context);
    if (target == null) {
      return null;
    }
    synchronized (targets) {
      CountingTarget counting = new CountingTarget(targets.size() + 1, target);
      targets.add(counting);
      events.add("create " + counting.number);
      return counting;
    }
  }

  /** {@return the lifecycle events of every target so far, in order} */
  List<String> events() {
    return List.copyOf(events);
  }

  /** {@return the lifecycle events without the {@code first pick} ones, in order} */
  List<String> lifecycle() {
    return events.stream().filter(event -> !event.startsWith("first pick ")).toList();
  }

  /** {@return the targets created so far, in creation order} */
  List<CountingTarget> targets() {
    return List.copyOf(targets);
  }

  /**
   * {@return the one target created so far}
   *
   * @throws AssertionError if none or more than one was created
   */
  CountingTarget onlyTarget() {
    List<CountingTarget> now = targets();
    if (now.size() != 1) {
      throw new AssertionError("expected the provider to have created one target, but it created " + now.size()
          + ": " + events());
    }
    return now.get(0);
  }

  /** A target that counts what is asked of it and hands every call to the target under test. */
  final class CountingTarget implements Target {
    private final int number;
    private final Target delegate;
    private final AtomicInteger picks = new AtomicInteger();
    private final AtomicInteger reports = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicInteger picksBeforeStarted = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean picked = new AtomicBoolean();
    private final Map<Outcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final Map<Endpoint, AtomicInteger> outstanding = new ConcurrentHashMap<>();
    private final List<String> unpickedReports = new CopyOnWriteArrayList<>();
    private volatile @Nullable Endpoint lastPicked;

    CountingTarget(int number, Target delegate) {
      this.number = number;
      this.delegate = delegate;
    }

    @Override
    public Future<Void> start() {
      events.add("start " + number);
      return delegate.start().andThen(result -> {
        if (result.succeeded()) {
          started.set(true);
          events.add("started " + number);
        } else {
          events.add("start failed " + number + ": " + result.cause());
        }
      });
    }

    @Override
    public @Nullable Endpoint selectNow() {
      Endpoint endpoint = delegate.selectNow();
      if (endpoint != null) {
        picked(endpoint);
      }
      return endpoint;
    }

    @Override
    public Future<Endpoint> select() {
      return delegate.select().andThen(result -> {
        if (result.succeeded()) {
          picked(result.result());
        }
      });
    }

    private void picked(Endpoint endpoint) {
      if (!started.get()) {
        picksBeforeStarted.incrementAndGet();
      }
      if (picked.compareAndSet(false, true)) {
        events.add("first pick " + number);
      }
      lastPicked = endpoint;
      outstanding.computeIfAbsent(endpoint, e -> new AtomicInteger()).incrementAndGet();
      picks.incrementAndGet();
    }

    @Override
    public void report(Endpoint endpoint, Outcome outcome) {
      AtomicInteger count = outstanding.get(endpoint);
      if (count == null || count.getAndDecrement() <= 0) {
        if (count != null) {
          count.incrementAndGet();
        }
        unpickedReports.add(endpoint + " " + outcome);
      }
      outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
      reports.incrementAndGet();
      delegate.report(endpoint, outcome);
    }

    @Override
    public TlsPolicy tls() {
      return delegate.tls();
    }

    @Override
    public Future<Void> close() {
      closes.incrementAndGet();
      events.add("close " + number);
      return delegate.close().andThen(result -> events.add("closed " + number));
    }

    /** {@return its number: the order in which the provider created it, from 1} */
    int number() {
      return number;
    }

    /** {@return the target under test} */
    Target delegate() {
      return delegate;
    }

    /** {@return the endpoints handed out so far, by {@code selectNow()} and {@code select()}} */
    int picks() {
      return picks.get();
    }

    /** {@return the calls of {@code report()} so far} */
    int reports() {
      return reports.get();
    }

    /** {@return the calls of {@code close()} so far} */
    int closes() {
      return closes.get();
    }

    /** {@return the endpoints handed out before the target's start future completed} */
    int picksBeforeStarted() {
      return picksBeforeStarted.get();
    }

    /** {@return the reported outcomes and how many of each, in the enum's order} */
    Map<Outcome, Integer> outcomes() {
      Map<Outcome, Integer> counts = new TreeMap<>();
      outcomes.forEach((outcome, count) -> counts.put(outcome, count.get()));
      return counts;
    }

    /** {@return the reports of an endpoint that had no pick left to report: "ENDPOINT OUTCOME" each} */
    List<String> unpickedReports() {
      return List.copyOf(unpickedReports);
    }

    /** {@return the endpoints picked and not reported yet, with how many of each; none when all are reported} */
    Map<String, Integer> unreported() {
      Map<String, Integer> open = new TreeMap<>();
      outstanding.forEach((endpoint, count) -> {
        if (count.get() != 0) {
          open.put(endpoint.toString(), count.get());
        }
      });
      return open;
    }

    /** {@return the endpoint handed out last, or null before the first pick} */
    @Nullable Endpoint lastPicked() {
      return lastPicked;
    }

    @Override
    public String toString() {
      return "counting target " + number + " of " + delegate;
    }
  }
}
