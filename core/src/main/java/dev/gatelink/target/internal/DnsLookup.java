package dev.gatelink.target.internal;

import dev.gatelink.target.internal.DnsLookupException.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.DefaultHostsFileEntriesResolver;
import io.netty.resolver.HostsFileEntriesProvider;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DefaultDnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddresses;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Looks a host name up: every IPv4 (and IPv6) address it has, with the TTL of the records, asynchronously and
 * without ever blocking an event loop. It keeps no cache: each {@link #lookup} asks the name servers, so that the
 * caller keeps its own snapshot and looks up again when the answer's TTL has passed.
 *
 * <p>Underneath is the resolver Vert.x itself uses, Netty's {@link DnsNameResolver}, on one event loop of the
 * Vert.x instance (through {@link VertxInternal#nettyEventLoopGroup()}), its datagram and TCP channels from the
 * instance's transport (NIO, epoll or io_uring), with every Netty cache off (records, CNAMEs, authoritative
 * servers). A lookup sends an A query and (unless {@link DnsLookupOptions#ipv6()} is off) an AAAA query at the
 * same time through {@link DnsNameResolver#resolveAll(io.netty.handler.codec.dns.DnsQuestion)}, which follows
 * CNAMEs, tries each name server in turn and falls back to TCP when a UDP answer is truncated.
 *
 * <p>What an answer holds:
 * <ul>
 *   <li>IPv4 addresses first, then IPv6 ones, each family in the order the name servers answered, duplicates
 *       dropped. If one family fails (a timeout, SERVFAIL) while the other has addresses, the answer holds the
 *       other's: the lookup fails only when no address came back.</li>
 *   <li>The TTL: the smallest TTL of the A and AAAA records used (a TTL with the top bit set counts as 0, RFC 2181).
 *       The TTLs of the CNAMEs on the way are not seen: Netty's {@code resolveAll} hands back only the records of
 *       the type asked.</li>
 *   <li>An IP address literal ({@code 127.0.0.1}, {@code ::1}, {@code [::1]}) answers at once with itself and
 *       {@link DnsAnswer#NEVER_EXPIRES}.</li>
 *   <li>A name in the hosts file answers at once with its entries and {@link #HOSTS_FILE_TTL}; the hosts file is
 *       {@code /etc/hosts} (Netty's {@link DefaultHostsFileEntriesResolver}) or what the Vert.x instance's
 *       {@link AddressResolverOptions#getHostsPath()} or {@link AddressResolverOptions#getHostsValue()} gives.
 *       {@code localhost} (and {@code *.localhost}) not in it answers 127.0.0.1 (and ::1), as RFC 6761 says.</li>
 * </ul>
 *
 * <p>Name servers: those of {@link DnsLookupOptions#nameServers()}, else those the Vert.x instance uses: its
 * {@link AddressResolverOptions#getServers()}, else the system's, as Vert.x finds them
 * ({@link DefaultDnsServerAddressStreamProvider#defaultAddressList()}: {@code /etc/resolv.conf}). With the Vert.x
 * instance's name servers, its search domains and {@code ndots} apply as in Vert.x; with explicit ones the name is
 * asked as given. Its maximum queries per lookup, RD flag and EDNS setting always apply.
 *
 * <p>Failures are {@link DnsLookupException}s naming the host, the name servers and what went wrong, such as
 * {@code orders.internal: no address: the name servers [127.0.0.1:53412] answered NXDOMAIN}.
 *
 * <p>{@link #create} may read files ({@code /etc/hosts} the first time in a JVM, the hosts file Vert.x's options
 * name, {@code /etc/resolv.conf}): create a lookup at start-up, not on an event loop. Thread-safe; {@link #close()}
 * releases the resolver.
 */
public final class DnsLookup implements AutoCloseable {
  /**
   * The TTL of an answer from the hosts file, or of {@code localhost}: 60 s. The hosts file changes rarely and is
   * read again only when Netty's {@code io.netty.hostsFileRefreshInterval} says so; a minute lets a refreshed entry
   * show without making callers look up a memory map more than once a minute.
   */
  public static final Duration HOSTS_FILE_TTL = Duration.ofSeconds(60);

  private static final int MAX_TTL_SECONDS = Integer.MAX_VALUE;
  private static final int RECEIVE_BUFFER_BYTES = 1 << 20;

  private final VertxInternal vertx;
  private final EventLoop loop;
  private final DnsNameResolver resolver;
  private final List<InetSocketAddress> nameServers;
  private final String nameServersText;
  private final Duration queryTimeout;
  private final boolean ipv6;
  private final BiFunction<String, Boolean, List<InetAddress>> hosts;
  private volatile boolean closed;

  private DnsLookup(VertxInternal vertx, DnsLookupOptions options) {
    this.vertx = vertx;
    this.ipv6 = options.ipv6();
    AddressResolverOptions vertxOptions = vertx.nameResolver().options();
    boolean vertxServers = options.nameServers().isEmpty();
    this.nameServers = vertxServers ? vertxNameServers(vertxOptions) : options.nameServers();
    this.nameServersText = nameServers.stream().map(NetUtil::toSocketAddressString)
        .collect(Collectors.joining(", ", "[", "]"));
    this.queryTimeout = options.queryTimeout() != null ? options.queryTimeout()
        : Duration.ofMillis(vertxOptions.getQueryTimeout());
    this.hosts = hostsOf(vertx, vertxOptions);
    this.loop = vertx.nettyEventLoopGroup().next();

    DnsServerAddresses servers = vertxServers && vertxOptions.isRotateServers()
        ? DnsServerAddresses.rotational(nameServers) : DnsServerAddresses.sequential(nameServers);
    DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop)
        .datagramChannelFactory(() -> {
          DatagramChannel channel = vertx.transport().datagramChannel();
          // Room for the answers to a burst of lookups (a start-up with many integrations): what does not fit is
          // dropped by the kernel, and the lookup times out. The kernel caps it (net.core.rmem_max).
          channel.config().setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
          return channel;
        })
        .socketChannelFactory(() -> (SocketChannel) vertx.transport().channelFactory(false).newChannel(), false)
        .resolveCache(NoopDnsCache.INSTANCE)
        .cnameCache(NoopDnsCnameCache.INSTANCE)
        .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
        .nameServerProvider(hostname -> servers.stream())
        // The hosts file is read here, with our TTL; Netty's would answer it with a TTL of one day.
        .hostsFileEntriesResolver((inetHost, types) -> null)
        .resolvedAddressTypes(ipv6 ? ResolvedAddressTypes.IPV4_PREFERRED : ResolvedAddressTypes.IPV4_ONLY)
        .queryTimeoutMillis(queryTimeout.toMillis())
        .maxQueriesPerResolve(vertxOptions.getMaxQueries())
        .recursionDesired(vertxOptions.getRdFlag())
        .optResourceEnabled(vertxOptions.isOptResourceEnabled());
    if (!vertxServers) {
      builder.searchDomains(List.of()).ndots(1);
    } else if (vertxOptions.getSearchDomains() != null) {
      int ndots = vertxOptions.getNdots();
      builder.searchDomains(vertxOptions.getSearchDomains())
          .ndots(ndots == -1 ? AddressResolverOptions.DEFAULT_NDOTS : ndots);
    } else {
      // As Vert.x: the system's search domains (Netty's default), ndots 1.
      builder.ndots(1);
    }
    this.resolver = builder.build();
  }

  /**
   * A lookup with the Vert.x instance's name servers and query timeout, asking for IPv4 and IPv6 addresses.
   *
   * @param vertx the Vert.x instance whose event loop, transport and resolver options it uses
   * @return the lookup; close it when done
   */
  public static DnsLookup create(Vertx vertx) {
    return create(vertx, DnsLookupOptions.DEFAULTS);
  }

  /**
   * A lookup with the options given.
   *
   * @param vertx the Vert.x instance whose event loop, transport and resolver options it uses
   * @param options the name servers, query timeout and address families
   * @return the lookup; close it when done
   * @throws UncheckedIOException if the hosts file that the Vert.x options name cannot be read
   */
  public static DnsLookup create(Vertx vertx, DnsLookupOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    return new DnsLookup((VertxInternal) vertx, options);
  }

  /** {@return the name servers asked, in turn} */
  public List<InetSocketAddress> nameServers() {
    return nameServers;
  }

  /** {@return how long it waits for one name server's answer} */
  public Duration queryTimeout() {
    return queryTimeout;
  }

  /**
   * Looks a host up. Never blocks; the future completes on the caller's Vert.x context (a new event loop context
   * when called from a thread outside Vert.x).
   *
   * @param host a DNS name, an IPv4 literal or an IPv6 literal (bare or in brackets)
   * @return the answer, or a failure: a {@link DnsLookupException} when the name has no address, an
   *     {@link IllegalArgumentException} for an empty host, an {@link IllegalStateException} once closed
   */
  public Future<DnsAnswer> lookup(String host) {
    Objects.requireNonNull(host, "host");
    ContextInternal context = vertx.getOrCreateContext();
    if (closed) {
      return context.failedFuture(new IllegalStateException("DNS lookup is closed: cannot look up '" + host + "'"));
    }
    String literal = host.length() > 2 && host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    if (NetUtil.isValidIpV4Address(literal) || NetUtil.isValidIpV6Address(literal)) {
      byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
      if (bytes != null) {
        return context.succeededFuture(
            new DnsAnswer(host, List.of(NetUtil.bytesToIpAddress(bytes)), DnsAnswer.NEVER_EXPIRES, DnsAnswer.Source.LITERAL));
      }
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.isEmpty()) {
      return context.failedFuture(new IllegalArgumentException(
          "host '" + host + "' is empty: expected a DNS name or an IP address"));
    }
    name = name.toLowerCase(Locale.ROOT);
    List<InetAddress> local = hosts.apply(name, ipv6);
    if (local.isEmpty() && (name.equals("localhost") || name.endsWith(".localhost"))) {
      local = ipv6 ? List.of(NetUtil.LOCALHOST4, NetUtil.LOCALHOST6) : List.of(NetUtil.LOCALHOST4);
    }
    if (!local.isEmpty()) {
      List<String> addresses = new ArrayList<>(local.size());
      for (InetAddress address : local) {
        addresses.add(NetUtil.toAddressString(address));
      }
      return context.succeededFuture(new DnsAnswer(host, List.copyOf(new LinkedHashSet<>(addresses)), HOSTS_FILE_TTL,
          DnsAnswer.Source.HOSTS_FILE));
    }
    PromiseInternal<DnsAnswer> promise = context.promise();
    try {
      loop.execute(() -> new Pending(host, promise).start());
    } catch (RejectedExecutionException e) {
      promise.fail(new IllegalStateException("DNS lookup is closed: cannot look up '" + host
          + "': the Vert.x event loop is shut down", e));
    }
    return promise.future();
  }

  /** Releases the resolver (its socket); lookups after this fail. Lookups under way fail or time out. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (loop.inEventLoop()) {
        resolver.close();
      } else {
        loop.execute(resolver::close);
      }
    } catch (RejectedExecutionException e) {
      // The event loop is shut down, and the resolver's channel closed with it.
    }
  }

  /** One lookup's A and AAAA queries; touched on the resolver's event loop only. */
  private final class Pending {
    private final String host;
    private final PromiseInternal<DnsAnswer> promise;
    private final DnsRecordType[] types;
    private final @Nullable Object[] results;
    private int remaining;

    Pending(String host, PromiseInternal<DnsAnswer> promise) {
      this.host = host;
      this.promise = promise;
      this.types = ipv6 ? new DnsRecordType[] {DnsRecordType.A, DnsRecordType.AAAA}
          : new DnsRecordType[] {DnsRecordType.A};
      this.results = new Object[types.length];
      this.remaining = types.length;
    }

    void start() {
      for (int i = 0; i < types.length; i++) {
        int index = i;
        resolver.resolveAll(new DefaultDnsQuestion(host, types[i])).addListener(
            (io.netty.util.concurrent.Future<List<DnsRecord>> future) -> done(index, future));
      }
    }

    private void done(int index, io.netty.util.concurrent.Future<List<DnsRecord>> future) {
      results[index] = future.isSuccess() ? future.getNow() : future.cause();
      if (--remaining == 0) {
        finish();
      }
    }

    @SuppressWarnings("unchecked")
    private void finish() {
      Set<String> addresses = new LinkedHashSet<>();
      long ttl = Long.MAX_VALUE;
      try {
        for (Object result : results) {
          if (result instanceof List<?> records) {
            for (DnsRecord record : (List<DnsRecord>) records) {
              String address = addressOf(record);
              if (address != null) {
                addresses.add(address);
                ttl = Math.min(ttl, record.timeToLive() > MAX_TTL_SECONDS ? 0 : record.timeToLive());
              }
            }
          }
        }
      } finally {
        for (Object result : results) {
          if (result instanceof List<?> records) {
            records.forEach(ReferenceCountUtil::safeRelease);
          }
        }
      }
      if (!addresses.isEmpty()) {
        promise.complete(new DnsAnswer(host, List.copyOf(addresses), Duration.ofSeconds(ttl), DnsAnswer.Source.DNS));
        return;
      }
      promise.fail(failure());
    }

    private DnsLookupException failure() {
      Kind[] kinds = new Kind[types.length];
      String[] what = new String[types.length];
      for (int i = 0; i < types.length; i++) {
        Throwable cause = results[i] instanceof Throwable t ? t : null;
        kinds[i] = kindOf(cause);
        what[i] = describe(kinds[i], cause);
      }
      Kind kind = kinds[0];
      String text;
      if (types.length == 1 || kinds[0] == kinds[1] && what[0].equals(what[1])) {
        text = kind == Kind.NO_ADDRESS ? (ipv6 ? "answered with no A or AAAA record" : "answered with no A record")
            : what[0];
      } else {
        kind = kinds[0].compareTo(kinds[1]) <= 0 ? kinds[0] : kinds[1];
        text = what[0] + " for A and " + what[1] + " for AAAA";
      }
      DnsLookupException exception = new DnsLookupException(host, kind,
          host + ": no address: the name servers " + nameServersText + " " + text);
      for (Object result : results) {
        if (result instanceof Throwable cause) {
          exception.addSuppressed(cause);
        }
      }
      return exception;
    }

    private String describe(Kind kind, @Nullable Throwable cause) {
      return switch (kind) {
        case TIMEOUT -> "did not answer within " + queryTimeout.toMillis() + " ms";
        case SERVFAIL -> "answered SERVFAIL";
        case NXDOMAIN -> "answered NXDOMAIN";
        case NO_ADDRESS -> "answered with no record";
        case ERROR -> "could not be asked: " + rootMessage(cause);
      };
    }
  }

  private static Kind kindOf(@Nullable Throwable failure) {
    if (failure == null) {
      // resolveAll succeeded with no A or AAAA record in it.
      return Kind.NO_ADDRESS;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof DnsNameResolverTimeoutException) {
        return Kind.TIMEOUT;
      }
      if (cause instanceof DnsErrorCauseException error) {
        DnsResponseCode code = error.getCode();
        if (code != null && code.intValue() == DnsResponseCode.NXDOMAIN.intValue()) {
          return Kind.NXDOMAIN;
        }
        if (code != null && code.intValue() == DnsResponseCode.SERVFAIL.intValue()) {
          return Kind.SERVFAIL;
        }
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    // Netty's "Failed to resolve 'x' [A]" without a cause: the name servers answered, with no record of the type.
    return failure instanceof UnknownHostException && failure.getCause() == null ? Kind.NO_ADDRESS : Kind.ERROR;
  }

  private static String rootMessage(@Nullable Throwable failure) {
    Throwable root = failure;
    for (int depth = 0; root != null && root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
      root = root.getCause();
    }
    return root == null ? "unknown error" : root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static @Nullable String addressOf(DnsRecord record) {
    if (!(record instanceof DnsRawRecord raw)) {
      return null;
    }
    ByteBuf content = raw.content();
    int length = content.readableBytes();
    if (record.type() == DnsRecordType.A && length == 4 || record.type() == DnsRecordType.AAAA && length == 16) {
      byte[] bytes = new byte[length];
      content.getBytes(content.readerIndex(), bytes);
      return NetUtil.bytesToIpAddress(bytes);
    }
    return null;
  }

  // ---- what Vert.x would use: name servers and hosts file

  private static List<InetSocketAddress> vertxNameServers(AddressResolverOptions options) {
    List<String> configured = options.getServers();
    if (configured == null || configured.isEmpty()) {
      return List.copyOf(new LinkedHashSet<>(DefaultDnsServerAddressStreamProvider.defaultAddressList()));
    }
    List<InetSocketAddress> servers = new ArrayList<>(configured.size());
    for (String server : configured) {
      servers.add(nameServer(server));
    }
    return List.copyOf(servers);
  }

  /** A name server as Vert.x's options write it: {@code IP}, {@code IP:PORT}, {@code [IPv6]:PORT}; port 53 unless given. */
  private static InetSocketAddress nameServer(String server) {
    String host = server;
    int port = 53;
    int colon = server.lastIndexOf(':');
    if (server.startsWith("[") && server.contains("]")) {
      int close = server.indexOf(']');
      host = server.substring(1, close);
      if (close + 1 < server.length()) {
        port = port(server, server.substring(close + 1));
      }
    } else if (colon >= 0 && server.indexOf(':') == colon) {
      host = server.substring(0, colon);
      port = port(server, ":" + server.substring(colon + 1));
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
    if (bytes == null) {
      throw new IllegalArgumentException("Vert.x name server '" + server
          + "' is not an IP address with an optional port, such as 127.0.0.1:53");
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Vert.x name server '" + server + "': " + e.getMessage(), e);
    }
  }

  private static int port(String server, String colonAndPort) {
    try {
      if (colonAndPort.startsWith(":")) {
        int port = Integer.parseInt(colonAndPort.substring(1));
        if (port >= 1 && port <= 65_535) {
          return port;
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("Vert.x name server '" + server
        + "' is not an IP address with an optional port, such as 127.0.0.1:53");
  }

  /** The hosts file lookup: (lower-case name, with IPv6) to addresses, IPv4 first; empty when the name is not there. */
  private static BiFunction<String, Boolean, List<InetAddress>> hostsOf(VertxInternal vertx,
      AddressResolverOptions options) {
    HostsFileEntriesProvider parsed;
    try {
      if (options.getHostsPath() != null) {
        File file = vertx.fileResolver().resolve(options.getHostsPath()).getAbsoluteFile();
        parsed = HostsFileEntriesProvider.parser().parse(file);
      } else if (options.getHostsValue() != null) {
        parsed = HostsFileEntriesProvider.parser().parse(new StringReader(options.getHostsValue().toString()));
      } else {
        // Read now (the first time in this JVM), not in the first lookup, which may run on an event loop.
        DefaultHostsFileEntriesResolver system = SystemHosts.RESOLVER;
        return (name, withIpv6) -> orEmpty(system.addresses(name,
            withIpv6 ? ResolvedAddressTypes.IPV4_PREFERRED : ResolvedAddressTypes.IPV4_ONLY));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the hosts file of Vert.x's address resolver options: "
          + e.getMessage(), e);
    }
    Map<String, List<InetAddress>> ipv4 = parsed.ipv4Entries();
    Map<String, List<InetAddress>> ipv6 = parsed.ipv6Entries();
    return (name, withIpv6) -> {
      List<InetAddress> four = orEmpty(ipv4.get(name));
      List<InetAddress> six = withIpv6 ? orEmpty(ipv6.get(name)) : List.of();
      if (six.isEmpty()) {
        return four;
      }
      List<InetAddress> both = new ArrayList<>(four);
      both.addAll(six);
      return both;
    };
  }

  private static List<InetAddress> orEmpty(@Nullable List<InetAddress> addresses) {
    return addresses == null ? List.of() : addresses;
  }

  /** Netty's reading of {@code /etc/hosts}, once per JVM (and again as {@code io.netty.hostsFileRefreshInterval} says). */
  private static final class SystemHosts {
    static final DefaultHostsFileEntriesResolver RESOLVER = new DefaultHostsFileEntriesResolver();
  }
}
