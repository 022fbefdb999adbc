package dev.gatelink.nlb.passthrough;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a connection's TLS ClientHello with Netty's {@link AbstractSniHandler} (which neither consumes nor
 * decrypts it, gathers a hello split across records, closes the connection when no complete hello comes within
 * the timeout or when the hello is longer than the limit, and reads the server name), checks its structure and
 * finds its ALPN protocol list ({@link #alpnList}), and hands both to its {@link PassthroughConnection}.
 *
 * <p>Netty hands on "no hello" (bytes that are not a TLS handshake record, an SSLv2-style hello, another
 * handshake message) the same way as "a hello without a server name"; the inspector tells them apart, so that the
 * first is refused rather than sent to the default route. It also refuses what Netty would wait on or pass: a
 * handshake record longer than any TLS record may be ({@link #MAX_RECORD_LENGTH}; Netty would wait for all of
 * it), and a hello whose fields or extensions overrun it (Netty would read no server name and route it to the
 * default route).
 *
 * <p>The inspector hands Netty the buffered bytes only once the records that hold the whole hello have all come
 * (or once they show that they hold no hello, for Netty to refuse): Netty 4.2.9's {@code SslClientHelloHandler}
 * miscounts the bytes left after the first record of a hello split across records (by the handshake header's 4
 * bytes), so that, given the records as they arrive, it takes a record that lacks up to 4 bytes for a whole one and
 * reads the missing bytes from past the end of what was received (whatever its pooled buffer held before). It
 * also reads the hello's 4-byte handshake header from its first record only, and from the next record's header
 * when the first holds fewer than 4 bytes of it: the inspector refuses such a hello itself ({@link #inspect}).
 * Gathering the records first also spares Netty's re-reading of every record on each read.
 *
 * <p>Once routed, the connection removes the inspector, and Netty passes the bytes it held (the hello, and
 * anything after it) to the next handler. Once refused, it discards what it holds and what comes after.
 */
final class HelloInspector extends AbstractSniHandler<@Nullable Void> {
  /** The longest ClientHello read: 64 KiB, Netty's default, far above real hellos (a few KiB). */
  static final int MAX_HELLO_LENGTH = 64 * 1024;
  /** The longest TLS record: 2^14 bytes of plaintext and 2048 of expansion (RFC 5246, 6.2.3). */
  static final int MAX_RECORD_LENGTH = (1 << 14) + 2048;
  /** What {@link #alpnList} returns for a hello whose structure is broken. */
  static final long MALFORMED = -1;
  /** The most offered ALPN protocols kept for the {@link ConnectionLog}. */
  static final int MAX_LOGGED_PROTOCOLS = 16;

  private static final int ALPN_EXTENSION = 16;

  /** What {@link #inspect} says of the bytes buffered: wait for more, hand them to Netty, or refuse them. */
  private static final int WAIT = 0;
  private static final int READY = 1;
  private static final int REFUSE = 2;

  private final PassthroughConnection connection;
  private boolean refused;
  /** Where the next record header not yet inspected starts, counted from the reader index. */
  private int nextRecord;
  /** The bytes of the handshake message in the records inspected. */
  private int messageBytes;
  /** The hello's length, from its handshake header; -1 until read. */
  private int helloLength = -1;
  /** The hello between {@link #lookup(ChannelHandlerContext, ByteBuf)} and its completion, when well formed. */
  private @Nullable ByteBuf hello;
  private long alpn;

  HelloInspector(PassthroughConnection connection, long timeoutMillis) {
    super(MAX_HELLO_LENGTH, timeoutMillis);
    this.connection = connection;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (!refused) {
      int state = inspect(in);
      if (state == REFUSE) {
        connection.helloRefused();
      } else if (state == READY) {
        super.decode(ctx, in, out);
      }
    }
    if (refused) {
      in.skipBytes(in.readableBytes());
    }
  }

  /**
   * Reads the headers of the records buffered and not yet inspected (nothing is consumed before the connection is
   * routed, so they stay where they are): {@link #READY} once complete handshake records hold the whole hello, or
   * once the bytes are not one (another record type or version, an empty record, another handshake message, a
   * hello over {@link #MAX_HELLO_LENGTH}), for Netty to refuse; {@link #REFUSE} for a record over
   * {@link #MAX_RECORD_LENGTH} or a first record that holds less than the 4-byte handshake header; else
   * {@link #WAIT}.
   */
  private int inspect(ByteBuf in) {
    int base = in.readerIndex();
    int end = in.writerIndex();
    while (end - base - nextRecord >= 5) {
      int header = base + nextRecord;
      int length = in.getUnsignedShort(header + 3);
      if (in.getUnsignedByte(header) != 22 || in.getUnsignedByte(header + 1) != 3 || length == 0) {
        return READY;
      }
      if (length > MAX_RECORD_LENGTH) {
        return REFUSE;
      }
      if (end - header - 5 < length) {
        return WAIT;
      }
      if (helloLength < 0) {
        if (length < 4) {
          return REFUSE;
        }
        helloLength = in.getUnsignedMedium(header + 6);
        if (in.getUnsignedByte(header + 5) != 1 || helloLength > MAX_HELLO_LENGTH) {
          return READY;
        }
      }
      messageBytes += length;
      nextRecord += 5 + length;
      if (messageBytes >= helloLength + 4) {
        return READY;
      }
    }
    return WAIT;
  }

  @Override
  protected Future<@Nullable Void> lookup(ChannelHandlerContext ctx, @Nullable ByteBuf clientHello)
      throws Exception {
    alpn = clientHello == null ? MALFORMED : alpnList(clientHello);
    if (alpn == MALFORMED) {
      return super.lookup(ctx, (ByteBuf) null);
    }
    // Valid until this hello's lookup completes: Netty releases it after onLookupComplete.
    hello = clientHello;
    return super.lookup(ctx, clientHello);
  }

  @Override
  protected Future<@Nullable Void> lookup(ChannelHandlerContext ctx, @Nullable String hostname) {
    return ctx.executor().newSucceededFuture(null);
  }

  @Override
  protected void onLookupComplete(ChannelHandlerContext ctx, @Nullable String hostname,
      Future<@Nullable Void> future) {
    ByteBuf read = hello;
    hello = null;
    if (refused) {
      return;
    }
    if (read == null) {
      connection.helloRefused();
    } else {
      connection.helloRead(ctx, hostname, read, (int) (alpn >>> 32), (int) alpn);
    }
  }

  /** Discards whatever the connection sent and will send: it is refused. */
  void refuse() {
    refused = true;
  }

  /**
   * Walks a ClientHello's fields (RFC 8446 4.1.2, RFC 5246 7.4.1.2) and extensions, checking every length
   * against what holds it, and finds the ALPN extension (RFC 7301). Netty has no public reader of ALPN from a
   * hello (its {@code AbstractSniHandler} reads only the server name, in a private method), and it hands the hello
   * on already gathered from its records and length-checked as a whole, so this reads the buffer it hands on.
   *
   * @param hello the ClientHello's body, from its version to the end of its extensions (without the handshake
   *     header), between its reader and writer indexes; not read from
   * @return {@link #MALFORMED} when a length overruns what holds it, the session id is longer than 32 bytes, a
   *     list is empty that may not be, bytes follow the extensions, the ALPN extension comes twice or its list is
   *     malformed; else where the ALPN protocol list's entries start (high 32 bits) and end (low 32 bits) in
   *     {@code hello}, both 0 when there is no ALPN extension
   */
  static long alpnList(ByteBuf hello) {
    int at = hello.readerIndex();
    int end = hello.writerIndex();
    // legacy_version (2), random (32), legacy_session_id <0..32>
    if (end - at < 35) {
      return MALFORMED;
    }
    at += 34;
    int sessionId = hello.getUnsignedByte(at++);
    if (sessionId > 32 || end - at < sessionId + 2) {
      return MALFORMED;
    }
    at += sessionId;
    // cipher_suites <2..2^16-2>, two bytes each
    int suites = hello.getUnsignedShort(at);
    at += 2;
    if (suites < 2 || (suites & 1) != 0 || end - at < suites + 1) {
      return MALFORMED;
    }
    at += suites;
    // legacy_compression_methods <1..2^8-1>
    int compressions = hello.getUnsignedByte(at++);
    if (compressions < 1 || end - at < compressions) {
      return MALFORMED;
    }
    at += compressions;
    if (at == end) {
      // No extensions (a TLS 1.2 hello may have none).
      return 0;
    }
    // extensions <8..2^16-1>: exactly the rest of the hello
    if (end - at < 2 || hello.getUnsignedShort(at) != end - at - 2) {
      return MALFORMED;
    }
    at += 2;
    long found = 0;
    while (at < end) {
      if (end - at < 4) {
        return MALFORMED;
      }
      int type = hello.getUnsignedShort(at);
      int length = hello.getUnsignedShort(at + 2);
      at += 4;
      if (end - at < length) {
        return MALFORMED;
      }
      if (type == ALPN_EXTENSION) {
        long list = protocolList(hello, at, length);
        if (found != 0 || list == MALFORMED) {
          return MALFORMED;
        }
        found = list;
      }
      at += length;
    }
    return found;
  }

  /** The entries of a ProtocolNameList {@code <2..2^16-1>} of non-empty names, or {@link #MALFORMED}. */
  private static long protocolList(ByteBuf hello, int at, int length) {
    if (length < 2 || hello.getUnsignedShort(at) != length - 2 || length == 2) {
      return MALFORMED;
    }
    int from = at + 2;
    int end = at + length;
    for (int entry = from; entry < end; ) {
      int name = hello.getUnsignedByte(entry);
      if (name == 0 || end - entry - 1 < name) {
        return MALFORMED;
      }
      entry += 1 + name;
    }
    return (long) from << 32 | end;
  }

  /**
   * {@return the protocols of an ALPN list {@link #alpnList} found, at most {@link #MAX_LOGGED_PROTOCOLS}, each
   * byte a character (ISO 8859-1, so that none is lost; registered protocol ids are ASCII)}
   */
  static List<String> protocols(ByteBuf hello, int from, int to) {
    if (from == to) {
      return List.of();
    }
    List<String> protocols = new ArrayList<>(4);
    for (int at = from; at < to && protocols.size() < MAX_LOGGED_PROTOCOLS; ) {
      int length = hello.getUnsignedByte(at);
      protocols.add(hello.toString(at + 1, length, StandardCharsets.ISO_8859_1));
      at += 1 + length;
    }
    return List.copyOf(protocols);
  }
}
