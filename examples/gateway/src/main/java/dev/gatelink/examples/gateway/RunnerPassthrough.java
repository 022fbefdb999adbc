package dev.gatelink.examples.gateway;

import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.nlb.passthrough.ConnectionLog;
import dev.gatelink.nlb.passthrough.PassthroughTargets;
import dev.gatelink.nlb.passthrough.TlsPassthroughExtension;
import dev.gatelink.nlb.passthrough.TlsPassthroughListener;
import dev.gatelink.nlb.passthrough.TlsPassthroughOptions;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's TLS-passthrough listener: its settings from the API file's {@code x-gatelink-passthrough} and the
 * flags (which win), its targets made by the runner's target providers and started before it listens, and its
 * access log. Closing closes the listener, then the targets.
 */
final class RunnerPassthrough {
  /** The SLF4J logger of the passthrough access log: one JSON line per connection. */
  static final String ACCESS_LOG = "dev.gatelink.accesslog.passthrough";

  private final TlsPassthroughListener listener;
  private final List<Target> targets;

  private RunnerPassthrough(TlsPassthroughListener listener, List<Target> targets) {
    this.listener = listener;
    this.targets = List.copyOf(targets);
  }

  /**
   * Starts the listener the file and the flags ask for, if any.
   *
   * @return the listener, or null when neither asks for one
   * @throws UsageException if the settings are not valid or a target is not claimed (exit status 2)
   * @throws StartException if a target or the listener cannot start (exit status 1)
   */
  static @Nullable RunnerPassthrough start(RunnerOptions options, @Nullable Path file, Vertx vertx,
      TargetFactory factory, Duration timeout) throws UsageException, StartException {
    RunnerOptions.Passthrough flags = options.passthrough();
    Optional<TlsPassthroughExtension> written;
    try {
      written = file == null ? Optional.empty() : TlsPassthroughExtension.read(file);
    } catch (InvalidConfigException e) {
      throw new UsageException(Messages.located(file, e));
    }
    if (written.isEmpty() && !flags.given()) {
      return null;
    }
    TlsPassthroughOptions.Builder settings = TlsPassthroughOptions.builder().host(options.host());
    written.ifPresent(extension -> extension.applyTo(settings));
    if (flags.port() != null) {
      settings.port(flags.port());
    } else if (written.isEmpty() || written.get().port() == null) {
      throw new UsageException((written.isEmpty() ? "--sni-route, --sni-default or --proxy-protocol" : file + ": "
          + TlsPassthroughExtension.KEY + " has no port") + " and --tls-passthrough-port is not given: expected "
          + "--tls-passthrough-port PORT" + (file == null ? "" : " or a port in " + TlsPassthroughExtension.KEY));
    }
    if (flags.proxyProtocol()) {
      settings.proxyProtocol(true);
    }
    Map<String, String> routes = new LinkedHashMap<>(written.map(TlsPassthroughExtension::routes).orElse(Map.of()));
    Map<String, String> where = new LinkedHashMap<>();
    routes.keySet().forEach(name -> where.put(name, file + ": /" + TlsPassthroughExtension.KEY + "/routes/" + name));
    flags.routes().forEach((name, target) -> {
      routes.put(name, target);
      where.put(name, "--sni-route '" + name + "=" + target + "'");
    });
    String defaultTarget = flags.defaultTarget();
    String defaultWhere = "--sni-default '" + defaultTarget + "'";
    if (defaultTarget == null && written.isPresent() && written.get().defaultTarget() != null) {
      defaultTarget = written.get().defaultTarget();
      defaultWhere = file + ": /" + TlsPassthroughExtension.KEY + "/default";
    }
    if (routes.isEmpty() && defaultTarget == null) {
      throw new UsageException("--tls-passthrough-port without a route: expected --sni-route NAME=TARGET or "
          + "--sni-default TARGET");
    }

    List<Target> targets = new ArrayList<>();
    try {
      for (Map.Entry<String, String> route : routes.entrySet()) {
        Target target = PassthroughTargets.create(route.getValue(), route.getKey(), factory,
            where.get(route.getKey()));
        targets.add(target);
        settings.route(route.getKey(), target);
      }
      if (defaultTarget != null) {
        Target target = PassthroughTargets.create(defaultTarget, null, factory, defaultWhere);
        targets.add(target);
        settings.defaultTarget(target);
      }
    } catch (InvalidConfigException e) {
      closeAll(targets, timeout);
      throw new UsageException(Messages.oneLine(e.getMessage()));
    }
    try {
      List<Future<Void>> starting = new ArrayList<>();
      targets.forEach(target -> starting.add(target.start()));
      Future.all(starting).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      closeAll(targets, timeout);
      throw new StartException("cannot start the TLS passthrough listener's targets: " + Messages.of(e));
    }
    Consumer<ConnectionLog> log = options.accessLog() == null ? connection -> {} : accessLog();
    try {
      TlsPassthroughListener listener = TlsPassthroughListener.start(vertx, settings.build(), log)
          .await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new RunnerPassthrough(listener, targets);
    } catch (Exception e) {
      closeAll(targets, timeout);
      // The listener's failure names its address again; its cause is the bind failure.
      throw new StartException("cannot listen for TLS passthrough on " + options.authority(settings.build().port())
          + ": " + Messages.of(e.getCause() != null ? e.getCause() : e));
    }
  }

