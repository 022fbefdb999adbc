package dev.gatelink.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;

/**
 * The Vert.x instance of the end-to-end tests, on the Netty transport that the system property
 * {@value #PROPERTY} names: {@code nio} (Vert.x's default, and this property's), {@code epoll} or
 * {@code io_uring}. The build runs the {@code Gateway*Test} classes once per transport (core/pom.xml), since
 * the gateway's backend connections use whichever transport the application's Vert.x has.
 */
final class TestVertx {
  /** The system property naming the transport. */
  static final String PROPERTY = "gatelink.test.transport";

  private TestVertx() {}

  /**
   * {@return a new Vert.x instance on the transport the property names}
   *
   * @throws IllegalStateException if the property names an unknown transport or one that cannot run here: a
   *     test run that asks for a transport must get it, never silently another
   */
  static Vertx create() {
    String name = System.getProperty(PROPERTY, "nio");
    Transport transport = switch (name) {
      case "nio" -> Transport.NIO;
      case "epoll" -> Transport.EPOLL;
      case "io_uring" -> Transport.IO_URING;
      default -> throw new IllegalStateException(
          PROPERTY + "='" + name + "': expected nio, epoll or io_uring");
    };
    if (transport == null || !transport.available()) {
      throw new IllegalStateException(PROPERTY + "='" + name + "' cannot run here",
          transport == null ? null : transport.unavailabilityCause());
    }
    return Vertx.builder().withTransport(transport).build();
  }
}
