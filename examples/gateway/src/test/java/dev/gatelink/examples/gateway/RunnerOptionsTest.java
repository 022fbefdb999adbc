package dev.gatelink.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import dev.gatelink.config.Stage;
import dev.gatelink.config.AccessLogSettings;
import dev.gatelink.gateway.FrontDoorOptions;

/** The command line, parsed in-process: values, defaults, and every error message whole. */
class RunnerOptionsTest {
  private static final String FLAGS = "--api, --host, --port, --stage, --stage-variable, --resolve, --watch, "
      + "--aws-endpoint, --aws-region, --aws-account-id, --dns-server, --event-loops, --transport, --header-timeout, "
      + "--body-timeout, --idle-timeout, --http2-max-streams, --http2-max-resets, --http2-reset-window, --access-log, "
      + "--tls-passthrough-port, --sni-route, --sni-default, --proxy-protocol, --help";

  @Test
  void withoutFlagsItIsTheDemoOnLoopbackPort8080() throws Exception {
    RunnerOptions options = parse();

    assertThat(options.api()).isNull();
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.stages()).containsExactly(Stage.of("$default"));
    assertThat(options.resolves()).isEmpty();
    assertThat(options.watch()).isFalse();
    assertThat(options.awsEndpoint()).isNull();
    assertThat(options.awsRegion()).isNull();
    assertThat(options.awsAccountId()).isNull();
    assertThat(options.eventLoops()).isEqualTo(2);
    assertThat(options.transport()).isEqualTo(RunnerTransport.AUTO);
    assertThat(options.frontDoor()).isEqualTo(FrontDoorOptions.defaults());
    assertThat(options.passthrough()).isEqualTo(RunnerOptions.Passthrough.NONE);
    assertThat(options.passthrough().given()).isFalse();
    assertThat(options.help()).isFalse();
  }

  @Test
  void passthroughFlagsGiveThePortTheRoutesInOrderTheDefaultAndProxyProtocol() throws Exception {
    RunnerOptions options = parse("--tls-passthrough-port", "0", "--sni-route", "Orders.Example.com=127.0.0.1:9443",
        "--sni-route=*.internal.example.com=cloudmap://internal/api", "--sni-route",
        "stock.example.com=arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/net/stock/0a1b/2c3d",
        "--sni-default", "[::1]:8443", "--proxy-protocol");

    Map<String, String> routes = new java.util.LinkedHashMap<>();
    routes.put("orders.example.com", "127.0.0.1:9443");
    routes.put("*.internal.example.com", "cloudmap://internal/api");
    routes.put("stock.example.com",
        "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/net/stock/0a1b/2c3d");
    assertThat(options.passthrough()).isEqualTo(new RunnerOptions.Passthrough(0, routes, "[::1]:8443", true));
    assertThat(List.copyOf(options.passthrough().routes().keySet())).containsExactly("orders.example.com",
        "*.internal.example.com", "stock.example.com");
  }

  @Test
  void passthroughRoutesMayComeFromTheApiFileAlone() throws Exception {
    RunnerOptions options = parse("--api", "api.yaml", "--sni-route", "a.example.com=127.0.0.1:9443");

    assertThat(options.passthrough()).isEqualTo(new RunnerOptions.Passthrough(null,
        Map.of("a.example.com", "127.0.0.1:9443"), null, false));
  }

  @Test
  void frontDoorFlagsSetTheGatewaysLimits() throws Exception {
    RunnerOptions options = parse("--header-timeout", "10s", "--body-timeout=1500ms", "--idle-timeout", "2m",
        "--http2-max-streams", "64", "--http2-max-resets=50", "--http2-reset-window", "1h");

    assertThat(options.frontDoor()).isEqualTo(FrontDoorOptions.builder()
        .headerTimeout(Duration.ofSeconds(10))
        .bodyTimeout(Duration.ofMillis(1500))
        .idleTimeout(Duration.ofMinutes(2))
        .http2MaxConcurrentStreams(64)
        .http2MaxResets(50)
        .http2ResetWindow(Duration.ofHours(1))
        .build());
  }

  @Test
  void frontDoorFlagsAcceptTheEdgesOfTheirRanges() throws Exception {
    FrontDoorOptions low = parse("--header-timeout", "1ms", "--http2-max-streams", "1", "--http2-reset-window",
        "1000ms").frontDoor();
    FrontDoorOptions high = parse("--idle-timeout", "24h", "--http2-max-resets", "2147483647",
        "--http2-reset-window", "1440m").frontDoor();

    assertThat(low.headerTimeout()).isEqualTo(Duration.ofMillis(1));
    assertThat(low.http2MaxConcurrentStreams()).isEqualTo(1);
    assertThat(low.http2ResetWindow()).isEqualTo(Duration.ofSeconds(1));
    assertThat(high.idleTimeout()).isEqualTo(Duration.ofHours(24));
    assertThat(high.http2MaxResets()).isEqualTo(Integer.MAX_VALUE);
    assertThat(high.http2ResetWindow()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void everyFlagWithItsValueSeparateOrAfterAnEqualsSign() throws Exception {
    RunnerOptions options = parse("--api", "conf/api.yaml", "--host=0.0.0.0", "--port", "0", "--watch",
        "--aws-endpoint=http://127.0.0.1:4566", "--aws-region", "eu-west-1", "--aws-account-id=111122223333",
        "--dns-server", "127.0.0.1:5353", "--event-loops", "4", "--transport=epoll");

    assertThat(options.api()).isEqualTo(Path.of("conf/api.yaml"));
    assertThat(options.host()).isEqualTo("0.0.0.0");
    assertThat(options.port()).isZero();
    assertThat(options.watch()).isTrue();
    assertThat(options.awsEndpoint()).isEqualTo("http://127.0.0.1:4566");
    assertThat(options.awsRegion()).isEqualTo("eu-west-1");
    assertThat(options.awsAccountId()).isEqualTo("111122223333");
    assertThat(options.dnsServer()).isEqualTo(new RunnerOptions.Resolve("dns", "127.0.0.1", 5353));
    assertThat(options.eventLoops()).isEqualTo(4);
    assertThat(options.transport()).isEqualTo(RunnerTransport.EPOLL);
    assertThat(options.authority(8080)).isEqualTo("0.0.0.0:8080");
  }

  @Test
  void stageVariablesApplyToEveryStageNamed() throws Exception {
    RunnerOptions options = parse("--api", "api.yaml", "--stage", "dev", "--stage-variable", "host=orders.dev",
        "--stage", "$default", "--stage-variable=query=a=1&b=2");

    Map<String, String> variables = Map.of("host", "orders.dev", "query", "a=1&b=2");
    assertThat(options.stages()).containsExactly(Stage.of("dev", variables), Stage.of("$default", variables));
    assertThat(options.stages().get(0).variables().keySet()).containsExactly("host", "query");
  }

  @Test
  void withoutStagesTheVariablesAreThoseOfDefault() throws Exception {
    assertThat(parse("--api", "api.yaml", "--stage-variable", "v=1").stages())
        .containsExactly(Stage.of("$default", Map.of("v", "1")));
  }

  @Test
  void resolveSplitsAtTheLastEqualsSoTargetsMayHoldColonsSlashesAndEqualsSigns() throws Exception {
    String listener = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/0a1b/8899";
    String service = "arn:aws:servicediscovery:eu-west-1:111122223333:service/srv-0f1e?deployment=blue";
    RunnerOptions options = parse("--resolve", listener + "=127.0.0.1:9001", "--resolve", service + "=localhost:9002",
        "--resolve", "orders.internal:8080=[::1]:9003", "--resolve=catalog.internal=10.0.0.7:80");

    assertThat(options.resolves()).containsExactly(
        new RunnerOptions.Resolve(listener, "127.0.0.1", 9001),
        new RunnerOptions.Resolve(service, "localhost", 9002),
        new RunnerOptions.Resolve("orders.internal:8080", "::1", 9003),
        new RunnerOptions.Resolve("catalog.internal", "10.0.0.7", 80));
  }

  @Test
  void ipv6HostIsKeptBareAndWrittenInBracketsInUrls() throws Exception {
    RunnerOptions options = parse("--host", "[::1]");

    assertThat(options.host()).isEqualTo("::1");
    assertThat(options.authority(8080)).isEqualTo("[::1]:8080");
    assertThat(parse("--host", "::1").host()).isEqualTo("::1");
  }

  @Test
  void awsRegionComesFromTheFlagThenAwsRegionThenAwsDefaultRegion() throws Exception {
    Map<String, String> both = Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-east-1");

    assertThat(RunnerOptions.parse(List.of("--aws-region", "ap-south-1"), both).awsRegion()).isEqualTo("ap-south-1");
    assertThat(RunnerOptions.parse(List.of(), both).awsRegion()).isEqualTo("eu-west-1");
    assertThat(RunnerOptions.parse(List.of(), Map.of("AWS_DEFAULT_REGION", "us-east-1")).awsRegion())
        .isEqualTo("us-east-1");
    assertThat(RunnerOptions.parse(List.of(), Map.of("AWS_ACCOUNT_ID", "111122223333")).awsAccountId())
        .isEqualTo("111122223333");
  }

  @Test
  void accessLogTakesAPresetOrAFormat() throws Exception {
    assertThat(parse().accessLog()).isNull();
    assertThat(parse("--access-log", "clf").accessLog()).isEqualTo(AccessLogSettings.clf());
    assertThat(parse("--access-log=json").accessLog()).isEqualTo(AccessLogSettings.json());
    assertThat(parse("--access-log", "xml").accessLog()).isEqualTo(AccessLogSettings.xml());
    assertThat(parse("--access-log", "csv").accessLog()).isEqualTo(AccessLogSettings.csv());
    assertThat(parse("--access-log", "$context.requestId $context.status").accessLog())
        .isEqualTo(AccessLogSettings.of("$context.requestId $context.status"));
  }

  @Test
  void helpWinsOverWhatFollowsIt() throws Exception {
    assertThat(parse("--help").help()).isTrue();
    assertThat(parse("-h", "--bogus").help()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      --bogus                              | unknown option '--bogus': expected one of FLAGS
      --bogus=1                            | unknown option '--bogus': expected one of FLAGS
      -p 80                                | unknown option '-p': expected one of FLAGS
      api.yaml                             | unexpected argument 'api.yaml': expected options only, such as --api FILE (see --help)
      --port abc                           | --port 'abc': expected a port number from 0 to 65535
      --port 65536                         | --port '65536': expected a port number from 0 to 65535
      --port -1                            | --port '-1': expected a port number from 0 to 65535
      --port +80                           | --port '+80': expected a port number from 0 to 65535
      --port                               | --port: missing value: expected a port number from 0 to 65535
      --port --watch                       | --port: missing value: expected a port number from 0 to 65535
      --api                                | --api: missing value: expected a path to an OpenAPI 3.0 file (YAML or JSON)
      --api=                               | --api '': expected a path to an OpenAPI 3.0 file (YAML or JSON)
      --port 1 --port 2                    | --port is given twice: expected it at most once
      --api a.yaml --api b.yaml            | --api is given twice: expected it at most once
      --api a.yaml --watch --watch         | --watch is given twice: expected it at most once
      --api a.yaml --watch=yes             | --watch 'yes': expected no value
      --help=1                             | --help '1': expected no value
      --watch                              | --watch without --api: expected --api FILE to watch
      --stage dev                          | --stage without --api: expected --api FILE (the demo API has its own stages)
      --stage-variable a=1                 | --stage-variable without --api: expected --api FILE (the demo API has its own stages)
      --api a.yaml --stage prod/1          | --stage 'prod/1': stage name 'prod/1' is not valid: expected $default or 1 to 128 letters, digits, hyphens and underscores
      --api a.yaml --stage default         | OK
      --api a.yaml --stage dev --stage dev | --stage 'dev' is given twice: expected each stage once
      --api a.yaml --stage-variable a      | --stage-variable 'a': expected NAME=VALUE
      --api a.yaml --stage-variable =1     | --stage-variable '=1': expected NAME=VALUE
      --api a.yaml --stage-variable a=     | --stage-variable 'a=': stage '$default': stage variable a value '' is not valid: expected one or more of A-Z a-z 0-9 - . _ ~ : / ? # & = ,
      --api a.yaml --stage-variable a=b%20 | --stage-variable 'a=b%20': stage '$default': stage variable a value 'b%20' is not valid: expected one or more of A-Z a-z 0-9 - . _ ~ : / ? # & = ,
      --api a.yaml --stage-variable a-b=1  | --stage-variable 'a-b=1': stage '$default': stage variable name 'a-b' is not valid: expected letters, digits and underscores
      --api a.yaml --stage x --stage-variable a=1 --stage-variable a=2 | --stage-variable 'a=2': a is given twice: expected each stage variable once
      --resolve orders.internal            | --resolve 'orders.internal': expected TARGET=HOST:PORT
      --resolve =127.0.0.1:80              | --resolve '=127.0.0.1:80': expected TARGET=HOST:PORT
      --resolve orders.internal=           | --resolve 'orders.internal=': expected TARGET=HOST:PORT
      --resolve orders=127.0.0.1           | --resolve 'orders=127.0.0.1': address '127.0.0.1' has no port: expected TARGET=HOST:PORT
      --resolve orders=127.0.0.1:0         | --resolve 'orders=127.0.0.1:0': port '0': expected a port number from 1 to 65535
      --resolve orders=127.0.0.1:http      | --resolve 'orders=127.0.0.1:http': port 'http': expected a port number from 1 to 65535
      --resolve orders=:80                 | --resolve 'orders=:80': host '' is not valid: expected TARGET=HOST:PORT with a host name or IP address
      --resolve orders=::1:80              | --resolve 'orders=::1:80': IPv6 address '::1' is not in brackets: expected TARGET=[ADDRESS]:PORT, such as orders=[::1]:8080
      --resolve orders=[::1]80             | --resolve 'orders=[::1]80': address '[::1]80' is not [ADDRESS]:PORT: expected TARGET=HOST:PORT, such as orders=[::1]:8080
      --resolve a=h:1 --resolve a=h:2      | --resolve 'a=h:2': target 'a' is given twice: expected each target once
      --host a/b                           | --host 'a/b': expected a host name or IP address to listen on
      --event-loops 0                      | --event-loops '0': expected a number of event loops from 1 to 256
      --event-loops 257                    | --event-loops '257': expected a number of event loops from 1 to 256
      --transport kqueue                   | --transport 'kqueue': expected one of auto, epoll, io_uring, nio
      --transport IO_URING                 | --transport 'IO_URING': expected one of auto, epoll, io_uring, nio
      --transport                          | --transport: missing value: expected one of auto, epoll, io_uring, nio
      --aws-region EU-WEST-1               | --aws-region 'EU-WEST-1': expected an AWS region such as eu-west-1
      --aws-account-id 1234                | --aws-account-id '1234': expected a 12-digit AWS account id
      --aws-endpoint localhost:4566        | --aws-endpoint 'localhost:4566': expected an http:// or https:// URL
      --dns-server 127.0.0.1               | --dns-server '127.0.0.1': expected HOST:PORT, such as 127.0.0.1:53
      --header-timeout 30                  | --header-timeout '30': expected a duration from 1ms to 24h, such as 30s, 500ms or 2m
      --header-timeout 0s                  | --header-timeout '0s': expected a duration from 1ms to 24h, such as 30s, 500ms or 2m
      --header-timeout 1.5s                | --header-timeout '1.5s': expected a duration from 1ms to 24h, such as 30s, 500ms or 2m
      --header-timeout PT30S               | --header-timeout 'PT30S': expected a duration from 1ms to 24h, such as 30s, 500ms or 2m
      --body-timeout 25h                   | --body-timeout '25h': expected a duration from 1ms to 24h, such as 30s, 500ms or 2m
      --body-timeout 30S                   | --body-timeout '30S': expected a duration from 1ms to 24h, such as 30s, 500ms or 2m
      --idle-timeout -1s                   | --idle-timeout '-1s': expected a duration from 1ms to 24h, such as 30s, 500ms or 2m
      --idle-timeout=-1s                   | --idle-timeout '-1s': expected a duration from 1ms to 24h, such as 30s, 500ms or 2m
      --idle-timeout                       | --idle-timeout: missing value: expected a duration from 1ms to 24h, such as 30s, 500ms or 2m
      --idle-timeout 1s --idle-timeout 2s  | --idle-timeout is given twice: expected it at most once
      --http2-max-streams 0                | --http2-max-streams '0': expected a number of streams from 1 to 2147483647
      --http2-max-streams 2147483648       | --http2-max-streams '2147483648': expected a number of streams from 1 to 2147483647
      --http2-max-streams many             | --http2-max-streams 'many': expected a number of streams from 1 to 2147483647
      --http2-max-resets 0                 | --http2-max-resets '0': expected a number of frames from 1 to 2147483647
      --http2-reset-window 500ms           | --http2-reset-window '500ms': expected whole seconds from 1s to 24h, such as 30s or 1m
      --http2-reset-window 1500ms          | --http2-reset-window '1500ms': expected whole seconds from 1s to 24h, such as 30s or 1m
      --http2-reset-window 2d              | --http2-reset-window '2d': expected whole seconds from 1s to 24h, such as 30s or 1m
      --tls-passthrough-port 65536         | --tls-passthrough-port '65536': expected a port number from 0 to 65535
      --tls-passthrough-port 0             | --tls-passthrough-port without a route: expected --sni-route NAME=TARGET or --sni-default TARGET
      --sni-route a.example.com=h:1        | --sni-route without --tls-passthrough-port: expected --tls-passthrough-port PORT (or --api FILE with x-gatelink-passthrough)
      --sni-default h:1                    | --sni-default without --tls-passthrough-port: expected --tls-passthrough-port PORT (or --api FILE with x-gatelink-passthrough)
      --proxy-protocol                     | --proxy-protocol without --tls-passthrough-port: expected --tls-passthrough-port PORT (or --api FILE with x-gatelink-passthrough)
      --tls-passthrough-port 0 --proxy-protocol=yes | --proxy-protocol 'yes': expected no value
      --tls-passthrough-port 0 --sni-route a.example.com | --sni-route 'a.example.com': expected NAME=TARGET, TARGET being HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE
      --tls-passthrough-port 0 --sni-route =h:1 | --sni-route '=h:1': expected NAME=TARGET, TARGET being HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE
      --tls-passthrough-port 0 --sni-route a..b=h:1 | --sni-route 'a..b=h:1': SNI route server name 'a..b' is not valid: expected a DNS name such as 'api.example.com' or a wildcard of one label such as '*.example.com'
      --tls-passthrough-port 0 --sni-route a.example.com=h | --sni-route 'a.example.com=h': target 'h' is not valid: expected HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE
      --tls-passthrough-port 0 --sni-route a.example.com=h:0 | --sni-route 'a.example.com=h:0': target 'h:0' has port 0: expected a port number from 1 to 65535
      --tls-passthrough-port 0 --sni-route a.example.com=h:1 --sni-route A.example.com=h:2 | --sni-route 'A.example.com=h:2': server name 'a.example.com' is given twice: expected each name once
      --tls-passthrough-port 0 --sni-default h:1 --sni-default h:2 | --sni-default is given twice: expected it at most once
      --tls-passthrough-port 0 --sni-default orders | --sni-default 'orders': target 'orders' is not valid: expected HOST:PORT, an NLB listener ARN or cloudmap://NAMESPACE/SERVICE
      --access-log combined                | --access-log 'combined': expected clf, json, xml, csv or a format with $context variables, such as '$context.requestId $context.status'
      "--access-log $context.status"       | "--access-log '$context.status': access log format '$context.status' has neither $context.requestId nor $context.extendedRequestId: API Gateway requires one of them"
      """)
  void invalidCommandLineIsOneLineNamingTheFlagAndWhatWasExpected(String commandLine, String message) {
    String[] args = commandLine.split(" +");
    if (message.equals("OK")) {
      assertThat(catchUsage(args)).isNull();
      return;
    }
    assertThat(catchUsage(args)).isEqualTo(message.replace("FLAGS", FLAGS));
  }

  @Test
  void invalidRegionInTheEnvironmentNamesTheVariable() {
    assertThatThrownBy(() -> RunnerOptions.parse(List.of(), Map.of("AWS_REGION", "local")))
        .isInstanceOf(UsageException.class)
        .hasMessage("environment variable AWS_REGION 'local': expected an AWS region such as eu-west-1 "
            + "(or set --aws-region)");
    assertThatThrownBy(() -> RunnerOptions.parse(List.of(), Map.of("AWS_ACCOUNT_ID", "x")))
        .hasMessage("environment variable AWS_ACCOUNT_ID 'x': expected a 12-digit AWS account id "
            + "(or set --aws-account-id)");
  }

  @Test
  void mainPrintsUsageErrorsOnOneLineOfStderrAndExits2() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = GatewayMain.run(List.of("--port", "abc"), Map.of(), print(out), print(err));

    assertThat(status).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("gatelink: --port 'abc': expected a port number from 0 to 65535" + System.lineSeparator());
  }

  @Test
  void mainPrintsUsageOnStdoutForHelpAndExits0() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = GatewayMain.run(List.of("--help"), Map.of(), print(out), print(err));

    assertThat(status).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    String usage = out.toString(StandardCharsets.UTF_8);
    assertThat(usage).startsWith("Usage: java -jar gatelink-gateway.jar [options]\n");
    for (String flag : FLAGS.split(", ")) {
      assertThat(usage).contains("  " + flag + " ");
    }
    assertThat(usage.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(110));
  }

  private static RunnerOptions parse(String... args) throws UsageException {
    return RunnerOptions.parse(List.of(args), Map.of());
  }

  private static String catchUsage(String... args) {
    try {
      parse(args);
      return null;
    } catch (UsageException e) {
      return e.getMessage();
    }
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
