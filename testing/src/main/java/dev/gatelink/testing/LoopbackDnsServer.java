package dev.gatelink.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * An authoritative DNS server on 127.0.0.1 (a free port, UDP and TCP on the same port) whose answers a test sets
 * and changes at any time: the A and AAAA records of a name with their TTL ({@link #answer}), a CNAME
 * ({@link #alias}), or a failure ({@link #fail}: SERVFAIL, NXDOMAIN, or no answer at all; of every query for the
 * name, or only of one record type, such as AAAA). Names are
 * case-insensitive; a name the test never set is answered NXDOMAIN. It counts the queries it receives per name
 * ({@link #queries}, {@link #tcpQueries}), so that a test can assert exactly how often a resolver asked.
 *
 * <p>Built on Netty's DNS codec, on an event loop of its own. Every answer has the AA (authoritative) flag. A UDP
 * answer larger than 512 bytes (or the payload size the query advertises in an EDNS OPT record, or the limit set
 * with {@link #udpLimit}) goes out truncated (TC flag, no records), so that a resolver retries over TCP, where the
 * whole answer is sent.
 *
 * <pre>{@code
 * try (LoopbackDnsServer dns = LoopbackDnsServer.start()) {
 *   dns.answer("orders.internal", Duration.ofSeconds(1), "127.0.0.2", "127.0.0.3");
 *   resolverOptions.addServer(dns.nameServer());           // "127.0.0.1:PORT"
 *   ...
 *   dns.fail("orders.internal", LoopbackDnsServer.Failure.SERVFAIL);
 * }
 * }</pre>
 *
 * <p>Thread-safe: a test may change answers while resolvers query it; each query sees one whole setting of its
 * name, the one before or the one after the change. Close it after the test.
 */
public final class LoopbackDnsServer implements AutoCloseable {
  /** How a name set with {@link #fail} fails. */
  public enum Failure {
    /** The answer has response code SERVFAIL (2) and no records. */
    SERVFAIL,
    /** The answer has response code NXDOMAIN (3) and no records, as for a name never set. */
    NXDOMAIN,
    /** No answer at all: the query is dropped, so that the resolver times out. */
    TIMEOUT
  }

  /** The UDP answer size a query without an EDNS OPT record may take (RFC 1035). */
  public static final int CLASSIC_UDP_LIMIT = 512;

  private static final int BIND_ATTEMPTS = 10;
  private static final int MAX_ALIAS_HOPS = 8;
  private static final long TIMEOUT_SECONDS = 10;
  private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

  /** What a name is set to answer; immutable, replaced whole. */
  private sealed interface Setting permits Addresses, Alias, Failing {}

  private record Addresses(List<byte[]> ipv4, List<byte[]> ipv6, int ttl) implements Setting {}

  private record Alias(String target, int ttl) implements Setting {}

  private record Failing(Failure failure) implements Setting {}

  private final Map<String, Setting> settings = new ConcurrentHashMap<>();
  private final Map<String, Failure> typeFailures = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> udpCounts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> tcpCounts = new ConcurrentHashMap<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group;
  private volatile int udpLimit;
  private @Nullable Channel udp;
  private @Nullable Channel tcp;
  private @Nullable InetSocketAddress address;

  private LoopbackDnsServer() {
    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("loopback-dns", true),
        NioIoHandler.newFactory());
  }

  /**
   * Starts a server with no names set (every query is answered NXDOMAIN until a test sets a name).
   *
   * @return the server, listening on UDP and TCP on 127.0.0.1 and one free port
   * @throws Exception if it cannot listen within 10 s, or finds no port free for both UDP and TCP in 10 attempts
   */
  public static LoopbackDnsServer start() throws Exception {
    LoopbackDnsServer server = new LoopbackDnsServer();
    try {
      server.listen();
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void listen() throws Exception {
    Bootstrap datagram = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        // Room for a burst of queries (a load test's resolvers asking at once): the kernel drops what does not fit.
        .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        .handler(new ChannelInitializer<NioDatagramChannel>() {
          @Override
          protected void initChannel(NioDatagramChannel channel) {
            channel.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                new UdpHandler());
          }
        });
    ServerBootstrap stream = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), new TcpHandler());
          }
        });
    Exception last = null;
    for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      Channel boundUdp = bound(datagram.bind(NetUtil.LOCALHOST4, 0));
      InetSocketAddress local = (InetSocketAddress) boundUdp.localAddress();
      try {
        tcp = bound(stream.bind(NetUtil.LOCALHOST4, local.getPort()));
        udp = boundUdp;
        address = new InetSocketAddress(NetUtil.LOCALHOST4, local.getPort());
        return;
      } catch (Exception e) {
        // The port is free for UDP but taken for TCP: try another one.
        last = e;
        boundUdp.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    }
    throw new IllegalStateException("no port on 127.0.0.1 was free for both UDP and TCP in " + BIND_ATTEMPTS
        + " attempts", last);
  }

  private static Channel bound(io.netty.channel.ChannelFuture future) throws Exception {
    if (!future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not bind within " + TIMEOUT_SECONDS + " s");
    }
    if (!future.isSuccess()) {
      Throwable cause = future.cause();
      throw cause instanceof Exception e ? e : new IllegalStateException(cause);
    }
    return future.channel();
  }

  /**
   * Sets the A and AAAA records of a name, replacing whatever the name was set to. A query for A gets the IPv4
   * addresses, one for AAAA the IPv6 ones, each in the order given, all with the TTL given. With no addresses
   * (or none of the family asked) the answer is NOERROR with no records.
   *
   * @param name the name, such as {@code orders.internal} (case-insensitive; a trailing dot is ignored)
   * @param ttl the records' TTL, whole seconds from 0 to 2147483647
   * @param addresses IPv4 and IPv6 address literals, such as {@code 127.0.0.2} or {@code ::1}
   * @return this server
   * @throws IllegalArgumentException if the name is empty, the TTL is not whole seconds in range, or an address
   *     is not an IP address literal
   */
  public LoopbackDnsServer answer(String name, Duration ttl, String... addresses) {
    String key = key(name);
    int seconds = seconds(ttl);
    List<byte[]> ipv4 = new ArrayList<>();
    List<byte[]> ipv6 = new ArrayList<>();
    for (String address : addresses) {
      Objects.requireNonNull(address, "address");
      byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
      if (bytes == null) {
        throw new IllegalArgumentException("answer for '" + name + "': '" + address
            + "' is not an IPv4 or IPv6 address literal");
      }
      (bytes.length == 4 ? ipv4 : ipv6).add(bytes);
    }
    settings.put(key, new Addresses(List.copyOf(ipv4), List.copyOf(ipv6), seconds));
    return this;
  }

  /**
   * Makes a name an alias (a CNAME record) of another, replacing whatever the name was set to. The answer to an A
   * or AAAA query holds the CNAME and, when the target is set here, the target's records (following up to 8
   * aliases); a target not set here is left for the resolver to ask about.
   *
   * @param name the alias (case-insensitive; a trailing dot is ignored)
   * @param ttl the CNAME record's TTL, whole seconds from 0 to 2147483647
   * @param target the canonical name it points to
   * @return this server
   * @throws IllegalArgumentException if a name is empty or the TTL is not whole seconds in range
   */
  public LoopbackDnsServer alias(String name, Duration ttl, String target) {
    String key = key(name);
    settings.put(key, new Alias(key(target), seconds(ttl)));
    return this;
  }

  /**
   * Makes every query for a name fail, replacing whatever the name was set to.
   *
   * @param name the name (case-insensitive; a trailing dot is ignored)
   * @param failure how: SERVFAIL, NXDOMAIN, or no answer at all
   * @return this server
   * @throws IllegalArgumentException if the name is empty
   */
  public LoopbackDnsServer fail(String name, Failure failure) {
    settings.put(key(name), new Failing(Objects.requireNonNull(failure, "failure")));
    return this;
  }

  /**
   * Makes the queries of one record type for a name fail, whatever the name is set to, until {@link #forget}: so
   * that, say, the A query of a name is answered while its AAAA query times out.
   *
   * @param name the name (case-insensitive; a trailing dot is ignored)
   * @param type the record type, such as {@code AAAA} (case-insensitive)
   * @param failure how: SERVFAIL, NXDOMAIN, or no answer at all
   * @return this server
   * @throws IllegalArgumentException if the name is empty or the type is not a DNS record type
   */
  public LoopbackDnsServer fail(String name, String type, Failure failure) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(failure, "failure");
    String upper = type.toUpperCase(Locale.ROOT);
    try {
      DnsRecordType.valueOf(upper);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + type + "' is not a DNS record type: expected one such as A or AAAA", e);
    }
    typeFailures.put(key(name) + " " + upper, failure);
    return this;
  }

  /**
   * Forgets what a name was set to, and its failing record types: it is answered NXDOMAIN again. Its query counts
   * are kept.
   *
   * @param name the name (case-insensitive; a trailing dot is ignored)
   * @return this server
   */
  public LoopbackDnsServer forget(String name) {
    String key = key(name);
    settings.remove(key);
    typeFailures.keySet().removeIf(nameAndType -> nameAndType.startsWith(key + " "));
    return this;
  }

  /**
   * Caps the size of UDP answers, whatever a query advertises: a larger answer goes out truncated (TC flag, no
   * records), so that the resolver asks again over TCP.
   *
   * @param bytes the largest UDP answer, at least 12 (a DNS header); 0 restores the default (512 bytes, or the
   *     payload size a query advertises in an EDNS OPT record)
   * @return this server
   * @throws IllegalArgumentException if {@code bytes} is neither 0 nor at least 12
   */
  public LoopbackDnsServer udpLimit(int bytes) {
    if (bytes != 0 && bytes < 12) {
      throw new IllegalArgumentException("UDP limit " + bytes + " is too small: expected 0 (the default) or at least 12");
    }
    udpLimit = bytes;
    return this;
  }

  /**
   * The queries received for a name so far, over UDP and TCP, of any type (a resolver that asks for A and AAAA
   * sends two), including those answered with a failure or dropped.
   *
   * @param name the name (case-insensitive; a trailing dot is ignored)
   * @return the count
   */
  public int queries(String name) {
    String key = key(name);
    return count(udpCounts, key) + count(tcpCounts, key);
  }

  /**
   * The queries received for a name so far over TCP (after a truncated UDP answer).
   *
   * @param name the name (case-insensitive; a trailing dot is ignored)
   * @return the count
   */
  public int tcpQueries(String name) {
    return count(tcpCounts, key(name));
  }

  /** {@return the address to point a resolver at: 127.0.0.1 and the port, for UDP and TCP} */
  public InetSocketAddress address() {
    InetSocketAddress bound = address;
    if (bound == null) {
      throw new IllegalStateException("the DNS server is not listening");
    }
    return bound;
  }

  /** {@return the address as {@code 127.0.0.1:PORT}, as Vert.x's {@code AddressResolverOptions.addServer} takes it} */
  public String nameServer() {
    return "127.0.0.1:" + address().getPort();
  }

  /** {@return the errors the server met (a query it could not decode, a connection reset); empty when all went well} */
  public List<Throwable> failures() {
    return failures;
  }

  /** Stops listening and stops its event loop, waiting up to 10 s. */
  @Override
  public void close() throws Exception {
    try {
      for (Channel channel : new Channel[] {udp, tcp}) {
        if (channel != null) {
          channel.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
      }
    } finally {
      group.shutdownGracefully(0, TIMEOUT_SECONDS, TimeUnit.SECONDS).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  // ---- answering, on the server's event loop

  private final class UdpHandler extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext context, DatagramDnsQuery query) {
      DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id(),
          query.opCode());
      if (fill(query, response, false)) {
        truncateIfLarger(response, udpLimitFor(query));
        context.writeAndFlush(response);
      } else {
        response.release();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      failures.add(cause);
    }
  }

  private final class TcpHandler extends SimpleChannelInboundHandler<DnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext context, DnsQuery query) {
      DnsResponse response = new DefaultDnsResponse(query.id(), query.opCode());
      if (fill(query, response, true)) {
        context.writeAndFlush(response);
      } else {
        response.release();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      failures.add(cause);
      context.close();
    }
  }

  /** Fills in the answer to a query; false when the query is to be dropped (a name set to time out). */
  private boolean fill(DnsQuery query, DnsResponse response, boolean overTcp) {
    response.setAuthoritativeAnswer(true).setRecursionDesired(query.isRecursionDesired());
    if (query.count(DnsSection.QUESTION) != 1) {
      response.setCode(DnsResponseCode.FORMERR);
      return true;
    }
    DnsQuestion question = query.recordAt(DnsSection.QUESTION);
    response.addRecord(DnsSection.QUESTION,
        new DefaultDnsQuestion(question.name(), question.type(), question.dnsClass()));
    String key = key(question.name());
    (overTcp ? tcpCounts : udpCounts).computeIfAbsent(key, k -> new LongAdder()).increment();

    Failure typeFailure = typeFailures.get(key + " " + question.type().name());
    Setting setting = typeFailure != null ? new Failing(typeFailure) : settings.get(key);
    if (setting == null) {
      response.setCode(DnsResponseCode.NXDOMAIN);
      return true;
    }
    if (setting instanceof Failing failing) {
      switch (failing.failure()) {
        case SERVFAIL -> response.setCode(DnsResponseCode.SERVFAIL);
        case NXDOMAIN -> response.setCode(DnsResponseCode.NXDOMAIN);
        case TIMEOUT -> {
          return false;
        }
      }
      return true;
    }
    DnsRecordType type = question.type();
    String owner = question.name();
    for (int hop = 0; hop <= MAX_ALIAS_HOPS && setting != null; hop++) {
      if (setting instanceof Alias alias) {
        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(owner, DnsRecordType.CNAME, alias.ttl(),
            Unpooled.wrappedBuffer(encodeName(alias.target()))));
        if (type == DnsRecordType.CNAME) {
          break;
        }
        owner = alias.target() + ".";
        setting = settings.get(alias.target());
      } else if (setting instanceof Addresses addresses) {
        List<byte[]> records = type == DnsRecordType.A ? addresses.ipv4()
            : type == DnsRecordType.AAAA ? addresses.ipv6() : List.of();
        for (byte[] bytes : records) {
          response.addRecord(DnsSection.ANSWER,
              new DefaultDnsRawRecord(owner, type, addresses.ttl(), Unpooled.copiedBuffer(bytes)));
        }
        break;
      } else {
        // An alias to a failing name: the CNAME alone; the resolver asks about the target and sees it fail.
        break;
      }
    }
    return true;
  }

  private int udpLimitFor(DnsQuery query) {
    int limit = udpLimit;
    if (limit > 0) {
      return limit;
    }
    int advertised = CLASSIC_UDP_LIMIT;
    for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
      DnsRecord record = query.recordAt(DnsSection.ADDITIONAL, i);
      if (record.type() == DnsRecordType.OPT) {
        advertised = Math.max(advertised, record.dnsClass());
      }
    }
    return advertised;
  }

  /** Replaces the answer records with the TC flag when the encoded answer would exceed the limit. */
  private static void truncateIfLarger(DnsResponse response, int limit) {
    int size = 12;
    for (int i = 0; i < response.count(DnsSection.QUESTION); i++) {
      size += encodedLength(response.recordAt(DnsSection.QUESTION, i).name()) + 4;
    }
    for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
      DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
      int data = record instanceof DefaultDnsRawRecord raw ? raw.content().readableBytes() : 0;
      size += encodedLength(record.name()) + 10 + data;
    }
    if (size > limit) {
      response.clear(DnsSection.ANSWER);
      response.setTruncated(true);
    }
  }

  private static int encodedLength(String name) {
    String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return bare.isEmpty() ? 1 : bare.getBytes(StandardCharsets.US_ASCII).length + 2;
  }

  private static byte[] encodeName(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String label : name.split("\\.")) {
      byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
      out.write(bytes.length);
      out.write(bytes, 0, bytes.length);
    }
    out.write(0);
    return out.toByteArray();
  }

  // ---- names, TTLs, counts

  private static String key(String name) {
    Objects.requireNonNull(name, "name");
    String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (bare.isEmpty()) {
      throw new IllegalArgumentException("DNS name '" + name + "' is empty: expected a name such as orders.internal");
    }
    return bare.toLowerCase(Locale.ROOT);
  }

  private static int seconds(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.getNano() != 0 || ttl.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("TTL " + ttl + " is out of range: expected whole seconds from 0 to "
          + Integer.MAX_VALUE);
    }
    return (int) ttl.getSeconds();
  }

  private static int count(Map<String, LongAdder> counts, String key) {
    LongAdder adder = counts.get(key);
    return adder == null ? 0 : adder.intValue();
  }
}
