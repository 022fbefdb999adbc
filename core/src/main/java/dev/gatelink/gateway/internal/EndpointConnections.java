package dev.gatelink.gateway.internal;

import io.netty.handler.ssl.SslContext;

import dev.gatelink.target.Endpoint;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * The kept-alive HTTP/1.1 connections of one event loop to one endpoint (with one TLS name and authority):
 * idle connections on a stack (the most recently used first), at most {@code max} open, and the exchanges
 * waiting for one in arrival order.
 *
 * <p>Used only from its event loop's thread, so it is a field read, an array deque and a counter, with no
 * lock, no shared map and no future per request. Connections idle longer than the idle timeout are closed by
 * {@link #closeIdle}, from the oldest (the bottom of the stack).
 */
final class EndpointConnections {
  /** Connection options that identify a pool: where to dial, the TLS name or authority, TLS or not. */
  record Key(Endpoint endpoint, String host, int port, boolean ssl, @Nullable SslContext sslContext) {}

  private final BackendConnector connector;
  private final Key key;
  private final InetSocketAddress address;
  /** The authority of the backend: the Host header for a request that has none. */
  private final String authority;
  private final int max;
  private final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<BackendEvents> waiters = new ArrayDeque<>();
  private int open;
  private boolean shut;
  /** When a request last asked this pool for a connection, in its loop's tick time. */
  private long lastUsed;

  EndpointConnections(BackendConnector connector, Key key, int max) {
    this.connector = connector;
    this.key = key;
    this.max = max;
    this.address = BackendConnector.address(key.endpoint().host(), key.endpoint().port());
    this.authority = key.port() == (key.ssl() ? 443 : 80) ? key.host() : key.host() + ":" + key.port();
  }

  /**
   * Hands a connection to {@code exchange} with {@link BackendEvents#acquired}: an idle one now, a new one once
   * connected, or the next one released; or tells it {@link BackendEvents#backendFailed} if connecting fails.
   */
  void acquire(BackendEvents exchange, long now) {
    lastUsed = now;
    BackendConnection connection;
    while ((connection = idle.pollFirst()) != null) {
      if (connection.isOpen()) {
        exchange.acquired(connection);
        return;
      }
    }
    if (open < max) {
      connect(exchange);
    } else {
      waiters.addLast(exchange);
    }
  }

  /** Gives back a connection whose request and response are both complete and that stays open. */
  void release(BackendConnection connection, long now) {
    connection.unassign();
    if (shut || !connection.isOpen()) {
      connection.close();
      return;
    }
    BackendEvents waiter = waiters.pollFirst();
    if (waiter != null) {
      waiter.acquired(connection);
    } else {
      connection.idleSince = now;
      idle.addFirst(connection);
    }
  }

  private void connect(BackendEvents exchange) {
    open++;
    connector.connect(address, key.ssl() ? key.host() : null, key.port(), key.sslContext(), new BackendConnection(this, authority),
        (connection, failure) -> {
          if (connection == null) {
            open--;
            exchange.backendFailed(failure != null ? failure : new IllegalStateException("no connection"));
            connectForWaiter();
            return;
          }
          connection.counted = true;
          if (!connection.isOpen()) {
            closed(connection);
            exchange.backendFailed(new java.nio.channels.ClosedChannelException());
            return;
          }
          exchange.acquired(connection);
        });
  }

  /** Forgets a connection whose channel closed, and lets a waiting exchange connect in its place. */
  void closed(BackendConnection connection) {
    if (!connection.counted) {
      return;
    }
    connection.counted = false;
    open--;
    idle.remove(connection);
    connectForWaiter();
  }

  private void connectForWaiter() {
    BackendEvents waiter;
    if (open < max && (waiter = waiters.pollFirst()) != null) {
      connect(waiter);
    }
  }

  /** Cancels a wait that is no longer wanted (the exchange ended before a connection came). */
  void cancel(BackendEvents exchange) {
    waiters.remove(exchange);
  }

  /** Closes the connections idle since before {@code idleBefore} (tick time). */
  void closeIdle(long idleBefore) {
    BackendConnection oldest;
    while ((oldest = idle.peekLast()) != null && oldest.idleSince - idleBefore < 0) {
      idle.pollLast();
      oldest.close();
    }
  }

  /**
   * Whether the pool holds nothing and was not asked for a connection since {@code unusedBefore} (tick time):
   * it can be dropped, and is made again if a target hands out its endpoint again.
   */
  boolean unusedSince(long unusedBefore) {
    return open == 0 && waiters.isEmpty() && lastUsed - unusedBefore < 0;
  }

  /** {@return the backend's authority: the Host header for a request that has none} */
  String authority() {
    return authority;
  }

  /** Closes every idle connection, and each busy one when its exchange ends. */
  void closeAll() {
    shut = true;
    BackendConnection connection;
    while ((connection = idle.pollFirst()) != null) {
      connection.close();
    }
  }

  @Override
  public String toString() {
    return "EndpointConnections[" + key.endpoint() + ", open " + open + ", idle " + idle.size() + ", waiting "
        + waiters.size() + "]";
  }
}
