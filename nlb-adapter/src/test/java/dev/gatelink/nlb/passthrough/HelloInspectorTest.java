package dev.gatelink.nlb.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ClientHello walk that checks a hello's structure and finds its ALPN list, on buffers made in the test. */
class HelloInspectorTest {
  /** {@return the ALPN protocols {@link HelloInspector#alpnList} finds in a hello body, or null when malformed} */
  private static List<String> alpn(byte[] body) {
    // The body sits between other bytes, as in Netty's buffer: the walk keeps to the reader and writer indexes.
    ByteBuf buffer = Unpooled.wrappedBuffer(new byte[] {7, 7, 7}, body, new byte[] {7, 7});
    buffer.setIndex(3, 3 + body.length);
    long list = HelloInspector.alpnList(buffer);
    if (list == HelloInspector.MALFORMED) {
      return null;
    }
    return HelloInspector.protocols(buffer, (int) (list >>> 32), (int) list);
  }

  private static byte[] jdkBody(String... alpn) throws Exception {
    byte[] record = Hellos.jdk("api.example.test", alpn);
    return Arrays.copyOfRange(record, 9, record.length);
  }

  @Test
  void theJdksHellosAreWellFormedAndTheirAlpnListIsFoundInOrder() throws Exception {
    assertThat(alpn(jdkBody("h2", "http/1.1"))).containsExactly("h2", "http/1.1");
    assertThat(alpn(jdkBody("http/1.1", "h2", "acme-tls/1"))).containsExactly("http/1.1", "h2", "acme-tls/1");
    assertThat(alpn(jdkBody())).isEmpty();
  }

  @Test
  void handMadeHellosWithAndWithoutExtensions() {
    assertThat(alpn(Hellos.body(0, new byte[0]))).as("no extensions at all").isEmpty();
    assertThat(alpn(Hellos.body(0, Hellos.extensions()))).as("an empty extension block").isEmpty();
    assertThat(alpn(Hellos.body(32, Hellos.extensions(0, Hellos.serverName("a.test"), 16, Hellos.alpn("h2"),
        43, new byte[] {2, 3, 4})))).containsExactly("h2");
    // Each byte a character, none lost.
    assertThat(alpn(Hellos.body(0, Hellos.extensions(16, Hellos.alpn("\u00ff\u0001")))))
        .containsExactly("\u00ff\u0001");
  }

  @Test
  void onlyTheFirstSixteenOfferedProtocolsAreKept() {
    String[] many = new String[40];
    for (int i = 0; i < many.length; i++) {
      many[i] = "p" + i;
    }
    assertThat(alpn(Hellos.body(0, Hellos.extensions(16, Hellos.alpn(many)))))
        .containsExactlyElementsOf(Arrays.asList(many).subList(0, 16));
  }

  @Test
  void everyLengthThatOverrunsWhatHoldsItIsMalformed() throws Exception {
    byte[] jdk = jdkBody("h2");
    List<byte[]> malformed = List.of(
        // Shorter than a version, a random and a session id length.
        Arrays.copyOf(jdk, 34),
        // Cut anywhere inside the JDK's hello.
        Arrays.copyOf(jdk, 40), Arrays.copyOf(jdk, 80), Arrays.copyOf(jdk, jdk.length - 1),
        // A session id over 32 bytes.
        Hellos.body(33, new byte[0]),
        // An odd cipher suite length, and none.
        withCipherSuites(new byte[] {0, 3, 1, 2, 3}), withCipherSuites(new byte[] {0, 0}),
        // No compression method.
        Hellos.concat(Arrays.copyOf(Hellos.body(0, new byte[0]), 41), new byte[] {0}),
        // One byte where the extension block's length should be.
        Hellos.body(0, new byte[] {0}),
        // An extension block longer, or shorter, than the rest of the hello.
        Hellos.body(0, new byte[] {0, 5, 0, 16, 0, 0}),
        Hellos.concat(Hellos.body(0, Hellos.extensions(43, new byte[] {2, 3, 4})), new byte[] {0}),
        // An extension longer than the block, a truncated extension header.
        Hellos.body(0, new byte[] {0, 4, 0, 43, 0, 9}), Hellos.body(0, new byte[] {0, 3, 0, 43, 0}),
        // ALPN: twice; an empty list; a list length that is not the extension's; an empty name; a name past the end.
        Hellos.body(0, Hellos.extensions(16, Hellos.alpn("h2"), 16, Hellos.alpn("h3"))),
        Hellos.body(0, Hellos.extensions(16, new byte[] {0, 0})),
        Hellos.body(0, Hellos.extensions(16, new byte[] {0})),
        Hellos.body(0, Hellos.extensions(16, new byte[] {0, 4, 2, 'h', '2'})),
        Hellos.body(0, Hellos.extensions(16, new byte[] {0, 4, 2, 'h', '2', 0})),
        Hellos.body(0, Hellos.extensions(16, new byte[] {0, 3, 3, 'h', '2'})));
    for (byte[] body : malformed) {
      assertThat(alpn(body)).as("walk of %s", Arrays.toString(body)).isNull();
    }
  }

  private static byte[] withCipherSuites(byte[] suites) {
    byte[] start = Arrays.copyOf(Hellos.body(0, new byte[0]), 35);
    return Hellos.concat(Hellos.concat(start, suites), new byte[] {1, 0});
  }
}
