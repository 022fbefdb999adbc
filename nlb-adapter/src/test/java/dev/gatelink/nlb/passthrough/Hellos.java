package dev.gatelink.nlb.passthrough;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/** ClientHellos for the tests: the JDK's own, the same split into records, and made by hand, malformed on purpose. */
final class Hellos {
  private Hellos() {}

  /**
   * {@return the first TLS record a JDK client sends: its ClientHello, with the server name and ALPN protocols
   * given} A fresh context each time: a JDK client that resumes a session sends that session's server name.
   */
  static byte[] jdk(@Nullable String serverName, String... alpn) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, null, null);
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    if (serverName != null) {
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
    }
    parameters.setApplicationProtocols(alpn);
    engine.setSSLParameters(parameters);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] record = new byte[out.remaining()];
    out.get(record);
    if (record[0] != 22 || record[5] != 1) {
      throw new AssertionError("not a ClientHello record: " + Arrays.toString(Arrays.copyOf(record, 6)));
    }
    return record;
  }

  /**
   * {@return the hello of a one-record {@code hello} as several handshake records: the first {@code lengths} bytes
   * of the handshake message each in a record of their own, the rest in a last one}
   */
  static byte[] split(byte[] record, int... lengths) {
    byte[] message = Arrays.copyOfRange(record, 5, record.length);
    List<byte[]> parts = new ArrayList<>();
    int at = 0;
    for (int length : lengths) {
      parts.add(Arrays.copyOfRange(message, at, at + length));
      at += length;
    }
    parts.add(Arrays.copyOfRange(message, at, message.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.write(new byte[] {22, record[1], record[2], (byte) (part.length >> 8), (byte) part.length}, 0, 5);
      out.write(part, 0, part.length);
    }
    return out.toByteArray();
  }

  /**
   * {@return the hello of a one-record {@code hello} in many records: the 4-byte handshake header in the first, then
   * {@code size} bytes of the message in each}
   */
  static byte[] inRecordsOf(byte[] record, int size) {
    int count = (record.length - 5 - 4 - 1) / size;
    int[] lengths = new int[count + 1];
    Arrays.fill(lengths, size);
    lengths[0] = 4;
    return split(record, lengths);
  }

  /**
   * {@return a ClientHello body made by hand (version, random, session id, two cipher suites, one compression
   * method), followed by {@code extensions} as they are (their block's length included)}
   */
  static byte[] body(int sessionIdLength, byte[] extensions) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(3);
    out.write(3);
    out.write(new byte[32], 0, 32);
    out.write(sessionIdLength);
    out.write(new byte[Math.min(sessionIdLength, 32)], 0, Math.min(sessionIdLength, 32));
    out.write(new byte[] {0, 4, 0x13, 0x01, 0x13, 0x02, 1, 0}, 0, 8);
    out.write(extensions, 0, extensions.length);
    return out.toByteArray();
  }

  /** {@return an extension block (its two-byte length first) of extensions given as type, then data} */
  static byte[] extensions(Object... typesAndData) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; i < typesAndData.length; i += 2) {
      int type = (Integer) typesAndData[i];
      byte[] data = (byte[]) typesAndData[i + 1];
      block.write(new byte[] {(byte) (type >> 8), (byte) type, (byte) (data.length >> 8), (byte) data.length}, 0, 4);
      block.write(data, 0, data.length);
    }
    byte[] bytes = block.toByteArray();
    return concat(new byte[] {(byte) (bytes.length >> 8), (byte) bytes.length}, bytes);
  }

  /** {@return a server name extension's data for one host name} */
  static byte[] serverName(String name) {
    byte[] host = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int list = host.length + 3;
    return concat(new byte[] {(byte) (list >> 8), (byte) list, 0, (byte) (host.length >> 8), (byte) host.length},
        host);
  }

  /** {@return an ALPN extension's data: a list of the given protocols, each a length byte and its bytes} */
  static byte[] alpn(String... protocols) {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    for (String protocol : protocols) {
      byte[] bytes = protocol.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      list.write(bytes.length);
      list.write(bytes, 0, bytes.length);
    }
    byte[] entries = list.toByteArray();
    return concat(new byte[] {(byte) (entries.length >> 8), (byte) entries.length}, entries);
  }

  /** {@return a hello body in one handshake record} */
  static byte[] record(byte[] body) {
    int message = body.length + 4;
    return concat(new byte[] {22, 3, 1, (byte) (message >> 8), (byte) message, 1, 0, (byte) (body.length >> 8),
        (byte) body.length}, body);
  }

  static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
