package dev.gatelink.gateway.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import dev.gatelink.target.TrustMaterial;
import java.util.function.BiConsumer;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * Opens HTTP/1.1 connections to backends from one event loop, with Netty directly: a channel of Vert.x's
 * transport (epoll where available) on that loop, Vert.x's name resolver for host names, and, for TLS, an
 * {@link SslHandler} that sends the TLS name as SNI and verifies the certificate against it (not against the
 * dial address).
 *
 * <p>The gateway calls backends with Netty's HTTP codec instead of Vert.x's {@code HttpClient} because the
 * client's request and response objects and futures cost about 16% of the throughput of a small proxied
 * request (measured, see docs/benchmarks.md); everything else (server, resolver, transport, buffers) is
 * Vert.x's.
 */
final class BackendConnector {
  /**
   * Options of a connector, shared by the gateway's event loops.
   *
   * @param sslContext the gateway's TLS context: its trust, key and protocols
   * @param verifyHost false only when the gateway trusts every certificate
   * @param connectTimeoutMillis the connect timeout
   * @param trusted the contexts of targets that trust certificates of their own, made off the event loops when
   *     a configuration is loaded, read per connection
   */
  record Settings(SslContext sslContext, boolean verifyHost, int connectTimeoutMillis,
      Map<TrustMaterial, SslContext> trusted) {}

  /**
   * Netty's limits on a response's status line and headers, above the sizes backends send, so that a large
   * header block is forwarded rather than refused.
   */
  private static final int MAX_INITIAL_LINE_LENGTH = 65_536;
  private static final int MAX_HEADER_SIZE = 65_536;

  private final Settings settings;
  private final Bootstrap bootstrap;

  BackendConnector(VertxInternal vertx, EventLoop loop, Settings settings) {
    this.settings = settings;
    this.bootstrap = new Bootstrap()
        .group(loop)
        .channelFactory(vertx.transport().channelFactory(false))
        .resolver(vertx.nameResolver().nettyAddressResolverGroup())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
        .option(ChannelOption.ALLOCATOR, VertxByteBufAllocator.POOLED_ALLOCATOR);
  }

  /**
   * The address to dial: an IP literal as is, a host name unresolved (resolved by Vert.x's resolver at each
   * connect, never on the event loop).
   */
  static InetSocketAddress address(String host, int port) {
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    if (ip != null) {
      try {
        return new InetSocketAddress(InetAddress.getByAddress(ip), port);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: " + host, e);
      }
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  /**
   * Connects to {@code address}; with {@code tlsName}, speaks TLS with it as SNI and verification name. The
   * callback gets the connection once usable (after the TLS handshake), or the cause of the failure.
   */
  void connect(InetSocketAddress address, @Nullable String tlsName, int tlsPort, @Nullable SslContext sslContext,
      BackendConnection connection,
      BiConsumer<@Nullable BackendConnection, @Nullable Throwable> callback) {
    ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (tlsName != null) {
          pipeline.addLast("ssl", sslHandler(channel, tlsName, tlsPort, sslContext));
        }
        pipeline.addLast("codec", new HttpClientCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
            .setMaxHeaderSize(MAX_HEADER_SIZE), false, false));
        pipeline.addLast("exchange", connection);
      }
    }).connect(address);
    connecting.addListener(done -> {
      if (!done.isSuccess()) {
        callback.accept(null, done.cause());
        return;
      }
      SslHandler handshake = connecting.channel().pipeline().get(SslHandler.class);
      if (handshake == null) {
        callback.accept(connection, null);
        return;
      }
      handshake.handshakeFuture().addListener(shaken -> {
        if (shaken.isSuccess()) {
          callback.accept(connection, null);
        } else {
          connecting.channel().close();
          callback.accept(null, shaken.cause());
        }
      });
    });
  }

  /** {@return the TLS context of a target's own trust material} (null for the gateway's) */
  @Nullable SslContext trusted(@Nullable TrustMaterial trust) {
    return trust == null ? null : settings.trusted().get(trust);
  }

  private SslHandler sslHandler(Channel channel, String tlsName, int tlsPort, @Nullable SslContext own) {
    SslContext context = own != null ? own : settings.sslContext();
    SslHandler handler = context.newHandler(channel.alloc(), tlsName, tlsPort);
    SSLEngine engine = handler.engine();
    SSLParameters parameters = engine.getSSLParameters();
    // A target's own trust material is always verified; the gateway's trust-all (tests) applies to its own only.
    parameters.setEndpointIdentificationAlgorithm(own != null || settings.verifyHost() ? "HTTPS" : null);
    if (!NetUtil.isValidIpV4Address(tlsName) && !NetUtil.isValidIpV6Address(tlsName)) {
      parameters.setServerNames(List.of(new SNIHostName(tlsName)));
    }
    engine.setSSLParameters(parameters);
    return handler;
  }
}