  private static Consumer<ConnectionLog> accessLog() {
    Logger logger = LoggerFactory.getLogger(ACCESS_LOG);
    return connection -> {
      if (logger.isInfoEnabled()) {
        logger.info(json(connection));
      }
    };
  }

  /** One connection as a JSON line. */
  static String json(ConnectionLog connection) {
    StringBuilder line = new StringBuilder(256).append('{');
    SocketAddress client = connection.client();
    if (client instanceof InetSocketAddress address) {
      field(line, "sourceIp", address.getAddress() == null ? address.getHostString()
          : address.getAddress().getHostAddress());
      line.append(",\"sourcePort\":").append(address.getPort());
    } else {
      field(line, "source", String.valueOf(client));
    }
    line.append(',');
    field(line, "serverName", connection.serverName());
    line.append(",\"offeredAlpn\":[");
    for (int i = 0; i < connection.offeredAlpn().size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      string(line, connection.offeredAlpn().get(i));
    }
    line.append("],");
    field(line, "route", connection.route());
    line.append(',');
    field(line, "routeAlpn", connection.routeAlpn());
    line.append(',');
    field(line, "endpoint", connection.endpoint() == null ? null
        : connection.endpoint().host() + ":" + connection.endpoint().port());
    line.append(",\"bytesFromClient\":").append(connection.bytesFromClient())
        .append(",\"bytesToClient\":").append(connection.bytesToClient())
        .append(",\"zeroCopy\":").append(connection.zeroCopy())
        .append(",\"durationMillis\":").append(connection.duration().toMillis()).append(',');
    field(line, "outcome", connection.outcome() == null ? null : connection.outcome().name());
    line.append(',');
    field(line, "refusal", connection.refusal() == null ? null : connection.refusal().name());
    return line.append('}').toString();
  }

  private static void field(StringBuilder line, String name, @Nullable String value) {
    line.append('"').append(name).append("\":");
    if (value == null) {
      line.append("null");
      return;
    }
    string(line, value);
  }

  private static void string(StringBuilder line, String value) {
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        line.append('\\').append(c);
      } else if (c < 0x20) {
        line.append(String.format("\\u%04x", (int) c));
      } else {
        line.append(c);
      }
    }
    line.append('"');
  }

  /** {@return the port listened on} */
  int port() {
    return listener.actualPort();
  }

  /** {@return the listener} */
  TlsPassthroughListener listener() {
    return listener;
  }

  /** Closes the listener (its connections too), then the targets. */
  Future<Void> close() {
    return listener.close().eventually(() -> {
      List<Future<Void>> closing = new ArrayList<>();
      targets.forEach(target -> closing.add(target.close()));
      return Future.join(closing).mapEmpty();
    });
  }

  private static void closeAll(List<Target> targets, Duration timeout) {
    for (Target target : targets) {
      try {
        target.close().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // Already failing: the first failure is the one reported.
      }
    }
  }
}
