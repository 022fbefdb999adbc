package dev.gatelink.examples.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import dev.gatelink.config.AccessLogSettings;
import dev.gatelink.gateway.FrontDoorOptions;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.Stage;

/**
 * The runner's command line, parsed and checked: every value is validated here, so that a bad flag is one line
 * on stderr and exit status 2 before anything starts.
 *
 * @param api the OpenAPI file to serve, or null for the demo
 * @param host the address to listen on, without brackets for IPv6
 * @param port the port to listen on, 0 for a free one
 * @param stages the stages the file is deployed to, each with every {@code --stage-variable}; never empty
 * @param resolves address overrides, as {@code --resolve} gives them, in order
 * @param watch whether to reload the file when it changes
 * @param awsEndpoint {@code --aws-endpoint}, or null
 * @param awsRegion {@code --aws-region}, else {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, or null
 * @param awsAccountId {@code --aws-account-id}, else {@code AWS_ACCOUNT_ID}, or null
 * @param dnsServer {@code --dns-server}: the name server load balancers' names are resolved with, or null for the
 *     system's
 * @param eventLoops how many event loops (and HTTP servers) to run
 * @param transport the network transport, {@code --transport}
 * @param frontDoor the limits on clients: {@code --header-timeout}, {@code --body-timeout}, {@code --idle-timeout},
 *     {@code --http2-max-streams}, {@code --http2-max-resets}, {@code --http2-reset-window}
 * @param accessLog {@code --access-log}: the access log of every stage served, or null for none
 * @param passthrough the TLS-passthrough listener's flags: {@code --tls-passthrough-port}, {@code --sni-route},
 *     {@code --sni-default}, {@code --proxy-protocol}
 * @param help whether {@code --help} was given: print the usage and exit
 */
