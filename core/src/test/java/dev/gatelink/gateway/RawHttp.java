package dev.gatelink.gateway;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Bytes on a plain socket, for requests no HTTP client would send. The answer is read until the server
 * closes the connection or one whole response with a Content-Length has arrived.
 */
final class RawHttp {
  private RawHttp() {}

  /** Sends the text on a new connection, then reads one response (at most 10 s). */
  static String exchange(int port, String request) throws Exception {
    try (Socket socket = open(port)) {
      return exchange(socket, request);
    }
  }

  /** A loopback connection whose reads give up after 10 s, for several exchanges in a row. */
  static Socket open(int port) throws Exception {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Sends the text on an open connection, then reads one response, leaving the connection open. */
  static String exchange(Socket socket, String request) throws Exception {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int read;
    while ((read = in.read(buffer)) >= 0) {
      out.write(buffer, 0, read);
      if (complete(out.toString(StandardCharsets.ISO_8859_1))) {
        break;
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean complete(String response) {
    int headersEnd = response.indexOf("\r\n\r\n");
    if (headersEnd < 0) {
      return false;
    }
    for (String line : response.substring(0, headersEnd).split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        return response.length() - headersEnd - 4 >= Integer.parseInt(line.substring(15).trim());
      }
    }
    return false;
  }
}
