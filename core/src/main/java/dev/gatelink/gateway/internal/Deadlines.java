package dev.gatelink.gateway.internal;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The integration timeouts of one event loop, without a timer per request. Exchanges wait in one FIFO queue
 * per timeout value; since every exchange in a queue got the same timeout, their deadlines are in order, and
 * a periodic tick on the loop only looks at each queue's head. An exchange that finished is dropped when it
 * reaches the head; cancelling costs nothing. Deadlines fire within one tick after they pass.
 *
 * <p>Used only from its event loop's thread.
 */
final class Deadlines {
  /** How often the queues are checked; the precision of every timeout. */
  static final long TICK_MILLIS = 10;

  private TimeoutQueue[] queues = new TimeoutQueue[0];
  /** The time of the last tick (or of the last {@link #start}); exchanges stamp their activity with it. */
  long now = System.nanoTime();

  /** Something with a deadline: {@code timeoutNanos} after its last activity. */
  interface Timed {
    /** {@return when it last moved, in tick time} */
    long lastActivity();

    /** {@return true once it needs no deadline any more} */
    boolean finished();

    /** Called on the loop once its deadline passed; it may queue itself again with {@link #add}. */
    void deadlinePassed(long now);
  }

  /** Queues an exchange whose deadline is {@code timeoutNanos} after its last activity. */
  void add(Timed timed, long timeoutNanos) {
    queue(timeoutNanos).addLast(timed);
  }

  /**
   * Starts a clock: the deadline is {@code timeoutNanos} after {@link Timed#lastActivity()}, which the caller
   * sets to the returned time.
   *
   * @return the current time, in tick time
   */
  long start(Timed timed, long timeoutNanos) {
    now = System.nanoTime();
    queue(timeoutNanos).addLast(timed);
    return now;
  }

  void tick() {
    long time = System.nanoTime();
    now = time;
    for (TimeoutQueue queue : queues) {
      Timed head;
      while ((head = queue.exchanges.peekFirst()) != null
          && (head.finished() || head.lastActivity() + queue.timeoutNanos - time <= 0)) {
        queue.exchanges.pollFirst();
        if (!head.finished()) {
          head.deadlinePassed(time);
        }
      }
    }
  }

  private ArrayDeque<Timed> queue(long timeoutNanos) {
    for (TimeoutQueue queue : queues) {
      if (queue.timeoutNanos == timeoutNanos) {
        return queue.exchanges;
      }
    }
    TimeoutQueue added = new TimeoutQueue(timeoutNanos);
    TimeoutQueue[] more = Arrays.copyOf(queues, queues.length + 1);
    more[queues.length] = added;
    queues = more;
    return added.exchanges;
  }

  /** The exchanges of one timeout value, oldest deadline first. */
  private static final class TimeoutQueue {
    final long timeoutNanos;
    final ArrayDeque<Timed> exchanges = new ArrayDeque<>();

    TimeoutQueue(long timeoutNanos) {
      this.timeoutNanos = timeoutNanos;
    }
  }
}
