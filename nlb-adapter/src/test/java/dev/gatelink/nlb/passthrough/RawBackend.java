package dev.gatelink.nlb.passthrough;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A plain TCP backend driven by the test thread: what the listener sends is read byte for byte, and each side can
 * be shut on its own. Connections wait in the backlog until {@link #accept()}, so a test connects its client
 * first and accepts after.
 */
final class RawBackend implements AutoCloseable {
  private final ServerSocket server;

  RawBackend() throws IOException {
    this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
    server.setSoTimeout(10_000);
  }

  int port() {
    return server.getLocalPort();
  }

  /** {@return the next connection from the listener, waiting up to 10 s; its reads time out after 10 s} */
  Socket accept() throws IOException {
    Socket socket = server.accept();
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** {@return exactly {@code length} bytes, or fails if the stream ends or stays silent 10 s first} */
  static byte[] read(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new AssertionError("stream ended after " + bytes.length + " bytes, expected " + length);
    }
    return bytes;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
