package dev.gatelink.benchmarks.load;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A fixed-rate (open-loop) HTTP/1.1 load generator on the Vert.x {@link HttpClient}, whose latencies are
 * corrected for coordinated omission.
 *
 * <p>Request {@code i} has a fixed <em>intended send time</em>, {@code start + i / rate}, set before the run
 * starts, whatever happens to earlier requests. A request is sent as soon as its time has come and a
 * connection is free: up to {@code connections} keep-alive connections are opened as needed, and when all
 * of them are busy, requests wait in the client's queue. A request's latency is its completion time (the
 * whole response body received) minus its intended send time, so time spent waiting behind a slow response
 * counts, as it would for a real client that does not slow down when the server does. A closed-loop tool
 * such as wrk waits for a response before sending the next request on that connection, so it sends less
 * during a stall and records only a few slow requests instead of all the requests the stall delayed; that
 * is coordinated omission ({@code giltene/wrk2}'s README).
 *
 * <p>A run sends at the rate for the warm-up, then for the measured duration; only requests whose intended
 * send time falls in the measured window are recorded, into an HdrHistogram (nanoseconds, 3 significant
 * digits). It ends when every request has completed, and at the latest at warm-up + duration + 10 s (the
 * hard stop), when requests still open count as incomplete. Everything runs on one event loop, like
 * {@code wrk -t1}; a timer thread only wakes the event loop when the next request is due.
 *
 * <p>Run it from the benchmarks jar:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.gatelink.benchmarks.load.OpenLoopLoad \
 *     --url http://127.0.0.1:PORT/ --rate 10000 [--connections 64] [--warmup-s 10] [--duration-s 20] \
 *     [--out result.json]
 * </pre>
 *
 * <p>It prints one JSON line to standard output (and writes it to {@code --out} if given); see
 * {@link Result#toJson()}.
 */
public final class OpenLoopLoad {
  /** How long after the measured window a run may still wait for open requests. */
  public static final Duration GRACE = Duration.ofSeconds(10);
  /** The most requests one run may send. */
  public static final long MAX_REQUESTS = 1_000_000_000L;

  private static final String USAGE = "OpenLoopLoad --url http://HOST:PORT/PATH --rate R [--connections 64]"
      + " [--warmup-s 10] [--duration-s 20] [--out FILE]";
  private static final List<String> OPTIONS = List.of("url", "rate", "connections", "warmup-s", "duration-s", "out");

  private OpenLoopLoad() {}

  /**
   * What to run.
   *
   * @param host the target's host
   * @param port the target's port
   * @param path the request path (and query) sent with {@code GET}
   * @param connections the most connections open to the target at once
   * @param rate requests per second, sent on a fixed timetable
   * @param warmup how long to send before recording starts
   * @param duration how long to record
   */
  public record Settings(
      String host, int port, String path, int connections, int rate, Duration warmup, Duration duration) {
    /** Checks every value. */
    public Settings {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is out of range; expected 1 to 65535");
      }
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path '" + path + "' must start with '/'");
      }
      if (connections < 1) {
        throw new IllegalArgumentException("connections " + connections + " must be at least 1");
      }
      if (rate < 1 || rate > 10_000_000) {
        throw new IllegalArgumentException("rate " + rate + " is out of range; expected 1 to 10000000");
      }
      if (warmup.isNegative() || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(
            "warm-up " + warmup + " must not be negative and duration " + duration + " must be positive");
      }
      // Keeps the timetable's arithmetic (request index x nanoseconds) within a long.
      if (warmup.plus(duration).toSeconds() * rate > MAX_REQUESTS) {
        throw new IllegalArgumentException("rate " + rate + " for " + warmup.plus(duration).toSeconds()
            + " s is more than " + MAX_REQUESTS + " requests in one run");
      }
    }

    /** {@return how long a run may take at most: warm-up + duration + {@link #GRACE}} */
    public Duration hardStop() {
      return warmup.plus(duration).plus(GRACE);
    }
  }

  /**
   * What a run measured. Latencies are in microseconds, from the intended send time to the end of the
   * response.
   *
   * @param settings what was run
   * @param count responses received to requests of the measured window (any status), each one recorded
   * @param errors requests of the measured window that failed (connection refused or reset, bad response)
   * @param non200 recorded responses whose status was not 200
   * @param incomplete requests of the measured window without a response or failure at the end of the run
   * @param achievedRps responses received during the measured window (whatever their intended time),
   *     per second
   * @param p50 the median latency
   * @param p90 the 90th percentile
   * @param p99 the 99th percentile
   * @param p999 the 99.9th percentile
   * @param max the largest latency
   * @param mean the mean latency
   * @param scheduleLagP99 the 99th percentile of how late the generator itself asked for a request after its
   *     intended time (before any wait for a connection): the generator's own share of the latencies
   * @param scheduleLagMax the largest such lag
   */
  public record Result(
      Settings settings,
      long count,
      long errors,
      long non200,
      long incomplete,
      double achievedRps,
      double p50,
      double p90,
      double p99,
      double p999,
      double max,
      double mean,
      double scheduleLagP99,
      double scheduleLagMax) {
    /**
     * {@return the result as one line of JSON} Its fields: {@code url}, {@code rate}, {@code connections},
     * {@code warmup_s}, {@code duration_s}, {@code count}, {@code errors}, {@code non_200},
     * {@code incomplete}, {@code achieved_rps}, {@code p50_us}, {@code p90_us}, {@code p99_us},
     * {@code p999_us}, {@code max_us}, {@code mean_us}, {@code schedule_lag_p99_us} and
     * {@code schedule_lag_max_us}.
     */
    public String toJson() {
      return new JsonObject()
          .put("url", "http://" + settings.host() + ":" + settings.port() + settings.path())
          .put("rate", settings.rate())
          .put("connections", settings.connections())
          .put("warmup_s", settings.warmup().toMillis() / 1000.0)
          .put("duration_s", settings.duration().toMillis() / 1000.0)
          .put("count", count)
          .put("errors", errors)
          .put("non_200", non200)
          .put("incomplete", incomplete)
          .put("achieved_rps", round(achievedRps))
          .put("p50_us", round(p50))
          .put("p90_us", round(p90))
          .put("p99_us", round(p99))
          .put("p999_us", round(p999))
          .put("max_us", round(max))
          .put("mean_us", round(mean))
          .put("schedule_lag_p99_us", round(scheduleLagP99))
          .put("schedule_lag_max_us", round(scheduleLagMax))
          .encode();
    }

    private static double round(double value) {
      return Math.round(value * 10.0) / 10.0;
    }
  }

  /**
   * Runs the load on its own HTTP client, on one event-loop context of {@code vertx}.
   *
   * @param vertx the Vert.x instance to run on; the run takes one of its event loops
   * @param settings what to run
   * @return the result, at the latest {@link Settings#hardStop()} after the call
   */
  public static Future<Result> run(Vertx vertx, Settings settings) {
    Context context = vertx.getOrCreateContext();
    Promise<Result> promise = Promise.promise();
    context.runOnContext(v -> new FixedRateRun(vertx, context, settings, promise).start());
    return promise.future();
  }

  /**
   * Runs the load and prints the result as one JSON line.
   *
   * @param args {@code --url URL --rate R [--connections N] [--warmup-s W] [--duration-s D] [--out FILE]}
   * @throws Exception if the result cannot be written to {@code --out}
   */
  public static void main(String[] args) throws Exception {
    CommandLine.run(USAGE, () -> {
      CommandLine options = CommandLine.parse("OpenLoopLoad", args, OPTIONS);
      URI url = parseUrl(options.required("url"));
      String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      if (url.getRawQuery() != null) {
        path += "?" + url.getRawQuery();
      }
      Settings settings = new Settings(
          url.getHost(),
          url.getPort() == -1 ? 80 : url.getPort(),
          path,
          options.integer("connections", 64, 1, 100_000),
          options.requiredInteger("rate", 1, 10_000_000),
          Duration.ofSeconds(options.integer("warmup-s", 10, 0, 3600)),
          Duration.ofSeconds(options.integer("duration-s", 20, 1, 3600)));
      String out = options.string("out", "");

      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
      CompletableFuture<Result> result = run(vertx, settings).toCompletionStage().toCompletableFuture();
      Result measured;
      try {
        measured = result.get(settings.hardStop().toMillis() + 5_000, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        System.err.println("OpenLoopLoad: the run did not finish: " + e);
        System.exit(2);
        return;
      }
      String json = measured.toJson();
      System.out.println(json);
      if (!out.isEmpty()) {
        Files.writeString(Path.of(out), json + "\n", StandardCharsets.UTF_8);
      }
      vertx.close().await(5, TimeUnit.SECONDS);
      System.exit(0);
    });
  }

  private static URI parseUrl(String text) {
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("OpenLoopLoad: option '--url': '" + text + "' is not a URL", e);
    }
    if (!"http".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "OpenLoopLoad: option '--url': '" + text + "' is not an http:// URL with a host");
    }
    return url;
  }

  /** One run. Every field but the two the timer thread reads is used on the run's event loop only. */
  private static final class FixedRateRun {
    private static final long HISTOGRAM_MAX_NANOS = TimeUnit.HOURS.toNanos(2);

    private final Vertx vertx;
    private final Context context;
    private final Settings settings;
    private final Promise<Result> promise;
    private final HttpClient client;
    private final RequestOptions request;
    private final long rate;
    private final long total;
    private final Histogram latency = new Histogram(HISTOGRAM_MAX_NANOS, 3);
    private final Histogram scheduleLag = new Histogram(HISTOGRAM_MAX_NANOS, 3);
    private final AtomicBoolean wakeupPending = new AtomicBoolean();

    private long start;
    private long measureStart;
    private long measureEnd;
    private long hardStopTimer;
    // Read by the timer thread.
    private volatile long sent;
    private volatile boolean finished;
    private long open;
    private long measuredSent;
    private long count;
    private long errors;
    private long non200;
    private long completedInWindow;

    FixedRateRun(Vertx vertx, Context context, Settings settings, Promise<Result> promise) {
      this.vertx = vertx;
      this.context = context;
      this.settings = settings;
      this.promise = promise;
      this.client = vertx.httpClientBuilder()
          .with(new HttpClientOptions().setKeepAlive(true).setPipelining(false).setConnectTimeout(5_000))
          .with(new PoolOptions().setHttp1MaxSize(settings.connections()))
          .build();
      this.request = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setHost(settings.host())
          .setPort(settings.port())
          .setURI(settings.path());
      this.rate = settings.rate();
      this.total = settings.warmup().plus(settings.duration()).toNanos() * rate / 1_000_000_000L;
    }

    /** The intended send time of request {@code i}. */
    private long intended(long i) {
      return start + i * 1_000_000_000L / rate;
    }

    private boolean measured(long intendedTime) {
      return intendedTime >= measureStart && intendedTime < measureEnd;
    }

    void start() {
      // A short head start, so that the timetable does not begin before the timer thread runs.
      start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
      measureStart = start + settings.warmup().toNanos();
      measureEnd = measureStart + settings.duration().toNanos();
      long hardStopMillis = TimeUnit.NANOSECONDS.toMillis(measureEnd + GRACE.toNanos() - System.nanoTime());
      hardStopTimer = vertx.setTimer(Math.max(1, hardStopMillis), id -> finish());
      Thread timer = new Thread(this::wakeEventLoopOnTime, "open-loop-timer");
      timer.setDaemon(true);
      timer.start();
    }

    /**
     * The timer thread: sleeps until the next request is due, then makes sure the event loop will send it, by
     * asking the event loop to send every due request unless such a request is already pending. The event loop
     * also sends due requests whenever a response completes, so when it is busy it needs no wake-up; and one
     * wake-up sends every request due by the time it runs, so the thread then moves past all of them.
     */
    private void wakeEventLoopOnTime() {
      long cursor = 0;
      while (!finished && cursor < total) {
        long now = System.nanoTime();
        long wait = intended(cursor) - now;
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue;
        }
        // A pending wake-up has not started yet (it clears the flag first), so it reads the clock after
        // `now` and sends `cursor` too.
        if (sent <= cursor && wakeupPending.compareAndSet(false, true)) {
          context.runOnContext(v -> {
            wakeupPending.set(false);
            sendDue();
          });
        }
        cursor = Math.max(cursor + 1, (now - start) * rate / 1_000_000_000L + 1);
      }
    }

    private void sendDue() {
      if (finished) {
        return;
      }
      long now = System.nanoTime();
      long i = sent;
      while (i < total) {
        long intendedTime = intended(i);
        if (intendedTime > now) {
          break;
        }
        send(intendedTime, now);
        i++;
      }
      sent = i;
    }

    private void send(long intendedTime, long now) {
      open++;
      boolean measured = measured(intendedTime);
      if (measured) {
        measuredSent++;
        scheduleLag.recordValue(Math.min(HISTOGRAM_MAX_NANOS, now - intendedTime));
      }
      // The response is read inside the request's own compose: chained after it, its body could end before
      // body() is called when the future completes on another thread (Vert.x's documented race, #4705).
      client.request(request)
          .compose(sending -> sending.send().compose(response -> response.body().map(body -> response.statusCode())))
          .onComplete(outcome -> complete(intendedTime, measured, outcome));
    }

    private void complete(long intendedTime, boolean measured, AsyncResult<Integer> outcome) {
      long now = System.nanoTime();
      open--;
      if (finished) {
        return;
      }
      if (outcome.succeeded()) {
        if (now >= measureStart && now < measureEnd) {
          completedInWindow++;
        }
        if (measured) {
          count++;
          latency.recordValue(Math.min(HISTOGRAM_MAX_NANOS, now - intendedTime));
          if (outcome.result() != 200) {
            non200++;
          }
        }
      } else if (measured) {
        errors++;
      }
      sendDue();
      if (sent >= total && open == 0) {
        finish();
      }
    }

    private void finish() {
      if (finished) {
        return;
      }
      finished = true;
      vertx.cancelTimer(hardStopTimer);
      // Requests of the window never sent (the generator fell behind its hard stop) are incomplete too.
      long expected = measuredSent;
      for (long i = sent; i < total; i++) {
        if (measured(intended(i))) {
          expected++;
        }
      }
      double seconds = settings.duration().toNanos() / 1e9;
      Result result = new Result(
          settings,
          count,
          errors,
          non200,
          expected - count - errors,
          completedInWindow / seconds,
          micros(latency, 50.0),
          micros(latency, 90.0),
          micros(latency, 99.0),
          micros(latency, 99.9),
          latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0,
          latency.getTotalCount() == 0 ? 0 : latency.getMean() / 1000.0,
          micros(scheduleLag, 99.0),
          scheduleLag.getTotalCount() == 0 ? 0 : scheduleLag.getMaxValue() / 1000.0);
      client.close().onComplete(closed -> promise.complete(result));
    }

    private static double micros(Histogram histogram, double percentile) {
      return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
  }
}
