package dev.gatelink.examples.gateway;

import dev.gatelink.alb.AlbTargetProvider;
import dev.gatelink.nlb.NlbTargetProvider;
import dev.gatelink.aws.AwsOptions;
import dev.gatelink.target.DnsSettings;
import dev.gatelink.target.Endpoint;
import dev.gatelink.target.TargetFactory;
import dev.gatelink.target.TargetProvider;
import java.net.InetSocketAddress;
import dev.gatelink.cloudmap.CloudMapTargetProvider;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.openapi.OpenApiLoader;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.transport.Transport;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.Stage;
import dev.gatelink.config.ApiDefinition;

/**
 * The runner's lifecycle: load the API (or start the demo), start the gateway, listen with one HTTP server per
 * event loop (each behind the gateway's front door), start the TLS-passthrough listener if asked for, watch the
 * file; and stop in order: watcher, passthrough listener (its connections closed) and its targets, servers
 * drained, gateway, demo backends, Vert.x.
 *
 * <p>{@link #start} and {@link #stop} block the calling thread (main, or the shutdown hook), never an event loop.
 */
final class GatewayRunner {
  /** How long stopping waits for requests in flight: the longest integration timeout of an HTTP API. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
  /** How long starting waits for the gateway's targets (first discoveries) and for the servers. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final RunnerOptions options;
  private final Transport transport;
  private final Vertx vertx;
  private final Gateway gateway;
  private final @Nullable DemoApi demo;
  private final @Nullable ApiFileWatcher watcher;
  private final String deployment;
  private final List<ServerVerticle> servers;
  private final int port;
  private final @Nullable RunnerPassthrough passthrough;

  private GatewayRunner(RunnerOptions options, Transport transport, Vertx vertx, Gateway gateway,
      @Nullable DemoApi demo, @Nullable ApiFileWatcher watcher, String deployment, List<ServerVerticle> servers,
      @Nullable RunnerPassthrough passthrough) {
    this.options = options;
    this.transport = transport;
    this.vertx = vertx;
    this.gateway = gateway;
    this.demo = demo;
    this.watcher = watcher;
    this.deployment = deployment;
    this.servers = List.copyOf(servers);
    this.port = servers.get(0).actualPort();
    this.passthrough = passthrough;
  }

  /**
   * Starts serving; returns once every server listens.
   *
   * @param options the command line
   * @param err where {@code --watch} prints its reload lines
   * @return the running gateway
   * @throws UsageException if the file or the API is not valid (exit status 2)
   * @throws StartException if something valid could not be started, such as a port in use (exit status 1)
   */
  static GatewayRunner start(RunnerOptions options, PrintStream err) throws UsageException, StartException {
    Transport transport = options.transport().select();
    Path file = options.api();
    OpenApiLoader loader = null;
    ApiFileWatcher watcher = null;
    ApiDefinition api = null;
    if (file != null) {
      loader = loader(options);
      if (options.watch()) {
        watcher = new ApiFileWatcher(file, loader, err);
      }
      try {
        api = loader.load(file);
      } catch (InvalidConfigException e) {
        if (watcher != null) {
          watcher.close();
        }
        throw new UsageException(Messages.located(file, e));
      }
    }

    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventLoopPoolSize(options.eventLoops()))
        .withTransport(transport)
        .build();
    DemoApi demo = null;
    Gateway gateway = null;
    RunnerPassthrough passthrough = null;
    try {
      if (api == null) {
        demo = await(DemoApi.start(vertx, options.accessLog()), START_TIMEOUT, "cannot start the demo backends");
        api = demo.definition();
      }
      List<TargetProvider> providers = providers(options);
      gateway = startGateway(vertx, api, options, file, demo, providers);
      HttpServerOptions serverOptions = Gateway.serverOptions(options.frontDoor())
          .setHost(options.host())
          // A negative port makes every instance share one free port, where port 0 would give each its own.
          .setPort(options.port() == 0 ? -1 : options.port());
      List<ServerVerticle> servers = new CopyOnWriteArrayList<>();
      Gateway served = gateway;
      String deployment = await(vertx.deployVerticle(() -> {
        ServerVerticle server = new ServerVerticle(serverOptions, served, DRAIN_TIMEOUT);
        servers.add(server);
        return server;
      }, new DeploymentOptions().setInstances(options.eventLoops())),
          START_TIMEOUT, "cannot listen on " + options.authority(options.port()));
      passthrough = RunnerPassthrough.start(options, file, vertx, passthroughTargets(vertx, options, providers),
          START_TIMEOUT);
      if (watcher != null) {
        watcher.start(gateway, ApiFileWatcher.DEFAULT_INTERVAL);
      }
      return new GatewayRunner(options, transport, vertx, gateway, demo, watcher, deployment, servers, passthrough);
    } catch (UsageException | StartException | RuntimeException e) {
      if (watcher != null) {
        watcher.close();
      }
      closeQuietly(passthrough == null ? null : passthrough.close());
      closeQuietly(gateway == null ? null : gateway.close());
      closeQuietly(demo == null ? null : demo.close());
      closeQuietly(vertx.close());
      throw e;
    }
  }

  private static OpenApiLoader loader(RunnerOptions options) throws UsageException {
    OpenApiLoader.Builder builder = OpenApiLoader.builder();
    try {
      if (options.awsRegion() != null) {
        builder.awsRegion(options.awsRegion());
      }
      if (options.awsAccountId() != null) {
        builder.awsAccountId(options.awsAccountId());
      }
      for (Stage stage : options.stages()) {
        builder.stage(stage.toBuilder().accessLogSettings(options.accessLog()).build());
      }
    } catch (InvalidConfigException e) {
      throw new UsageException(Messages.oneLine(e.getMessage()));
    }
    return builder.build();
  }

  /**
   * The target providers of the runner's flags, asked before those found with {@code ServiceLoader}: Cloud Map and
   * the ALB and NLB listeners, with {@code --aws-endpoint}, {@code --aws-region} and {@code --dns-server}.
   */
  private static List<TargetProvider> providers(RunnerOptions options) throws UsageException {
    AwsOptions aws = awsOptions(options);
    DnsSettings dns = options.dnsServer() == null ? DnsSettings.builder().build()
        : DnsSettings.builder().nameServers(List.of(new InetSocketAddress(options.dnsServer().host(),
            options.dnsServer().port()))).build();
    return List.of(CloudMapTargetProvider.builder().aws(aws).build(),
        AlbTargetProvider.builder().aws(aws).dns(dns).build(),
        NlbTargetProvider.builder().aws(aws).dns(dns).build());
  }

  /** The providers of the passthrough listener's targets: the gateway's, with the same {@code --resolve}s. */
  private static TargetFactory passthroughTargets(Vertx vertx, RunnerOptions options,
      List<TargetProvider> providers) {
    TargetFactory.Builder factory = TargetFactory.builder(vertx);
    providers.forEach(factory::provider);
    factory.serviceProviders();
    for (RunnerOptions.Resolve resolve : options.resolves()) {
      factory.resolve(resolve.target(), Endpoint.of(resolve.host(), resolve.port()));
    }
    return factory.build();
  }

  private static Gateway startGateway(Vertx vertx, ApiDefinition api, RunnerOptions options, @Nullable Path file,
      @Nullable DemoApi demo, List<TargetProvider> providers) throws UsageException, StartException {
    Gateway.Builder builder = Gateway.builder(vertx, api).frontDoor(options.frontDoor());
    if (demo != null) {
      URI target = URI.create(demo.listenerTarget().url());
      builder.resolve(DemoApi.ORDERS_LISTENER, target.getHost(), target.getPort());
    }
    for (RunnerOptions.Resolve resolve : options.resolves()) {
      builder.resolve(resolve.target(), resolve.host(), resolve.port());
    }
    providers.forEach(builder::targetProvider);
    try {
      return builder.start().await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InvalidConfigException e) {
      throw new UsageException(Messages.located(file, e));
    } catch (Exception e) {
      throw new StartException("cannot start the gateway's targets: " + Messages.of(e));
    }
  }

  /** The AWS options of the runner's flags: {@code --aws-region} and {@code --aws-endpoint}. */
  private static AwsOptions awsOptions(RunnerOptions options) throws UsageException {
    try {
      return AwsOptions.builder().region(options.awsRegion())
          .endpoint(options.awsEndpoint() == null ? null : URI.create(options.awsEndpoint())).build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(Messages.oneLine(e.getMessage()));
    }
  }

  private static <T> T await(Future<T> future, Duration timeout, String what) throws StartException {
    try {
      return future.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new StartException(what + ": " + Messages.of(e));
    }
  }

  private static void closeQuietly(@Nullable Future<?> closing) {
    if (closing == null) {
      return;
    }
    try {
      closing.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Already failing: the first failure is the one reported.
    }
  }

  /** {@return the port the servers listen on: the one asked for, or the free one picked for port 0} */
  int port() {
    return port;
  }

  /** {@return the base URL clients use: {@code http://HOST:PORT}, as printed on the listening line} */
  String url() {
    return "http://" + options.authority(port);
  }

  /**
   * A URL for clients on this machine: as {@link #url()}, with a wildcard address (listening on every
   * interface) replaced by loopback.
   */
  String localUrl() {
    String host = options.host();
    if (host.equals("0.0.0.0")) {
      return "http://127.0.0.1:" + port;
    }
    if (host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
      return "http://[::1]:" + port;
    }
    return url();
  }

  /** {@return the TLS-passthrough listener's authority, {@code HOST:PORT}, or null when there is none} */
  @Nullable String passthroughAuthority() {
    return passthrough == null ? null : options.authority(passthrough.port());
  }

  /** {@return the TLS-passthrough listener, or null when there is none} */
  @Nullable RunnerPassthrough passthrough() {
    return passthrough;
  }

  /** {@return the network transport the servers and backend connections run on} */
  Transport transport() {
    return transport;
  }

  /** {@return the event-loop threads the HTTP servers run on, one server per thread} */
  List<String> serverThreads() {
    return servers.stream().map(server -> String.valueOf(server.thread())).toList();
  }

  /** {@return whether this runner serves the built-in demo} */
  boolean demo() {
    return demo != null;
  }

  /**
   * Stops: the servers stop accepting and finish the requests in flight (for at most {@link #DRAIN_TIMEOUT}),
   * then the watcher, the gateway, the demo backends and Vert.x are closed. Blocks until done.
   *
   * @return true if everything stopped in time, false if something failed or timed out (it is still stopped)
   */
  boolean stop() {
    boolean clean = true;
    if (watcher != null) {
      watcher.close();
    }
    if (passthrough != null) {
      clean &= closed(passthrough.close());
    }
    try {
      vertx.undeploy(deployment).await(DRAIN_TIMEOUT.plus(CLOSE_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      clean = false;
    }
    clean &= closed(gateway.close());
    if (demo != null) {
      clean &= closed(demo.close());
    }
    clean &= closed(vertx.close());
    return clean;
  }

  private static boolean closed(Future<?> closing) {
    try {
      closing.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
