package dev.gatelink.nlb.passthrough;

import io.vertx.core.transport.Transport;

/** The passthrough listener on Vert.x's NIO transport: bytes are copied through pooled buffers. */
class PassthroughListenerOnNioTest extends PassthroughListenerTest {
  PassthroughListenerOnNioTest() {
    super(Transport.NIO, "NIO");
  }
}
