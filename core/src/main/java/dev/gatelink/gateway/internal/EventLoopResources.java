package dev.gatelink.gateway.internal;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What the gateway keeps per event loop: the backend connector, the deadlines and the connection pools of
 * that loop. Used only from its loop's thread, so it needs no lock; one periodic tick drives the deadlines,
 * closes idle connections and drops pools that no request asked for since the idle timeout (the endpoints a
 * target no longer hands out, or that went quiet): a pool is made again on demand.
 */
final class EventLoopResources {
  /** Idle connections and unused pools are looked for every this many deadline ticks (100 ms). */
  private static final int IDLE_SWEEP_TICKS = 10;

  final ContextInternal context;
  final BackendConnector connector;
  final Deadlines deadlines = new Deadlines();
  private final Map<EndpointConnections.Key, EndpointConnections> pools = new HashMap<>();
  private final int maxConnectionsPerEndpoint;
  private final long idleTimeoutNanos;
  private final long ticker;
  private long ticks;

  EventLoopResources(Vertx vertx, ContextInternal context, BackendConnector connector,
      int maxConnectionsPerEndpoint, long idleTimeoutNanos) {
    this.context = context;
    this.connector = connector;
    this.maxConnectionsPerEndpoint = maxConnectionsPerEndpoint;
    this.idleTimeoutNanos = idleTimeoutNanos;
    this.ticker = vertx.setPeriodic(Deadlines.TICK_MILLIS, id -> tick());
  }

  private void tick() {
    deadlines.tick();
    if (++ticks % IDLE_SWEEP_TICKS == 0) {
      long idleBefore = deadlines.now - idleTimeoutNanos;
      Iterator<EndpointConnections> all = pools.values().iterator();
      while (all.hasNext()) {
        EndpointConnections pool = all.next();
        pool.closeIdle(idleBefore);
        if (pool.unusedSince(idleBefore)) {
          all.remove();
        }
      }
    }
  }

  /** {@return the pool of this loop for one endpoint, made on first use} */
  EndpointConnections connections(EndpointConnections.Key key) {
    EndpointConnections pool = pools.get(key);
    if (pool == null) {
      pool = new EndpointConnections(connector, key, maxConnectionsPerEndpoint);
      pools.put(key, pool);
    }
    return pool;
  }

  /** {@return how many pools this loop holds} */
  int poolCount() {
    return pools.size();
  }

  /** Stops the tick and closes every pool's idle connections (busy ones close when their request ends). */
  void close(Vertx vertx) {
    vertx.cancelTimer(ticker);
    for (EndpointConnections pool : pools.values()) {
      pool.closeAll();
    }
  }
}
