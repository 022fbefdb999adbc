package dev.gatelink.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gatelink.config.AccessLogSettings;
import dev.gatelink.testlog.CapturingSlf4jProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * {@link AccessLogWriter}: lines in order, drops counted and reported at most once per interval, close drains,
 * and the SLF4J loggers the lines and warnings go to.
 */
class AccessLogWriterUnitTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<AccessLogWriter> writers = new ArrayList<>();

  /** A sink that blocks on each line until the test lets it go on, telling the test which line it holds. */
  private final BlockingQueue<String> entered = new LinkedBlockingQueue<>();
  private final Semaphore gate = new Semaphore(0);
  private final Consumer<String> gatedSink = line -> {
    entered.add(line);
    gate.acquireUninterruptibly();
    delivered.add(line);
  };

  @AfterEach
  void closeWriters() {
    gate.release(1_000_000);
    writers.forEach(AccessLogWriter::close);
  }

  private AccessLogWriter writer(int capacity, Consumer<String> sink) {
    AccessLogWriter writer = new AccessLogWriter("test", capacity, sink, warnings::add, INTERVAL, clock::get);
    writers.add(writer);
    return writer;
  }

  /** Makes the writer's thread hold {@code line} in the gated sink. */
  private void holdThread(AccessLogWriter writer, String line) throws InterruptedException {
    assertThat(writer.write(line)).isTrue();
    // Lines let through before this one entered the sink too: skip them.
    String held;
    do {
      held = entered.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    } while (held != null && !held.equals(line));
    assertThat(held).isEqualTo(line);
  }

  private static List<String> lines(String prefix, int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(prefix + i);
    }
    return lines;
  }

  // Delivery

  @Test
  void linesAreDeliveredInOrder() {
    AccessLogWriter writer = writer(AccessLogWriter.DEFAULT_CAPACITY, delivered::add);
    List<String> lines = lines("line ", 5_000);

    lines.forEach(line -> assertThat(writer.write(line)).isTrue());
    writer.close();

    assertThat(delivered).containsExactlyElementsOf(lines);
    assertThat(writer.dropped()).isZero();
    assertThat(writer.pending()).isZero();
    assertThat(warnings).isEmpty();
  }

  @Test
  void idleThreadIsWokenByTheNextLine() {
    AccessLogWriter writer = writer(16, delivered::add);
    writer.write("one");
    await().atMost(WAIT).until(() -> delivered.size() == 1);
    await().atMost(WAIT).until(() -> writer.thread().getState() == Thread.State.WAITING);

    writer.write("two");

    await().atMost(WAIT).until(() -> delivered.size() == 2);
    assertThat(delivered).containsExactly("one", "two");
  }

  @Test
  void linesOfConcurrentWritersKeepEachWritersOrder() throws InterruptedException {
    AccessLogWriter writer = writer(1_000_000, delivered::add);
    int writersCount = 4;
    int perWriter = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writersCount; w++) {
      String prefix = "w" + w + " ";
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        lines(prefix, perWriter).forEach(writer::write);
      });
      thread.start();
      threads.add(thread);
    }

    start.countDown();
    for (Thread thread : threads) {
      thread.join(WAIT.toMillis());
    }
    writer.close();

    assertThat(delivered).hasSize(writersCount * perWriter);
    for (int w = 0; w < writersCount; w++) {
      String prefix = "w" + w + " ";
      assertThat(delivered.stream().filter(line -> line.startsWith(prefix))).containsExactlyElementsOf(
          lines(prefix, perWriter));
    }
  }

  @Test
  void sinkThatThrowsLosesOnlyThatLine() {
    AccessLogWriter writer = writer(16, line -> {
      if (line.equals("bad")) {
        throw new IllegalStateException("backend down");
      }
      delivered.add(line);
    });

    writer.write("a");
    writer.write("bad");
    writer.write("b");
    writer.close();

    assertThat(delivered).containsExactly("a", "b");
  }

  @Test
  void capacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new AccessLogWriter("test", 0, delivered::add, warnings::add, INTERVAL, clock::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity 0 is out of range: expected 1 or more");
  }

  @Test
  void threadIsADaemonNamedAfterTheWriter() {
    AccessLogWriter writer = writer(16, delivered::add);

    assertThat(writer.thread().isDaemon()).isTrue();
    assertThat(writer.thread().getName()).isEqualTo("gatelink-access-log-test");
  }

  // Drops

  @Test
  void fullQueueDropsLinesAndCountsThem() throws InterruptedException {
    AccessLogWriter writer = writer(4, gatedSink);
    holdThread(writer, "held");

    for (String line : lines("queued ", 4)) {
      assertThat(writer.write(line)).isTrue();
    }
    boolean fifth = writer.write("dropped 0");
    boolean sixth = writer.write("dropped 1");

    assertThat(fifth).isFalse();
    assertThat(sixth).isFalse();
    assertThat(writer.dropped()).isEqualTo(2);
    assertThat(writer.pending()).isEqualTo(4);

    gate.release(5);
    await().atMost(WAIT).until(() -> warnings.size() == 1);

    assertThat(delivered).containsExactly("held", "queued 0", "queued 1", "queued 2", "queued 3");
    assertThat(warnings).containsExactly(
        "access log: dropped 2 lines since the last report: the queue of 4 lines was full");
  }

  @Test
  void dropsAreReportedAtMostOncePerInterval() throws InterruptedException {
    AccessLogWriter writer = writer(2, gatedSink);
    // Round 1: the first report is made at once.
    holdThread(writer, "r1");
    writer.write("r1 a");
    writer.write("r1 b");
    writer.write("r1 dropped");
    gate.release(3);
    await().atMost(WAIT).until(() -> warnings.size() == 1);

    // Round 2, within the interval: counted, not reported.
    clock.addAndGet(INTERVAL.toNanos() - 1);
    holdThread(writer, "r2");
    writer.write("r2 a");
    writer.write("r2 b");
    writer.write("r2 dropped 1");
    writer.write("r2 dropped 2");
    gate.release(3);
    await().atMost(WAIT).until(() -> delivered.size() == 6);
    gate.release(1);
    writer.write("probe");
    await().atMost(WAIT).until(() -> delivered.size() == 7);
    assertThat(warnings).hasSize(1);

    // Once the interval has passed, the next line brings the report of what was dropped since.
    clock.addAndGet(1);
    gate.release(1);
    writer.write("r3");
    await().atMost(WAIT).until(() -> warnings.size() == 2);

    assertThat(warnings).containsExactly(
        "access log: dropped 1 line since the last report: the queue of 2 lines was full",
        "access log: dropped 2 lines since the last report: the queue of 2 lines was full");
    assertThat(writer.dropped()).isEqualTo(3);
  }

  @Test
  void closeReportsDropsTheIntervalHeldBack() throws InterruptedException {
    AccessLogWriter writer = writer(1, gatedSink);
    holdThread(writer, "a");
    writer.write("b");
    writer.write("dropped");
    gate.release(2);
    await().atMost(WAIT).until(() -> warnings.size() == 1);
    holdThread(writer, "c");
    writer.write("d");
    writer.write("dropped again");
    gate.release(2);

    writer.close();

    assertThat(delivered).containsExactly("a", "b", "c", "d");
    assertThat(warnings).containsExactly(
        "access log: dropped 1 line since the last report: the queue of 1 line was full",
        "access log: dropped 1 line since the last report: the queue of 1 line was full");
  }

  // Close

  @Test
  void closeWritesEveryQueuedLineAndStopsTheThread() throws InterruptedException {
    AccessLogWriter writer = writer(10_000, gatedSink);
    holdThread(writer, "held");
    List<String> queued = lines("queued ", 10_000);
    queued.forEach(writer::write);
    gate.release(10_001);

    writer.close();

    assertThat(delivered).hasSize(10_001).startsWith("held").endsWith("queued 9999");
    assertThat(delivered.subList(1, 10_001)).containsExactlyElementsOf(queued);
    assertThat(writer.pending()).isZero();
    assertThat(writer.thread().isAlive()).isFalse();
  }

  @Test
  void lineWrittenAfterCloseIsRefusedAndNotCounted() {
    AccessLogWriter writer = writer(16, delivered::add);
    writer.close();

    assertThat(writer.write("late")).isFalse();
    assertThat(writer.dropped()).isZero();
    assertThat(delivered).isEmpty();
  }

  @Test
  void closingTwiceIsHarmless() {
    AccessLogWriter writer = writer(16, delivered::add);
    writer.write("a");

    writer.close();
    writer.close();

    assertThat(delivered).containsExactly("a");
    assertThat(writer.thread().isAlive()).isFalse();
  }

  // SLF4J

  @Test
  void linesGoToTheAccessLogLoggerAtInfo() {
    CapturingSlf4jProvider.clear();
    AccessLogWriter writer = AccessLogWriter.start("slf4j");
    writers.add(writer);

    writer.write("{\"requestId\":\"a\"}");
    writer.write("line with {} braces");
    writer.close();

    assertThat(CapturingSlf4jProvider.events(AccessLogSettings.LOGGER_NAME)).containsExactly(
        new CapturingSlf4jProvider.Event("dev.gatelink.accesslog", Level.INFO, "{\"requestId\":\"a\"}"),
        new CapturingSlf4jProvider.Event("dev.gatelink.accesslog", Level.INFO, "line with {} braces"));
  }

  @Test
  void dropWarningsGoToTheWritersLoggerAtWarn() {
    CapturingSlf4jProvider.clear();
    AccessLogWriter writer = AccessLogWriter.start("slf4j-drops", 1);
    writers.add(writer);
    int written = 0;
    while (writer.dropped() == 0 && written < 10_000_000) {
      writer.write("line " + written++);
    }
    writer.close();

    List<String> messages = CapturingSlf4jProvider.messages(AccessLogWriter.WARNING_LOGGER_NAME, Level.WARN);
    Pattern report = Pattern.compile(
        "access log: dropped (\\d+) lines? since the last report: the queue of 1 line was full");
    long reported = 0;
    for (String message : messages) {
      Matcher matcher = report.matcher(message);
      assertThat(matcher.matches()).as(message).isTrue();
      reported += Long.parseLong(matcher.group(1));
    }
    assertThat(writer.dropped()).isPositive();
    assertThat(reported).isEqualTo(writer.dropped());
    assertThat(CapturingSlf4jProvider.events(AccessLogSettings.LOGGER_NAME)).hasSize(
        (int) (written - writer.dropped()));
    assertThat(CapturingSlf4jProvider.events(AccessLogWriter.WARNING_LOGGER_NAME)).hasSameSizeAs(messages);
  }
}
