package dev.gatelink.gateway;

import dev.gatelink.target.Endpoint;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import java.util.ArrayDeque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The kept-alive HTTP/1.1 connections of one event loop to one endpoint (with one TLS name and authority):
 * idle connections on a stack (the most recently used first), at most {@code max} open, and the requests
 * waiting for one in arrival order.
 *
 * <p>Vert.x's own pool does the same, but a request goes through a shared resource map, a key made per
 * request, a lock-free combiner and several futures; this pool is a field read, an array deque and a
 * counter, because it is used only from its event loop's thread. Connections are made with
 * {@link HttpClientAgent#connect}, so they live on this event loop.
 */
final class EndpointConnections {
  /** Connection options that identify a pool: where to dial, the TLS name or authority, TLS or not. */
  record Key(Endpoint endpoint, String host, int port, boolean ssl) {}

  private final HttpClientAgent client;
  private final HttpConnectOptions connectOptions;
  private final int max;
  private final ArrayDeque<HttpClientConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<Handler<AsyncResult<HttpClientConnection>>> waiters = new ArrayDeque<>();
  private int open;

  EndpointConnections(HttpClientAgent client, Key key, int max) {
    this.client = client;
    this.max = max;
    this.connectOptions = new HttpConnectOptions()
        .setServer(key.endpoint().socketAddress())
        .setHost(key.host())
        .setPort(key.port())
        .setSsl(key.ssl())
        // A connection is made for the pool, not for one request: the waiting exchange's own deadline cuts
        // its wait, and a connection that comes late serves the next request.
        .setConnectTimeout(Integration.DEFAULT_TIMEOUT.toMillis());
  }

  /** Hands a connection to {@code handler}: an idle one now, a new one once connected, or the next released. */
  void acquire(Handler<AsyncResult<HttpClientConnection>> handler) {
    HttpClientConnection connection = idle.pollFirst();
    if (connection != null) {
      handler.handle(Future.succeededFuture(connection));
    } else if (open < max) {
      connect(handler);
    } else {
      waiters.addLast(handler);
    }
  }

  /** Gives back a connection whose request and response are both complete and that stays open. */
  void release(HttpClientConnection connection) {
    Handler<AsyncResult<HttpClientConnection>> waiter = waiters.pollFirst();
    if (waiter != null) {
      waiter.handle(Future.succeededFuture(connection));
    } else {
      idle.addFirst(connection);
    }
  }

  /** Forgets a connection that is being closed (it was reset, or the backend asked to close it). */
  void discard(HttpClientConnection connection) {
    connection.close();
  }

  private void connect(Handler<AsyncResult<HttpClientConnection>> handler) {
    open++;
    client.connect(connectOptions).onComplete(result -> {
      if (result.failed()) {
        open--;
        handler.handle(Future.failedFuture(result.cause()));
        connectForWaiter();
        return;
      }
      HttpClientConnection connection = result.result();
      connection.closeHandler(v -> closed(connection));
      handler.handle(result);
    });
  }

  private void closed(HttpClientConnection connection) {
    open--;
    idle.remove(connection);
    connectForWaiter();
  }

  private void connectForWaiter() {
    Handler<AsyncResult<HttpClientConnection>> waiter;
    if (open < max && (waiter = waiters.pollFirst()) != null) {
      connect(waiter);
    }
  }

  /** Cancels a wait that is no longer wanted (the exchange ended before a connection came). */
  void cancel(@Nullable Handler<AsyncResult<HttpClientConnection>> handler) {
    if (handler != null) {
      waiters.remove(handler);
    }
  }

  @Override
  public String toString() {
    return "EndpointConnections[" + Objects.toString(connectOptions.getServer()) + ", open " + open + ", idle "
        + idle.size() + ", waiting " + waiters.size() + "]";
  }
}
