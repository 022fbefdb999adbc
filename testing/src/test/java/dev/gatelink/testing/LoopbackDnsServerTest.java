package dev.gatelink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatelink.testing.LoopbackDnsServer.Failure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DNS server as Netty's own resolver sees it, over real loopback sockets. */
class LoopbackDnsServerTest {
  private static EventLoopGroup group;
  private LoopbackDnsServer dns;

  /** One answer as the client decoded it: response code, flags and the answer records as text. */
  record Answer(String code, boolean authoritative, boolean truncated, List<String> records) {}

  @BeforeAll
  static void group() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stopGroup() {
    group.shutdownGracefully(0, 10, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() throws Exception {
    dns = LoopbackDnsServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    dns.close();
    assertThat(dns.failures()).isEmpty();
  }

  @Test
  void answersTheAddressesOfANameWithTheirTtl() throws Exception {
    dns.answer("orders.internal", Duration.ofSeconds(1), "127.0.0.2", "127.0.0.3", "::1");

    assertThat(query("orders.internal", DnsRecordType.A)).isEqualTo(new Answer("NoError(0)", true, false, List.of(
        "orders.internal. 1 A 127.0.0.2", "orders.internal. 1 A 127.0.0.3")));
    assertThat(query("orders.internal", DnsRecordType.AAAA)).isEqualTo(new Answer("NoError(0)", true, false,
        List.of("orders.internal. 1 AAAA ::1")));
    assertThat(dns.queries("orders.internal")).isEqualTo(2);
    assertThat(dns.address()).isEqualTo(new InetSocketAddress("127.0.0.1", dns.address().getPort()));
    assertThat(dns.nameServer()).isEqualTo("127.0.0.1:" + dns.address().getPort());
  }

  @Test
  void aNameWithNoAddressOfTheFamilyAskedIsAnsweredWithNoRecords() throws Exception {
    dns.answer("v4only.internal", Duration.ofSeconds(5), "127.0.0.9");
    dns.answer("empty.internal", Duration.ofSeconds(5));

    assertThat(query("v4only.internal", DnsRecordType.AAAA)).isEqualTo(new Answer("NoError(0)", true, false, List.of()));
    assertThat(query("empty.internal", DnsRecordType.A)).isEqualTo(new Answer("NoError(0)", true, false, List.of()));
    assertThat(query("v4only.internal", DnsRecordType.MX)).isEqualTo(new Answer("NoError(0)", true, false, List.of()));
  }

  @Test
  void namesAreCaseInsensitiveAndUnknownNamesAreNxdomain() throws Exception {
    dns.answer("Orders.Internal.", Duration.ZERO, "127.0.0.4");

    assertThat(query("ORDERS.internal", DnsRecordType.A).records()).containsExactly("ORDERS.internal. 0 A 127.0.0.4");
    assertThat(query("unknown.internal", DnsRecordType.A)).isEqualTo(new Answer("NXDomain(3)", true, false, List.of()));
    assertThat(dns.queries("orders.INTERNAL")).isEqualTo(1);
    assertThat(dns.queries("unknown.internal.")).isEqualTo(1);
    assertThat(dns.queries("never.asked")).isZero();
  }

  @Test
  void answersChangeAtOnceAndAForgottenNameIsNxdomainAgain() throws Exception {
    dns.answer("orders.internal", Duration.ofSeconds(30), "127.0.0.2");
    assertThat(query("orders.internal", DnsRecordType.A).records()).containsExactly("orders.internal. 30 A 127.0.0.2");

    dns.answer("orders.internal", Duration.ofSeconds(7), "127.0.0.5", "127.0.0.6");
    assertThat(query("orders.internal", DnsRecordType.A).records())
        .containsExactly("orders.internal. 7 A 127.0.0.5", "orders.internal. 7 A 127.0.0.6");

    dns.forget("orders.internal");
    assertThat(query("orders.internal", DnsRecordType.A).code()).isEqualTo("NXDomain(3)");
    assertThat(dns.queries("orders.internal")).isEqualTo(3);
  }

  @Test
  void aFailingNameAnswersServfailOrNxdomainOrNothing() throws Exception {
    dns.fail("broken.internal", Failure.SERVFAIL);
    dns.fail("gone.internal", Failure.NXDOMAIN);
    dns.fail("slow.internal", Failure.TIMEOUT);

    assertThat(query("broken.internal", DnsRecordType.A)).isEqualTo(new Answer("ServFail(2)", true, false, List.of()));
    assertThat(query("gone.internal", DnsRecordType.A)).isEqualTo(new Answer("NXDomain(3)", true, false, List.of()));
    try (DnsNameResolver resolver = resolver(false, 200)) {
      Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> future =
          resolver.query(new DefaultDnsQuestion("slow.internal", DnsRecordType.A));
      assertThat(future.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(future.cause()).isInstanceOf(DnsNameResolverTimeoutException.class);
    }
    assertThat(dns.queries("slow.internal")).isEqualTo(1);
  }

  @Test
  void oneRecordTypeOfANameCanFailWhileTheOthersAreAnswered() throws Exception {
    dns.answer("orders.internal", Duration.ofSeconds(5), "127.0.0.2", "::1");
    dns.fail("orders.internal", "aaaa", Failure.SERVFAIL);

    assertThat(query("orders.internal", DnsRecordType.A).records()).containsExactly("orders.internal. 5 A 127.0.0.2");
    assertThat(query("orders.internal", DnsRecordType.AAAA).code()).isEqualTo("ServFail(2)");
    dns.answer("orders.internal", Duration.ofSeconds(6), "::1");
    assertThat(query("orders.internal", DnsRecordType.AAAA).code()).isEqualTo("ServFail(2)");

    dns.forget("orders.internal");
    dns.answer("orders.internal", Duration.ofSeconds(6), "::1");
    assertThat(query("orders.internal", DnsRecordType.AAAA).records()).containsExactly("orders.internal. 6 AAAA ::1");
    assertThatThrownBy(() -> dns.fail("orders.internal", "QUAD-A", Failure.SERVFAIL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'QUAD-A' is not a DNS record type: expected one such as A or AAAA");
  }

  @Test
  void anAliasIsAnsweredWithItsCnameChainAndTheTargetsRecords() throws Exception {
    dns.alias("www.internal", Duration.ofSeconds(60), "edge.internal");
    dns.alias("edge.internal", Duration.ofSeconds(30), "orders.internal");
    dns.answer("orders.internal", Duration.ofSeconds(5), "127.0.0.2");
    dns.alias("dangling.internal", Duration.ofSeconds(10), "nowhere.internal");

    assertThat(query("www.internal", DnsRecordType.A).records()).containsExactly(
        "www.internal. 60 CNAME edge.internal.", "edge.internal. 30 CNAME orders.internal.",
        "orders.internal. 5 A 127.0.0.2");
    assertThat(query("www.internal", DnsRecordType.CNAME).records())
        .containsExactly("www.internal. 60 CNAME edge.internal.");
    assertThat(query("dangling.internal", DnsRecordType.A).records())
        .containsExactly("dangling.internal. 10 CNAME nowhere.internal.");
  }

  @Test
  void aUdpAnswerOverTheLimitIsTruncatedAndTheWholeAnswerComesOverTcp() throws Exception {
    String[] addresses = new String[40];
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < addresses.length; i++) {
      addresses[i] = "127.0.1." + (i + 1);
      expected.add("big.internal. 3 A " + addresses[i]);
    }
    dns.answer("big.internal", Duration.ofSeconds(3), addresses);

    // 40 A records make an answer of 1,150 bytes: over the 512 a query without EDNS may take.
    assertThat(query("big.internal", DnsRecordType.A)).isEqualTo(new Answer("NoError(0)", true, true, List.of()));
    assertThat(dns.tcpQueries("big.internal")).isZero();

    try (DnsNameResolver resolver = resolver(true, 5_000)) {
      assertThat(query(resolver, "big.internal", DnsRecordType.A))
          .isEqualTo(new Answer("NoError(0)", true, false, expected));
    }
    assertThat(dns.tcpQueries("big.internal")).isEqualTo(1);
    assertThat(dns.queries("big.internal")).isEqualTo(3);

    dns.answer("small.internal", Duration.ofSeconds(3), "127.0.0.2", "127.0.0.3");
    dns.udpLimit(60);
    assertThat(query("small.internal", DnsRecordType.A).truncated()).isTrue();
    dns.udpLimit(0);
    assertThat(query("small.internal", DnsRecordType.A).records()).hasSize(2);
  }

  @Test
  void concurrentQueriesEachSeeOneWholeSettingWhileItChanges() throws Exception {
    List<String> first = List.of("hot.internal. 1 A 127.0.0.2", "hot.internal. 1 A 127.0.0.3");
    List<String> second = List.of("hot.internal. 2 A 127.0.0.4");
    dns.answer("hot.internal", Duration.ofSeconds(1), "127.0.0.2", "127.0.0.3");
    try (DnsNameResolver resolver = resolver(false, 5_000)) {
      List<Future<AddressedEnvelope<DnsResponse, InetSocketAddress>>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        futures.add(resolver.query(new DefaultDnsQuestion("hot.internal", DnsRecordType.A)));
        if (i % 2 == 0) {
          dns.answer("hot.internal", Duration.ofSeconds(2), "127.0.0.4");
        } else {
          dns.answer("hot.internal", Duration.ofSeconds(1), "127.0.0.2", "127.0.0.3");
        }
      }
      for (Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> future : futures) {
        assertThat(decode(future).records()).isIn(first, second);
      }
    }
    assertThat(dns.queries("hot.internal")).isEqualTo(200);
  }

  @Test
  void badSettingsAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> dns.answer("orders.internal", Duration.ofSeconds(1), "orders.example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("answer for 'orders.internal': 'orders.example' is not an IPv4 or IPv6 address literal");
    assertThatThrownBy(() -> dns.answer("orders.internal", Duration.ofMillis(1500), "127.0.0.2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TTL PT1.5S is out of range: expected whole seconds from 0 to 2147483647");
    assertThatThrownBy(() -> dns.answer("orders.internal", Duration.ofSeconds(-1), "127.0.0.2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TTL PT-1S is out of range: expected whole seconds from 0 to 2147483647");
    assertThatThrownBy(() -> dns.fail(".", Failure.SERVFAIL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DNS name '.' is empty: expected a name such as orders.internal");
    assertThatThrownBy(() -> dns.udpLimit(11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("UDP limit 11 is too small: expected 0 (the default) or at least 12");
  }

  // ---- a client: Netty's resolver, asking the server directly

  private Answer query(String name, DnsRecordType type) throws Exception {
    try (DnsNameResolver resolver = resolver(false, 5_000)) {
      return query(resolver, name, type);
    }
  }

  private static Answer query(DnsNameResolver resolver, String name, DnsRecordType type) throws Exception {
    return decode(resolver.query(new DefaultDnsQuestion(name, type)));
  }

  private DnsNameResolver resolver(boolean tcpFallback, long timeoutMillis) {
    DnsNameResolverBuilder builder = new DnsNameResolverBuilder(group.next())
        .datagramChannelType(NioDatagramChannel.class)
        .nameServerProvider(new SingletonDnsServerAddressStreamProvider(dns.address()))
        .queryTimeoutMillis(timeoutMillis)
        .optResourceEnabled(false)
        .maxQueriesPerResolve(1);
    if (tcpFallback) {
      builder.socketChannelType(NioSocketChannel.class);
    }
    return builder.build();
  }

  private static Answer decode(Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> future) throws Exception {
    if (!future.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no answer within 10 s");
    }
    if (!future.isSuccess()) {
      throw new ExecutionException(future.cause());
    }
    AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = future.getNow();
    try {
      DnsResponse response = envelope.content();
      List<String> records = new ArrayList<>();
      for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
        DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
        ByteBuf content = ((DnsRawRecord) record).content();
        String data = record.type() == DnsRecordType.CNAME
            ? DefaultDnsRecordDecoder.decodeName(content.duplicate())
            : NetUtil.bytesToIpAddress(bytes(content));
        records.add(record.name() + " " + record.timeToLive() + " " + record.type().name() + " " + data);
      }
      return new Answer(response.code().toString(), response.isAuthoritativeAnswer(), response.isTruncated(),
          records);
    } finally {
      envelope.release();
    }
  }

  private static byte[] bytes(ByteBuf content) {
    byte[] bytes = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), bytes);
    return bytes;
  }
}
