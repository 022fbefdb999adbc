package dev.gatelink.examples.gateway;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The standalone gateway: {@code java -jar gatelink-gateway.jar [--api FILE] [--port PORT] ...}.
 *
 * <p>Serves an OpenAPI 3.0 file as an Amazon API Gateway HTTP API, or, without {@code --api}, a demo API over
 * three built-in backends. Once it accepts connections it prints exactly one line to stdout,
 * {@code Gatelink listening on http://HOST:PORT}, with the real port, and one more,
 * {@code Gatelink TLS passthrough listening on HOST:PORT}, when it runs a TLS-passthrough listener (the demo then
 * prints curl commands to try). Errors go to stderr, one line each, starting with {@code gatelink: }.
 *
 * <p>Exit status: {@value #EXIT_OK} after {@code --help}, and after SIGTERM or Ctrl-C once requests in flight
 * are drained; {@value #EXIT_FAILURE} when it cannot start (port in use, a target that fails to start);
 * {@value #EXIT_USAGE} for an invalid option or API file. The flags are described in
 * {@code examples/gateway/README.md} and by {@code --help}.
 */
public final class GatewayMain {
  /** Exit status after {@code --help}, or a stop by SIGTERM or Ctrl-C with requests drained. */
  public static final int EXIT_OK = 0;
  /** Exit status when the runner cannot start: port in use, targets that fail to start. */
  public static final int EXIT_FAILURE = 1;
  /** Exit status for an invalid option or API file. */
  public static final int EXIT_USAGE = 2;
  /** The status {@link #run} returns while the gateway serves: the process keeps running. */
  static final int SERVING = -1;

  private GatewayMain() {}

  /**
   * Runs the gateway.
   *
   * @param args the command line, see {@code --help}
   */
  public static void main(String[] args) {
    int status = run(List.of(args), System.getenv(), System.out, System.err);
    if (status != SERVING) {
      System.exit(status);
    }
    // Serving: Vert.x's threads keep the JVM alive until SIGTERM or Ctrl-C runs the shutdown hook.
  }

  /**
   * Parses the command line and starts serving, or prints why not.
   *
   * @return {@link #SERVING} once the gateway listens (the shutdown hook is then installed), else the exit status
   */
  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    RunnerOptions options;
    try {
      options = RunnerOptions.parse(args, env);
    } catch (UsageException e) {
      err.println("gatelink: " + e.getMessage());
      return EXIT_USAGE;
    }
    if (options.help()) {
      out.print(RunnerOptions.USAGE);
      out.flush();
      return EXIT_OK;
    }
    GatewayRunner runner;
    try {
      runner = GatewayRunner.start(options, err);
    } catch (UsageException e) {
      err.println("gatelink: " + e.getMessage());
      return EXIT_USAGE;
    } catch (StartException e) {
      err.println("gatelink: " + e.getMessage());
      return EXIT_FAILURE;
    } catch (RuntimeException e) {
      err.println("gatelink: cannot start: " + Messages.of(e));
      return EXIT_FAILURE;
    }
    // Installed before the listening line, so that a script that reads the line and sends SIGTERM gets a drain.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(runner, err), "gatelink-shutdown"));
    out.println("Gatelink listening on " + runner.url());
    String passthrough = runner.passthroughAuthority();
    if (passthrough != null) {
      out.println("Gatelink TLS passthrough listening on " + passthrough);
    }
    if (runner.demo()) {
      DemoApi.printTry(out, runner.localUrl());
    }
    out.flush();
    return SERVING;
  }

  /**
   * The shutdown hook: drains and closes, then ends the JVM with status 0 (or 1 if stopping failed). Without
   * {@code halt} the JVM would end with 143 after SIGTERM and 130 after Ctrl-C.
   */
  private static void stop(GatewayRunner runner, PrintStream err) {
    err.println("gatelink: stopping: no new connections, draining requests in flight (at most "
        + GatewayRunner.DRAIN_TIMEOUT.toSeconds() + " s)");
    boolean clean = runner.stop();
    err.println(clean ? "gatelink: stopped" : "gatelink: stopped, but not everything closed in time");
    System.out.flush();
    err.flush();
    Runtime.getRuntime().halt(clean ? EXIT_OK : EXIT_FAILURE);
  }
}
