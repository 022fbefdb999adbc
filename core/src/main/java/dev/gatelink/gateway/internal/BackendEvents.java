package dev.gatelink.gateway.internal;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * How a pool and a backend connection call back the request that uses them: the small interface that keeps
 * {@link EndpointConnections} and {@link BackendConnection} from knowing the {@link Exchange}. Every call
 * comes on the event loop of the request.
 */
interface BackendEvents {
  /** A connection is ready for this request: send the head and start streaming the body. */
  void acquired(BackendConnection connection);

  /** Connecting, the TLS handshake, a write or a read failed, or the connection closed. */
  void backendFailed(Throwable cause);

  /** The head of the backend's final response (informational responses are skipped). */
  void backendHead(HttpResponse head);

  /** A piece of the response body; {@code last} with its end. */
  void backendContent(HttpContent content, boolean last);

  /** The end of a read from the backend's socket. */
  void backendReadComplete();

  /** The backend's socket can take more of the request body. */
  void backendWritable();
}
