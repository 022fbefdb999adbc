package dev.gatelink.target.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatelink.target.internal.DnsAnswer.Source;
import dev.gatelink.target.internal.DnsLookupException.Kind;
import dev.gatelink.testing.LoopbackDnsServer;
import dev.gatelink.testing.LoopbackDnsServer.Failure;
import io.netty.resolver.dns.DefaultDnsServerAddressStreamProvider;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DnsLookup against a DNS server on loopback, over real sockets, on a real Vert.x instance. */
class DnsLookupTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private static Vertx vertx;
  private LoopbackDnsServer dns;
  private DnsLookup lookup;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() throws Exception {
    dns = LoopbackDnsServer.start();
    lookup = DnsLookup.create(vertx, DnsLookupOptions.DEFAULTS.withNameServers(dns.address()).withQueryTimeout(TIMEOUT));
  }

  @AfterEach
  void stop() throws Exception {
    lookup.close();
    dns.close();
    assertThat(dns.failures()).isEmpty();
  }

  private String servers() {
    return "[127.0.0.1:" + dns.address().getPort() + "]";
  }

  private static DnsAnswer answer(Future<DnsAnswer> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyAddressOfANameWithTheRecordsTtl() throws Exception {
    dns.answer("orders.internal", Duration.ofSeconds(1), "127.0.0.2", "127.0.0.3", "127.0.0.4");

    assertThat(answer(lookup.lookup("orders.internal"))).isEqualTo(new DnsAnswer("orders.internal",
        List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), Duration.ofSeconds(1), Source.DNS));
    assertThat(dns.queries("orders.internal")).isEqualTo(2); // A and AAAA
    assertThat(lookup.nameServers()).containsExactly(dns.address());
    assertThat(lookup.queryTimeout()).isEqualTo(TIMEOUT);
  }

  @Test
  void ipv4AddressesComeFirstAndDuplicatesAreDropped() throws Exception {
    dns.answer("dual.internal", Duration.ofSeconds(30), "::1", "127.0.0.3", "127.0.0.2", "127.0.0.3", "0:0:0:0:0:0:0:1");

    assertThat(answer(lookup.lookup("dual.internal")).addresses()).containsExactly("127.0.0.3", "127.0.0.2", "::1");

    try (DnsLookup ipv4Only = DnsLookup.create(vertx,
        DnsLookupOptions.DEFAULTS.withNameServers(dns.address()).withIpv6(false))) {
      assertThat(answer(ipv4Only.lookup("dual.internal")).addresses()).containsExactly("127.0.0.3", "127.0.0.2");
    }
    assertThat(dns.queries("dual.internal")).isEqualTo(3);
  }

  @Test
  void anIpv6OnlyNameAnswersItsIpv6Addresses() throws Exception {
    dns.answer("six.internal", Duration.ofSeconds(5), "::1");

    assertThat(answer(lookup.lookup("six.internal")))
        .isEqualTo(new DnsAnswer("six.internal", List.of("::1"), Duration.ofSeconds(5), Source.DNS));
  }

  @Test
  void aChangedAnswerIsSeenByTheNextLookup() throws Exception {
    dns.answer("orders.internal", Duration.ofSeconds(60), "127.0.0.2");
    assertThat(answer(lookup.lookup("orders.internal")).addresses()).containsExactly("127.0.0.2");

    dns.answer("orders.internal", Duration.ofSeconds(60), "127.0.0.5", "127.0.0.6");
    assertThat(answer(lookup.lookup("orders.internal")))
        .isEqualTo(new DnsAnswer("orders.internal", List.of("127.0.0.5", "127.0.0.6"), Duration.ofSeconds(60),
            Source.DNS));
    assertThat(dns.queries("orders.internal")).isEqualTo(4);
  }

  @Test
  void aTtlOfZeroIsKept() throws Exception {
    dns.answer("volatile.internal", Duration.ZERO, "127.0.0.2");

    assertThat(answer(lookup.lookup("volatile.internal")).ttl()).isEqualTo(Duration.ZERO);
    assertThat(answer(lookup.lookup("volatile.internal")).ttl()).isEqualTo(Duration.ZERO);
    assertThat(dns.queries("volatile.internal")).isEqualTo(4);
  }

  @Test
  void nxdomainFailsNamingTheHostAndTheNameServers() {
    assertThatThrownBy(() -> answer(lookup.lookup("missing.internal")))
        .isInstanceOf(DnsLookupException.class)
        .hasMessage("missing.internal: no address: the name servers " + servers() + " answered NXDOMAIN")
        .satisfies(e -> {
          assertThat(((DnsLookupException) e).kind()).isEqualTo(Kind.NXDOMAIN);
          assertThat(((DnsLookupException) e).host()).isEqualTo("missing.internal");
        });
  }

  @Test
  void servfailFails() {
    dns.fail("broken.internal", Failure.SERVFAIL);

    assertThatThrownBy(() -> answer(lookup.lookup("broken.internal")))
        .isInstanceOf(DnsLookupException.class)
        .hasMessage("broken.internal: no address: the name servers " + servers() + " answered SERVFAIL")
        .satisfies(e -> assertThat(((DnsLookupException) e).kind()).isEqualTo(Kind.SERVFAIL));
  }

  @Test
  void noAnswerFailsAfterTheQueryTimeout() {
    dns.fail("slow.internal", Failure.TIMEOUT);

    long start = System.nanoTime();
    assertThatThrownBy(() -> answer(lookup.lookup("slow.internal")))
        .isInstanceOf(DnsLookupException.class)
        .hasMessage("slow.internal: no address: the name servers " + servers() + " did not answer within 300 ms")
        .satisfies(e -> assertThat(((DnsLookupException) e).kind()).isEqualTo(Kind.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT);
    assertThat(dns.queries("slow.internal")).isEqualTo(2);
  }

  @Test
  void anAnswerForOneFamilyIsEnoughWhenTheOtherFails() throws Exception {
    dns.answer("orders.internal", Duration.ofSeconds(8), "127.0.0.2", "::1");
    dns.fail("orders.internal", "AAAA", Failure.TIMEOUT);

    assertThat(answer(lookup.lookup("orders.internal")))
        .isEqualTo(new DnsAnswer("orders.internal", List.of("127.0.0.2"), Duration.ofSeconds(8), Source.DNS));
  }

  @Test
  void whenBothFamiliesFailDifferentlyBothAreNamedAndThePassingFailureIsTheKind() {
    dns.fail("odd.internal", "A", Failure.SERVFAIL);
    dns.fail("odd.internal", "AAAA", Failure.NXDOMAIN);
    dns.answer("slow.internal", Duration.ofSeconds(8));
    dns.fail("slow.internal", "AAAA", Failure.TIMEOUT);

    assertThatThrownBy(() -> answer(lookup.lookup("odd.internal")))
        .isInstanceOf(DnsLookupException.class)
        .hasMessage("odd.internal: no address: the name servers " + servers()
            + " answered SERVFAIL for A and answered NXDOMAIN for AAAA")
        .satisfies(e -> assertThat(((DnsLookupException) e).kind()).isEqualTo(Kind.SERVFAIL));
    assertThatThrownBy(() -> answer(lookup.lookup("slow.internal")))
        .isInstanceOf(DnsLookupException.class)
        .hasMessage("slow.internal: no address: the name servers " + servers()
            + " answered with no record for A and did not answer within 300 ms for AAAA")
        .satisfies(e -> assertThat(((DnsLookupException) e).kind()).isEqualTo(Kind.TIMEOUT));
  }

  @Test
  void aNameWithoutAddressRecordsFails() {
    dns.answer("empty.internal", Duration.ofSeconds(5));

    assertThatThrownBy(() -> answer(lookup.lookup("empty.internal")))
        .isInstanceOf(DnsLookupException.class)
        .hasMessage("empty.internal: no address: the name servers " + servers() + " answered with no A or AAAA record")
        .satisfies(e -> assertThat(((DnsLookupException) e).kind()).isEqualTo(Kind.NO_ADDRESS));
  }

  @Test
  void aCnameChainIsFollowed() throws Exception {
    dns.alias("www.internal", Duration.ofSeconds(60), "edge.internal");
    dns.alias("edge.internal", Duration.ofSeconds(30), "orders.internal");
    dns.answer("orders.internal", Duration.ofSeconds(5), "127.0.0.2", "127.0.0.3");
    // The server answers an alias with its target's records when it has them; an unknown target is asked after.
    dns.alias("dangling.internal", Duration.ofSeconds(60), "unknown.internal");

    assertThat(answer(lookup.lookup("www.internal")))
        .isEqualTo(new DnsAnswer("www.internal", List.of("127.0.0.2", "127.0.0.3"), Duration.ofSeconds(5), Source.DNS));
    assertThatThrownBy(() -> answer(lookup.lookup("dangling.internal")))
        .isInstanceOf(DnsLookupException.class)
        .hasMessage("dangling.internal: no address: the name servers " + servers() + " answered NXDOMAIN");
  }

  @Test
  void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      addresses.add("127.0.2." + i);
    }
    dns.answer("big.internal", Duration.ofSeconds(3), addresses.toArray(String[]::new));

    assertThat(answer(lookup.lookup("big.internal")))
        .isEqualTo(new DnsAnswer("big.internal", addresses, Duration.ofSeconds(3), Source.DNS));
    assertThat(dns.tcpQueries("big.internal")).isEqualTo(1);
  }

  @Test
  void anIpAddressLiteralAnswersAtOnceAndNeverExpires() throws Exception {
    assertThat(answer(lookup.lookup("127.0.0.9")))
        .isEqualTo(new DnsAnswer("127.0.0.9", List.of("127.0.0.9"), DnsAnswer.NEVER_EXPIRES, Source.LITERAL));
    assertThat(answer(lookup.lookup("[::1]")))
        .isEqualTo(new DnsAnswer("[::1]", List.of("::1"), DnsAnswer.NEVER_EXPIRES, Source.LITERAL));
    assertThat(answer(lookup.lookup("0:0:0:0:0:0:0:1")).addresses()).containsExactly("::1");
    assertThat(DnsAnswer.NEVER_EXPIRES).isEqualTo(Duration.ofSeconds(2_147_483_647L));
  }

  @Test
  void localhostAnswersFromTheHostsFileWithoutAQuery() throws Exception {
    DnsAnswer answer = answer(lookup.lookup("localhost"));

    assertThat(answer.addresses()).first().isEqualTo("127.0.0.1");
    assertThat(answer.addresses()).allSatisfy(address -> assertThat(address).isIn("127.0.0.1", "::1"));
    assertThat(answer.ttl()).isEqualTo(DnsLookup.HOSTS_FILE_TTL).isEqualTo(Duration.ofSeconds(60));
    assertThat(answer.source()).isEqualTo(Source.HOSTS_FILE);
    assertThat(answer(lookup.lookup("LocalHost.")).addresses()).first().isEqualTo("127.0.0.1");
    assertThat(dns.queries("localhost")).isZero();
  }

  @Test
  void theHostsOfVertxsResolverOptionsAreHonoured() throws Exception {
    AddressResolverOptions resolver = new AddressResolverOptions()
        .addServer(dns.nameServer())
        .setQueryTimeout(200)
        .setHostsValue(Buffer.buffer("127.0.0.7 billing.internal\n127.0.0.8 billing.internal\n::1 billing.internal\n"));
    Vertx configured = Vertx.vertx(new VertxOptions().setAddressResolverOptions(resolver));
    try (DnsLookup fromVertx = DnsLookup.create(configured)) {
      assertThat(fromVertx.nameServers()).containsExactly(dns.address());
      assertThat(fromVertx.queryTimeout()).isEqualTo(Duration.ofMillis(200));
      assertThat(answer(fromVertx.lookup("Billing.Internal"))).isEqualTo(new DnsAnswer("Billing.Internal",
          List.of("127.0.0.7", "127.0.0.8", "::1"), DnsLookup.HOSTS_FILE_TTL, Source.HOSTS_FILE));
      // With a hosts value, localhost not in it still answers the loopback addresses (RFC 6761).
      assertThat(answer(fromVertx.lookup("localhost")).addresses()).containsExactly("127.0.0.1", "::1");

      dns.answer("orders.internal", Duration.ofSeconds(9), "127.0.0.2");
      assertThat(answer(fromVertx.lookup("orders.internal")))
          .isEqualTo(new DnsAnswer("orders.internal", List.of("127.0.0.2"), Duration.ofSeconds(9), Source.DNS));
      dns.fail("slow.internal", Failure.TIMEOUT);
      assertThatThrownBy(() -> answer(fromVertx.lookup("slow.internal")))
          .hasMessage("slow.internal: no address: the name servers " + servers() + " did not answer within 200 ms");
    } finally {
      configured.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutNameServersInItsOptionsVertxUsesTheSystems() {
    try (DnsLookup system = DnsLookup.create(vertx)) {
      assertThat(system.nameServers())
          .containsExactlyElementsOf(new LinkedHashSet<>(DefaultDnsServerAddressStreamProvider.defaultAddressList()));
      assertThat(system.queryTimeout()).isEqualTo(Duration.ofMillis(AddressResolverOptions.DEFAULT_QUERY_TIMEOUT));
    }
  }

  @Test
  void aLookupFromAnEventLoopCompletesOnThatEventLoop() throws Exception {
    dns.answer("orders.internal", Duration.ofSeconds(1), "127.0.0.2");
    Context context = vertx.getOrCreateContext();
    Promise<Boolean> onContext = Promise.promise();
    context.runOnContext(v -> lookup.lookup("orders.internal").onComplete(result ->
        onContext.complete(result.succeeded() && Vertx.currentContext() == context && Context.isOnEventLoopThread())));

    assertThat(onContext.future().await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void manyConcurrentLookupsWhileTheAnswerChanges() throws Exception {
    dns.answer("hot.internal", Duration.ofSeconds(1), "127.0.0.2", "127.0.0.3");
    try (DnsLookup patient = DnsLookup.create(vertx,
        DnsLookupOptions.DEFAULTS.withNameServers(dns.address()).withQueryTimeout(Duration.ofSeconds(5)))) {
      List<Future<DnsAnswer>> lookups = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        lookups.add(patient.lookup("hot.internal"));
        if (i % 2 == 0) {
          dns.answer("hot.internal", Duration.ofSeconds(2), "127.0.0.4");
        } else {
          dns.answer("hot.internal", Duration.ofSeconds(1), "127.0.0.2", "127.0.0.3");
        }
      }
      for (Future<DnsAnswer> future : lookups) {
        // Each family's answer is one whole setting; A and AAAA of one lookup may see different ones.
        assertThat(answer(future).addresses()).isIn(List.of("127.0.0.2", "127.0.0.3"), List.of("127.0.0.4"));
      }
    }
    assertThat(dns.queries("hot.internal")).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"NIO", "EPOLL", "IO_URING"})
  void onEachTransportTheResolverUsesTheVertxInstancesChannels(String name) throws Exception {
    Transport transport = switch (name) {
      case "EPOLL" -> Transport.EPOLL;
      case "IO_URING" -> Transport.IO_URING;
      default -> Transport.NIO;
    };
    assumeTrue(transport != null && transport.available(), name + " cannot run here");
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      addresses.add("127.0.3." + i);
    }
    dns.answer("big.internal", Duration.ofSeconds(3), addresses.toArray(String[]::new));
    Vertx onNative = Vertx.builder().withTransport(transport).build();
    try (DnsLookup onTransport = DnsLookup.create(onNative, DnsLookupOptions.DEFAULTS.withNameServers(dns.address()))) {
      // Over UDP, truncated, then over TCP: both channels come from the instance's transport.
      assertThat(answer(onTransport.lookup("big.internal")).addresses()).isEqualTo(addresses);
    } finally {
      onNative.close().await(10, TimeUnit.SECONDS);
    }
    assertThat(dns.tcpQueries("big.internal")).isEqualTo(1);
  }

  @Test
  void aClosedLookupFailsAndAnEmptyHostIsRefused() {
    assertThatThrownBy(() -> answer(lookup.lookup(".")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host '.' is empty: expected a DNS name or an IP address");
    lookup.close();
    assertThatThrownBy(() -> answer(lookup.lookup("orders.internal")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("DNS lookup is closed: cannot look up 'orders.internal'");
  }

  @Test
  void badOptionsAreRefused() {
    assertThatThrownBy(() -> DnsLookupOptions.DEFAULTS.withQueryTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("query timeout PT0S is out of range: expected 1 ms to 2147483647 ms");
    assertThatThrownBy(() -> DnsLookupOptions.DEFAULTS.withNameServers(InetSocketAddress.createUnresolved("dns.internal", 53)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name server dns.internal:53 is not an IP address: expected an address such as 127.0.0.1:53");
  }
}
