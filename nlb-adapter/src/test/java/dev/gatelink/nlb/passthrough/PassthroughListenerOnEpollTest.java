package dev.gatelink.nlb.passthrough;

import io.vertx.core.transport.Transport;

/**
 * The passthrough listener on Vert.x's native epoll transport: once the ClientHello is passed on, bytes are spliced.
 * Fails, rather than skips, where epoll cannot run.
 */
class PassthroughListenerOnEpollTest extends PassthroughListenerTest {
  PassthroughListenerOnEpollTest() {
    super(Transport.EPOLL, "epoll");
  }
}
