package dev.gatelink.gateway.internal;

import dev.gatelink.config.AccessLogSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands access log lines from the event loops to the SLF4J logger {@value AccessLogSettings#LOGGER_NAME}
 * (INFO) on one background daemon thread, so a slow logging backend never blocks an event loop.
 *
 * <p>The hand-off is lock-free and bounded: {@link #write} puts the line on a {@link ConcurrentLinkedQueue}
 * when fewer than {@code capacity} lines wait, counted by an {@link AtomicInteger}, and wakes the thread with
 * {@link LockSupport#unpark} only when it sleeps. A line that finds the queue full is dropped and counted; the
 * writer reports the lines it dropped with a WARN on the logger {@value #WARNING_LOGGER_NAME} (not on the
 * access log's own logger, so a JSON log stays JSON), at most once per warning interval, and once more when it
 * closes. {@link #close()} stops taking lines, writes every line already taken, and stops the thread.
 *
 * <p>A line written while {@code close()} runs may be lost. A logging backend that throws loses that line
 * only.
 */
final class AccessLogWriter implements AutoCloseable {
  /** The logger of the writer's own warnings (lines it dropped). */
  static final String WARNING_LOGGER_NAME = "dev.gatelink.gateway.AccessLogWriter";
  /** Lines that may wait for the writer's thread before more are dropped. */
  static final int DEFAULT_CAPACITY = 8192;
  /** The least time between two warnings about dropped lines. */
  static final Duration DEFAULT_WARNING_INTERVAL = Duration.ofSeconds(10);
  /** How long {@link #close()} waits for the thread to write what is queued. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private static final long NEVER = Long.MIN_VALUE;

  private final int capacity;
  private final Consumer<String> lines;
  private final Consumer<String> warnings;
  private final long warningIntervalNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean sleeping = new AtomicBoolean();
  private volatile boolean closed;
  private final Thread thread;

  // Only the writer's thread touches these.
  private long reported;
  private long lastWarningNanos = NEVER;

  /**
   * A writer to SLF4J with the default capacity and warning interval.
   *
   * @param name the end of the thread's name ({@code gatelink-access-log-<name>}), such as the gateway's api id
   */
  static AccessLogWriter start(String name) {
    return start(name, DEFAULT_CAPACITY);
  }

  /** A writer to SLF4J. */
  static AccessLogWriter start(String name, int capacity) {
    Logger accessLog = LoggerFactory.getLogger(AccessLogSettings.LOGGER_NAME);
    Logger warningLog = LoggerFactory.getLogger(WARNING_LOGGER_NAME);
    return new AccessLogWriter(name, capacity, accessLog::info, warningLog::warn, DEFAULT_WARNING_INTERVAL,
        System::nanoTime);
  }

  /**
   * A writer with its own destinations, for tests.
   *
   * @param lines takes each line, on the writer's thread
   * @param warnings takes each warning, on the writer's thread
   * @param nanoTime the clock of the warning interval
   */
  AccessLogWriter(String name, int capacity, Consumer<String> lines, Consumer<String> warnings,
      Duration warningInterval, LongSupplier nanoTime) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity + " is out of range: expected 1 or more");
    }
    this.capacity = capacity;
    this.lines = Objects.requireNonNull(lines, "lines");
    this.warnings = Objects.requireNonNull(warnings, "warnings");
    this.warningIntervalNanos = warningInterval.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.thread = new Thread(this::run, "gatelink-access-log-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a line for the logger; never blocks.
   *
   * @return false if the line was dropped: the queue was full (the line is counted) or the writer is closed
   */
  boolean write(String line) {
    if (closed) {
      return false;
    }
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return false;
    }
    queue.offer(line);
    if (sleeping.get() && sleeping.compareAndSet(true, false)) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /** {@return the lines dropped because the queue was full, since the writer started} */
  long dropped() {
    return dropped.get();
  }

  /** {@return the lines waiting for the writer's thread} */
  int pending() {
    return queued.get();
  }

  /** {@return the writer's thread, for tests} */
  Thread thread() {
    return thread;
  }

  /**
   * Stops taking lines, writes those already queued and stops the thread, waiting up to
   * {@link #CLOSE_TIMEOUT}. Blocks: not for an event loop. Closing twice does nothing more.
   */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      thread.join(CLOSE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      drain();
      if (closed) {
        // A write that passed its closed check before close() may have queued after the drain above.
        drain();
        reportDrops(true);
        return;
      }
      reportDrops(false);
      sleeping.set(true);
      if (!queue.isEmpty() || closed) {
        sleeping.set(false);
        continue;
      }
      long unreported = dropped.get() - reported;
      if (unreported > 0) {
        // Wake up to report the drops once the interval has passed, even if no more lines come.
        long wait = lastWarningNanos == NEVER ? 0 : warningIntervalNanos - (nanoTime.getAsLong() - lastWarningNanos);
        LockSupport.parkNanos(this, Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1)));
      } else {
        LockSupport.park(this);
      }
      sleeping.set(false);
    }
  }

  private void drain() {
    String line;
    while ((line = queue.poll()) != null) {
      queued.decrementAndGet();
      try {
        lines.accept(line);
      } catch (RuntimeException e) {
        // A logging backend that throws loses this line, not the writer.
      }
    }
  }

  private void reportDrops(boolean closing) {
    long total = dropped.get();
    long unreported = total - reported;
    if (unreported == 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (!closing && lastWarningNanos != NEVER && now - lastWarningNanos < warningIntervalNanos) {
      return;
    }
    reported = total;
    lastWarningNanos = now;
    try {
      warnings.accept("access log: dropped " + unreported + (unreported == 1 ? " line" : " lines")
          + " since the last report: the queue of " + capacity + (capacity == 1 ? " line" : " lines")
          + " was full");
    } catch (RuntimeException e) {
      // As for lines.
    }
  }

  @Override
  public String toString() {
    return "AccessLogWriter[" + thread.getName() + ", " + queued.get() + " queued, " + dropped.get() + " dropped]";
  }
}