record RunnerOptions(
    @Nullable Path api,
    String host,
    int port,
    List<Stage> stages,
    List<Resolve> resolves,
    boolean watch,
    @Nullable String awsEndpoint,
    @Nullable String awsRegion,
    @Nullable String awsAccountId,
    @Nullable Resolve dnsServer,
    int eventLoops,
    RunnerTransport transport,
    FrontDoorOptions frontDoor,
    @Nullable AccessLogSettings accessLog,
    Passthrough passthrough,
    boolean help) {

  /** The address listened on by default: loopback only. */
  static final String DEFAULT_HOST = "127.0.0.1";
  /** The port listened on by default. */
  static final int DEFAULT_PORT = 8080;
  /** Event loops by default, one HTTP server on each. */
  static final int DEFAULT_EVENT_LOOPS = 2;
  /** The most event loops {@code --event-loops} accepts. */
  static final int MAX_EVENT_LOOPS = 256;

  /** What {@code --help} prints. */
  static final String USAGE = String.join("\n",
      "Usage: java -jar gatelink-gateway.jar [options]",
      "",
      "Serves an Amazon API Gateway HTTP API from an OpenAPI 3.0 file, forwarding each request to its",
      "integration. Without --api it runs a demo API over three built-in backends and prints curl commands.",
      "",
      "Options:",
      "  --api FILE                   OpenAPI 3.0 file (YAML or JSON) with x-amazon-apigateway-integration",
      "  --host HOST                  address to listen on (default " + DEFAULT_HOST + "; 0.0.0.0 for all)",
      "  --port PORT                  port to listen on, 0 for a free one (default " + DEFAULT_PORT + ")",
      "  --stage NAME                 a stage the file is deployed to, repeatable (default: $default only)",
      "  --stage-variable NAME=VALUE  a stage variable of every stage served, repeatable",
      "  --resolve TARGET=HOST:PORT   send requests meant for TARGET (a host, host:port or integration uri)",
      "                               to HOST:PORT, keeping the Host header and TLS name; repeatable",
      "  --watch                      reload --api FILE when it changes; an invalid file keeps the old one",
      "  --aws-endpoint URL           AWS API endpoint for target discovery, such as a local emulator",
      "  --aws-region REGION          for ${AWS::Region} and AWS calls (default: $AWS_REGION, $AWS_DEFAULT_REGION)",
      "  --aws-account-id ID          for ${AWS::AccountId} (default: $AWS_ACCOUNT_ID)",
      "  --dns-server HOST:PORT       name server for load balancers' DNS names (default: the system's)",
      "  --event-loops N              event loops, one HTTP server on each (default " + DEFAULT_EVENT_LOOPS + ")",
      "  --transport NAME             auto, epoll, io_uring or nio (default auto: the first of epoll, io_uring",
      "                               and nio that can run here)",
      "  --header-timeout DURATION    time a request's headers may take to arrive, from their first byte; then",
      "                               408 and close (default " + seconds(FrontDoorOptions.DEFAULT_HEADER_TIMEOUT) + ")",
      "  --body-timeout DURATION      time a request body may stop moving; then 408 and close (default "
          + seconds(FrontDoorOptions.DEFAULT_BODY_TIMEOUT) + ")",
      "  --idle-timeout DURATION      time a connection may stay without a byte read or written; then close",
      "                               (default " + seconds(FrontDoorOptions.DEFAULT_IDLE_TIMEOUT) + ")",
      "  --http2-max-streams N        streams an HTTP/2 client may have open at once (default "
          + FrontDoorOptions.DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS + ")",
      "  --http2-max-resets N         RST_STREAM frames an HTTP/2 connection may carry per window; then GOAWAY",
      "                               (default " + FrontDoorOptions.DEFAULT_HTTP2_MAX_RESETS + ")",
      "  --http2-reset-window DURATION  the window of --http2-max-resets, whole seconds (default "
          + seconds(FrontDoorOptions.DEFAULT_HTTP2_RESET_WINDOW) + ")",
      "  --access-log FORMAT          an access log line per request on SLF4J logger dev.gatelink.accesslog:",
      "                               clf, json, xml, csv, or a format of $context variables; and a JSON line",
      "                               per passthrough connection on dev.gatelink.accesslog.passthrough",
      "  --tls-passthrough-port PORT  also listen (on --host) for TLS connections routed by server name (SNI)",
      "                               without ending TLS; 0 for a free port",
      "  --sni-route NAME=TARGET      send TLS connections for NAME (a DNS name, or *.DOMAIN) to TARGET:",
      "                               HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE; repeatable",
      "  --sni-default TARGET         where connections without a server name or with an unknown one go",
      "                               (default: they are closed)",
      "  --proxy-protocol             send a PROXY protocol v2 header (the client's address) to passthrough targets",
      "  --help                       print this help and exit",
      "",
      "A DURATION is a number with a unit: 500ms, 30s, 2m or 1h, from 1ms to 24h.",
      "Flags also take the form --flag=VALUE. Once it accepts connections it prints one line:",
      "  Gatelink listening on http://HOST:PORT",
      "and, with a passthrough listener, one more:",
      "  Gatelink TLS passthrough listening on HOST:PORT",
      "SIGTERM or Ctrl-C stops accepting, drains requests in flight (up to 30 s) and exits 0.",
      "Exit status: 0 after --help or a stop; 1 when it cannot start (port in use, a target that cannot",
      "start); 2 for an invalid option or API file, with one line on stderr.",
      "");

  private static final String EXPECTED_PORT = "expected a port number from 0 to 65535";
  private static final String EXPECTED_TARGET_PORT = "expected a port number from 1 to 65535";
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");
  /** As {@code OpenApiLoader} checks it, so that a bad region is reported as the flag. */
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern URL = Pattern.compile("https?://[^\\s/?#]+(/[^\\s]*)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
  private static final Pattern COUNT = Pattern.compile("[0-9]{1,10}");
  private static final String EXPECTED_DURATION = "expected a duration from 1ms to 24h, such as 30s, 500ms or 2m";
  private static final String PASSTHROUGH_TARGETS =
      "HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE";

  /** The flags, each with what it expects, in the order usage lists them. */
  private enum Flag {
    API("--api", "expected a path to an OpenAPI 3.0 file (YAML or JSON)"),
    HOST("--host", "expected a host name or IP address to listen on"),
    PORT("--port", EXPECTED_PORT),
    STAGE("--stage", "expected a stage name: $default or 1 to 128 letters, digits, hyphens and underscores"),
    STAGE_VARIABLE("--stage-variable", "expected NAME=VALUE"),
    RESOLVE("--resolve", "expected TARGET=HOST:PORT"),
    WATCH("--watch", null),
    AWS_ENDPOINT("--aws-endpoint", "expected an http:// or https:// URL"),
    AWS_REGION("--aws-region", "expected an AWS region such as eu-west-1"),
    AWS_ACCOUNT_ID("--aws-account-id", "expected a 12-digit AWS account id"),
    DNS_SERVER("--dns-server", "expected HOST:PORT, such as 127.0.0.1:53"),
    EVENT_LOOPS("--event-loops", "expected a number of event loops from 1 to " + MAX_EVENT_LOOPS),
    TRANSPORT("--transport", "expected one of " + RunnerTransport.names()),
    HEADER_TIMEOUT("--header-timeout", EXPECTED_DURATION),
    BODY_TIMEOUT("--body-timeout", EXPECTED_DURATION),
    IDLE_TIMEOUT("--idle-timeout", EXPECTED_DURATION),
    HTTP2_MAX_STREAMS("--http2-max-streams", "expected a number of streams from 1 to " + Integer.MAX_VALUE),
    HTTP2_MAX_RESETS("--http2-max-resets", "expected a number of frames from 1 to " + Integer.MAX_VALUE),
    HTTP2_RESET_WINDOW("--http2-reset-window", "expected whole seconds from 1s to 24h, such as 30s or 1m"),
    ACCESS_LOG("--access-log", "expected clf, json, xml, csv or a format with $context variables, such as"
        + " '$context.requestId $context.status'"),
    TLS_PASSTHROUGH_PORT("--tls-passthrough-port", EXPECTED_PORT),
    SNI_ROUTE("--sni-route", "expected NAME=TARGET, TARGET being " + PASSTHROUGH_TARGETS),
    SNI_DEFAULT("--sni-default", "expected TARGET: " + PASSTHROUGH_TARGETS),
    PROXY_PROTOCOL("--proxy-protocol", null),
    HELP("--help", null);

    final String text;
    final @Nullable String expected;

    Flag(String text, @Nullable String expected) {
      this.text = text;
      this.expected = expected;
    }

    boolean takesValue() {
      return expected != null;
    }

    boolean repeatable() {
      return this == STAGE || this == STAGE_VARIABLE || this == RESOLVE || this == SNI_ROUTE;
    }

    static @Nullable Flag named(String text) {
      if (text.equals("-h")) {
        return HELP;
      }
      for (Flag flag : values()) {
        if (flag.text.equals(text)) {
          return flag;
        }
      }
      return null;
    }

    static String list() {
      StringBuilder all = new StringBuilder();
      for (Flag flag : values()) {
        all.append(all.length() == 0 ? "" : ", ").append(flag.text);
      }
      return all.toString();
    }
  }

  /**
   * One {@code --resolve}: requests meant for {@code target} go to {@code host:port}.
   *
   * @param target a host name, {@code host:port}, or a whole integration uri
   * @param host the host to connect to instead, without brackets for IPv6
   * @param port the port to connect to instead
   */
  record Resolve(String target, String host, int port) {}

  /**
   * The TLS-passthrough listener's flags; they add to (and win over) the API file's
   * {@code x-gatelink-passthrough}.
   *
   * @param port {@code --tls-passthrough-port}, or null
   * @param routes each {@code --sni-route}: server name (in lower case) to target, in order
   * @param defaultTarget {@code --sni-default}, or null
   * @param proxyProtocol {@code --proxy-protocol}
   */
  record Passthrough(@Nullable Integer port, Map<String, String> routes, @Nullable String defaultTarget,
      boolean proxyProtocol) {
    static final Passthrough NONE = new Passthrough(null, Map.of(), null, false);

    Passthrough {
      routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    }

    /** {@return whether any passthrough flag was given} */
    boolean given() {
      return port != null || !routes.isEmpty() || defaultTarget != null || proxyProtocol;
    }
  }

  RunnerOptions {
    stages = List.copyOf(stages);
    resolves = List.copyOf(resolves);
  }

  /** {@return the listening address as a URL authority: IPv6 in brackets} */
  String authority(int actualPort) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + actualPort;
  }

  /**
   * Parses a command line.
   *
   * @param args the arguments, as {@code main} gets them
   * @param env the environment, for {@code AWS_REGION}, {@code AWS_DEFAULT_REGION} and {@code AWS_ACCOUNT_ID}
   * @return the options
   * @throws UsageException if a flag is unknown, lacks its value, repeats, or has a value that is not valid
   */
  static RunnerOptions parse(List<String> args, Map<String, String> env) throws UsageException {
    Map<Flag, String> single = new LinkedHashMap<>();
    List<String> stageNames = new ArrayList<>();
    Map<String, String> variables = new LinkedHashMap<>();
    Map<String, String> variableArgs = new LinkedHashMap<>();
    Map<String, Resolve> resolves = new LinkedHashMap<>();
    Map<String, String> sniRoutes = new LinkedHashMap<>();
    boolean watch = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-") || arg.equals("-")) {
        throw new UsageException("unexpected argument '" + arg + "': expected options only, such as --api FILE (see --help)");
      }
      int equals = arg.indexOf('=');
      String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
      Flag flag = Flag.named(name);
      if (flag == null) {
        throw new UsageException("unknown option '" + name + "': expected one of " + Flag.list());
      }
      if (flag == Flag.HELP && equals < 0) {
        return defaults(true);
      }
      String value;
      if (!flag.takesValue()) {
        if (equals > 0) {
          throw new UsageException(flag.text + " '" + arg.substring(equals + 1) + "': expected no value");
        }
        value = "";
      } else if (equals > 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        throw new UsageException(flag.text + ": missing value: " + flag.expected);
      }
      if (!flag.repeatable() && single.containsKey(flag)) {
        throw new UsageException(flag.text + " is given twice: expected it at most once");
      }
      switch (flag) {
        case STAGE -> {
          checkStageName(value);
          if (stageNames.contains(value)) {
            throw new UsageException("--stage '" + value + "' is given twice: expected each stage once");
          }
          stageNames.add(value);
        }
        case STAGE_VARIABLE -> {
          int split = value.indexOf('=');
          if (split <= 0) {
            throw new UsageException("--stage-variable '" + value + "': " + flag.expected);
          }
          String variable = value.substring(0, split);
          if (variables.containsKey(variable)) {
            throw new UsageException("--stage-variable '" + value + "': " + variable
                + " is given twice: expected each stage variable once");
          }
          variables.put(variable, value.substring(split + 1));
          variableArgs.put(variable, value);
        }
        case RESOLVE -> {
          Resolve resolve = parseResolve(value);
          if (resolves.containsKey(resolve.target())) {
            throw new UsageException("--resolve '" + value + "': target '" + resolve.target()
                + "' is given twice: expected each target once");
          }
          resolves.put(resolve.target(), resolve);
        }
        case WATCH -> {
          watch = true;
          single.put(flag, value);
        }
        case SNI_ROUTE -> {
          int split = value.indexOf('=');
          if (split <= 0 || split == value.length() - 1) {
            throw new UsageException("--sni-route '" + value + "': " + flag.expected);
          }
          String serverName = value.substring(0, split).toLowerCase(Locale.ROOT);
          String problem = PassthroughFlags.serverNameProblem(serverName);
          if (problem != null) {
            throw new UsageException("--sni-route '" + value + "': " + problem);
          }
          if (sniRoutes.containsKey(serverName)) {
            throw new UsageException("--sni-route '" + value + "': server name '" + serverName
                + "' is given twice: expected each name once");
          }
          sniRoutes.put(serverName, checkPassthroughTarget(flag, value, value.substring(split + 1)));
        }
        case SNI_DEFAULT -> single.put(flag, checkPassthroughTarget(flag, value, value));
        default -> single.put(flag, value);
      }
    }

    String apiText = single.get(Flag.API);
    if (apiText != null && apiText.isEmpty()) {
      throw new UsageException("--api '': " + Flag.API.expected);
    }
    Path api = apiText == null ? null : Path.of(apiText);
    if (api == null) {
      if (watch) {
        throw new UsageException("--watch without --api: expected --api FILE to watch");
      }
      if (!stageNames.isEmpty()) {
        throw new UsageException("--stage without --api: expected --api FILE (the demo API has its own stages)");
      }
      if (!variables.isEmpty()) {
        throw new UsageException(
            "--stage-variable without --api: expected --api FILE (the demo API has its own stages)");
      }
    }

    String host = single.getOrDefault(Flag.HOST, DEFAULT_HOST);
    host = checkHost(host);
    int port = single.containsKey(Flag.PORT) ? parsePort(Flag.PORT, single.get(Flag.PORT), 0, EXPECTED_PORT)
        : DEFAULT_PORT;
    int eventLoops = single.containsKey(Flag.EVENT_LOOPS) ? parseEventLoops(single.get(Flag.EVENT_LOOPS))
        : DEFAULT_EVENT_LOOPS;
    RunnerTransport transport = RunnerTransport.AUTO;
    if (single.containsKey(Flag.TRANSPORT)) {
      transport = RunnerTransport.named(single.get(Flag.TRANSPORT));
      if (transport == null) {
        throw new UsageException("--transport '" + single.get(Flag.TRANSPORT) + "': " + Flag.TRANSPORT.expected);
      }
    }

    FrontDoorOptions frontDoor = frontDoor(single);

    String awsEndpoint = single.get(Flag.AWS_ENDPOINT);
    if (awsEndpoint != null && !URL.matcher(awsEndpoint).matches()) {
      throw new UsageException("--aws-endpoint '" + awsEndpoint + "': " + Flag.AWS_ENDPOINT.expected);
    }
    String awsRegion = fromFlagOrEnv(single, Flag.AWS_REGION, env, REGION, "AWS_REGION", "AWS_DEFAULT_REGION");
    String awsAccountId = fromFlagOrEnv(single, Flag.AWS_ACCOUNT_ID, env, ACCOUNT_ID, "AWS_ACCOUNT_ID");
    Resolve dnsServer = null;
    if (single.containsKey(Flag.DNS_SERVER)) {
      String value = single.get(Flag.DNS_SERVER);
      try {
        dnsServer = parseResolve("dns=" + value);
      } catch (UsageException e) {
        throw new UsageException("--dns-server '" + value + "': " + Flag.DNS_SERVER.expected);
      }
    }

    Integer passthroughPort = single.containsKey(Flag.TLS_PASSTHROUGH_PORT)
        ? parsePort(Flag.TLS_PASSTHROUGH_PORT, single.get(Flag.TLS_PASSTHROUGH_PORT), 0, EXPECTED_PORT) : null;
    Passthrough passthrough = new Passthrough(passthroughPort, sniRoutes, single.get(Flag.SNI_DEFAULT),
        single.containsKey(Flag.PROXY_PROTOCOL));
    if (api == null && passthroughPort == null && passthrough.given()) {
      Flag first = !sniRoutes.isEmpty() ? Flag.SNI_ROUTE : passthrough.defaultTarget() != null ? Flag.SNI_DEFAULT
          : Flag.PROXY_PROTOCOL;
      throw new UsageException(first.text + " without --tls-passthrough-port: expected --tls-passthrough-port PORT"
          + " (or --api FILE with x-gatelink-passthrough)");
    }
    if (passthroughPort != null && api == null && sniRoutes.isEmpty() && passthrough.defaultTarget() == null) {
      throw new UsageException("--tls-passthrough-port without a route: expected --sni-route NAME=TARGET or "
          + "--sni-default TARGET");
    }

    List<Stage> stages = new ArrayList<>();
    for (String stageName : stageNames.isEmpty() ? List.of(Stage.DEFAULT_NAME) : stageNames) {
      stages.add(stage(stageName, variables, variableArgs));
    }
    return new RunnerOptions(api, host, port, stages, new ArrayList<>(resolves.values()), watch, awsEndpoint,
        awsRegion, awsAccountId, dnsServer, eventLoops, transport, frontDoor, accessLog(single.get(Flag.ACCESS_LOG)),
        passthrough, false);
  }

  /** {@return the options of a command line without flags: the demo on the default host and port} */
  static RunnerOptions defaults(boolean help) {
    return new RunnerOptions(null, DEFAULT_HOST, DEFAULT_PORT, List.of(Stage.of(Stage.DEFAULT_NAME)), List.of(),
        false, null, null, null, null, DEFAULT_EVENT_LOOPS, RunnerTransport.AUTO, FrontDoorOptions.defaults(), null,
        Passthrough.NONE, help);
  }

  /** The front door's limits from their flags, each at its default when not given. */
  private static @Nullable AccessLogSettings accessLog(@Nullable String value) throws UsageException {
    if (value == null) {
      return null;
    }
    switch (value) {
      case "clf":
        return AccessLogSettings.clf();
      case "json":
        return AccessLogSettings.json();
      case "xml":
        return AccessLogSettings.xml();
      case "csv":
        return AccessLogSettings.csv();
      default:
        if (!value.contains("$context.")) {
          throw new UsageException("--access-log '" + value + "': " + Flag.ACCESS_LOG.expected);
        }
        try {
          return AccessLogSettings.of(value);
        } catch (InvalidConfigException e) {
          throw new UsageException("--access-log '" + value + "': " + e.getMessage());
        }
    }
  }

  private static FrontDoorOptions frontDoor(Map<Flag, String> single) throws UsageException {
    FrontDoorOptions.Builder builder = FrontDoorOptions.builder();
    if (single.containsKey(Flag.HEADER_TIMEOUT)) {
      builder.headerTimeout(parseDuration(Flag.HEADER_TIMEOUT, single.get(Flag.HEADER_TIMEOUT), false));
    }
    if (single.containsKey(Flag.BODY_TIMEOUT)) {
      builder.bodyTimeout(parseDuration(Flag.BODY_TIMEOUT, single.get(Flag.BODY_TIMEOUT), false));
    }
    if (single.containsKey(Flag.IDLE_TIMEOUT)) {
      builder.idleTimeout(parseDuration(Flag.IDLE_TIMEOUT, single.get(Flag.IDLE_TIMEOUT), false));
    }
    if (single.containsKey(Flag.HTTP2_MAX_STREAMS)) {
      builder.http2MaxConcurrentStreams(parseCount(Flag.HTTP2_MAX_STREAMS, single.get(Flag.HTTP2_MAX_STREAMS)));
    }
    if (single.containsKey(Flag.HTTP2_MAX_RESETS)) {
      builder.http2MaxResets(parseCount(Flag.HTTP2_MAX_RESETS, single.get(Flag.HTTP2_MAX_RESETS)));
    }
    if (single.containsKey(Flag.HTTP2_RESET_WINDOW)) {
      builder.http2ResetWindow(parseDuration(Flag.HTTP2_RESET_WINDOW, single.get(Flag.HTTP2_RESET_WINDOW), true));
    }
    return builder.build();
  }

  /**
   * Parses {@code 500ms}, {@code 30s}, {@code 2m} or {@code 1h}: 1 ms to 24 h, and whole seconds when
   * {@code wholeSeconds}.
   */
  private static Duration parseDuration(Flag flag, String text, boolean wholeSeconds) throws UsageException {
    Matcher matcher = DURATION.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      Duration duration = switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
      Duration least = wholeSeconds ? Duration.ofSeconds(1) : Duration.ofMillis(1);
      if (duration.compareTo(least) >= 0 && duration.compareTo(FrontDoorOptions.MAX_DURATION) <= 0
          && (!wholeSeconds || duration.getNano() == 0)) {
        return duration;
      }
    }
    throw new UsageException(flag.text + " '" + text + "': " + flag.expected);
  }

  private static int parseCount(Flag flag, String text) throws UsageException {
    if (!COUNT.matcher(text).matches() || Long.parseLong(text) < 1 || Long.parseLong(text) > Integer.MAX_VALUE) {
      throw new UsageException(flag.text + " '" + text + "': " + flag.expected);
    }
    return Integer.parseInt(text);
  }

  /** A default for the usage text, such as {@code 30s}. */
  private static String seconds(Duration duration) {
    return duration.toSeconds() + "s";
  }

  private static void checkStageName(String name) throws UsageException {
    try {
      Stage.of(name);
    } catch (InvalidConfigException e) {
      throw new UsageException("--stage '" + name + "': " + e.getMessage());
    }
  }

  /** A stage with the variables; a variable that the stage refuses is reported as its flag. */
  private static Stage stage(String name, Map<String, String> variables, Map<String, String> variableArgs)
      throws UsageException {
    Map<String, String> checked = new LinkedHashMap<>();
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      checked.put(variable.getKey(), variable.getValue());
      try {
        Stage.of(name, checked);
      } catch (InvalidConfigException e) {
        throw new UsageException("--stage-variable '" + variableArgs.get(variable.getKey()) + "': " + e.getMessage());
      }
    }
    return Stage.of(name, Collections.unmodifiableMap(checked));
  }

  private static String checkHost(String host) throws UsageException {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!HOST.matcher(bare).matches()) {
      throw new UsageException("--host '" + host + "': " + Flag.HOST.expected);
    }
    return bare;
  }

  private static int parsePort(Flag flag, String text, int min, String expected) throws UsageException {
    if (!DIGITS.matcher(text).matches() || Integer.parseInt(text) < min || Integer.parseInt(text) > 65_535) {
      throw new UsageException(flag.text + " '" + text + "': " + expected);
    }
    return Integer.parseInt(text);
  }

  private static int parseEventLoops(String text) throws UsageException {
    if (!DIGITS.matcher(text).matches() || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_EVENT_LOOPS) {
      throw new UsageException("--event-loops '" + text + "': " + Flag.EVENT_LOOPS.expected);
    }
    return Integer.parseInt(text);
  }

  /**
   * Parses {@code TARGET=HOST:PORT}, split at the last {@code =} since a target (a Cloud Map ARN with a query)
   * may hold one; an IPv6 host is written in brackets.
   */
  static Resolve parseResolve(String value) throws UsageException {
    int split = value.lastIndexOf('=');
    if (split <= 0 || split == value.length() - 1) {
      throw new UsageException("--resolve '" + value + "': " + Flag.RESOLVE.expected);
    }
    String target = value.substring(0, split);
    String address = value.substring(split + 1);
    String host;
    String port;
    if (address.startsWith("[")) {
      int close = address.indexOf(']');
      if (close < 2 || close + 1 >= address.length() || address.charAt(close + 1) != ':') {
        throw new UsageException("--resolve '" + value + "': address '" + address
            + "' is not [ADDRESS]:PORT: expected TARGET=HOST:PORT, such as " + target + "=[::1]:8080");
      }
      host = address.substring(1, close);
      port = address.substring(close + 2);
    } else {
      int colon = address.lastIndexOf(':');
      if (colon < 0) {
        throw new UsageException("--resolve '" + value + "': address '" + address
            + "' has no port: expected TARGET=HOST:PORT");
      }
      host = address.substring(0, colon);
      port = address.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new UsageException("--resolve '" + value + "': IPv6 address '" + host
            + "' is not in brackets: expected TARGET=[ADDRESS]:PORT, such as " + target + "=[::1]:8080");
      }
      if (host.isEmpty() || !HOST.matcher(host).matches()) {
        throw new UsageException("--resolve '" + value + "': host '" + host
            + "' is not valid: expected TARGET=HOST:PORT with a host name or IP address");
      }
    }
    if (!DIGITS.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
      throw new UsageException("--resolve '" + value + "': port '" + port + "': " + EXPECTED_TARGET_PORT);
    }
    return new Resolve(target, host, Integer.parseInt(port));
  }

  /** A passthrough target as written, checked: {@code HOST:PORT}, a listener ARN or {@code cloudmap://}. */
  private static String checkPassthroughTarget(Flag flag, String value, String target) throws UsageException {
    String problem = PassthroughFlags.targetProblem(target);
    if (problem != null) {
      throw new UsageException(flag.text + " '" + value + "': " + problem);
    }
    return target;
  }

  private static @Nullable String fromFlagOrEnv(Map<Flag, String> single, Flag flag, Map<String, String> env,
      Pattern valid, String... variables) throws UsageException {
    String value = single.get(flag);
    if (value != null) {
      if (!valid.matcher(value).matches()) {
        throw new UsageException(flag.text + " '" + value + "': " + flag.expected);
      }
      return value;
    }
    for (String variable : variables) {
      String fromEnv = env.get(variable);
      if (fromEnv != null && !fromEnv.isEmpty()) {
        if (!valid.matcher(fromEnv).matches()) {
          throw new UsageException("environment variable " + variable + " '" + fromEnv + "': "
              + Objects.requireNonNull(flag.expected) + " (or set " + flag.text + ")");
        }
        return fromEnv;
      }
    }
    return null;
  }
}
