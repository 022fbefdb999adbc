package dev.gatelink.nlb.passthrough;

import dev.gatelink.benchmarks.load.PassthroughBenchFixture;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.AbstractSniHandler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the TLS-passthrough listener spends per connection before it connects: reading the ClientHello's server
 * name (Netty's {@link AbstractSniHandler}, as {@code HelloInspector} extends it) and looking the route up
 * ({@code SniRouteTable}: 100 exact names and 20 wildcard domains). Baselines in the same run: a
 * {@code HashMap.get} of the name (what an exact lookup is at least), and passing the same hello through a
 * channel with a handler that only releases it (what any handler costs).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SniRouting -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SniRoutingBenchmark {
  private SniRouteTable table;
  private Map<String, Target> plainMap;
  private ByteBuf hello;
  private final String exactName = "service-42.orders.example.com";
  private final String wildcardName = "tenant-7.shop-12.example.net";
  private final String unknownName = "nobody.nowhere.example.org";

  /** A target that is never asked: the benchmark only looks routes up. */
  private static Target target(int port) {
    return PassthroughBenchFixture.fixedTarget(Endpoint.of("127.0.0.1", port));
  }

  /** A hello's server name read, as the listener's inspector reads it, then the bytes dropped. */
  private static final class Peek extends AbstractSniHandler<@Nullable Void> {
    @Nullable String seen;

    Peek() {
      super(64 * 1024, 0);
    }

    @Override
    protected io.netty.util.concurrent.Future<@Nullable Void> lookup(ChannelHandlerContext ctx,
        @Nullable String hostname) {
      seen = hostname;
      return ctx.executor().newSucceededFuture(null);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, @Nullable String hostname,
        io.netty.util.concurrent.Future<@Nullable Void> future) {
      // The listener's inspector hands the name to its connection here.
    }
  }

  /**
   * Builds the routes and a real ClientHello (the JDK's TLS engine, SNI {@code service-42.orders.example.com}).
   *
   * @throws Exception if the JDK cannot make a hello
   */
  @Setup
  public void setUp() throws Exception {
    List<SniRoute> routes = new ArrayList<>();
    plainMap = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      String name = "service-" + i + ".orders.example.com";
      Target target = target(10_000 + i);
      routes.add(SniRoute.of(name, target));
      plainMap.put(name, target);
    }
    for (int i = 0; i < 20; i++) {
      routes.add(SniRoute.of("*.shop-" + i + ".example.net", target(20_000 + i)));
    }
    table = new SniRouteTable(routes, target(30_000));

    SSLEngine engine = SSLContext.getDefault().createSSLEngine(exactName, 443);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(exactName)));
    engine.setSSLParameters(parameters);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    hello = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(out));
  }

  /** {@return the route of an exact name} */
  @Benchmark
  public Object routeExact() {
    return table.find(exactName);
  }

  /** {@return the route of a name under a wildcard domain} */
  @Benchmark
  public Object routeWildcard() {
    return table.find(wildcardName);
  }

  /** {@return the default route of a name no route has} */
  @Benchmark
  public Object routeUnknown() {
    return table.find(unknownName);
  }

  /** {@return the baseline: a plain map's lookup of the exact name} */
  @Benchmark
  public Object mapGet() {
    return plainMap.get(exactName);
  }

  /**
   * {@return the server name read from a whole ClientHello, on a new channel (the peek removes itself once it
   * has read a hello, as on a real connection)}
   */
  @Benchmark
  public Object peekHello() {
    Peek peek = new Peek();
    EmbeddedChannel channel = new EmbeddedChannel(peek);
    channel.writeInbound(hello.retainedDuplicate());
    channel.finishAndReleaseAll();
    return peek.seen;
  }

  /** {@return the baseline: the same hello through a new channel whose handler only releases it} */
  @Benchmark
  public boolean passHello() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object message) {
        ((ByteBuf) message).release();
      }
    });
    channel.writeInbound(hello.retainedDuplicate());
    return channel.finishAndReleaseAll();
  }
}
