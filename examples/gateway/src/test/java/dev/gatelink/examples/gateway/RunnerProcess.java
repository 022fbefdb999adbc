package dev.gatelink.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The runner as a child process, started from the test classpath (so that tests do not depend on the package
 * phase), with its stdout and stderr read line by line as they come.
 */
final class RunnerProcess implements AutoCloseable {
  static final Duration START = Duration.ofSeconds(30);
  private static final Pattern LISTENING = Pattern.compile("Gatelink listening on (http://127\\.0\\.0\\.1:([0-9]+))");

  final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Thread stdoutReader;
  private final Thread stderrReader;

  private RunnerProcess(Process process) {
    this.process = process;
    this.stdoutReader = reader(process.getInputStream(), stdout, "stdout");
    this.stderrReader = reader(process.getErrorStream(), stderr, "stderr");
  }

  /**
   * Starts {@code java -cp <test classpath> GatewayMain ARGS}, in {@code directory}, without the AWS variables
   * and JVM option variables of the environment running the tests.
   */
  static RunnerProcess start(Path directory, List<String> args) throws IOException {
    return start(directory, List.of(), args);
  }

  /** As {@link #start(Path, List)}, with JVM options (such as system properties) before the class name. */
  static RunnerProcess start(Path directory, List<String> jvmOptions, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayMain.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    // No AWS settings of the machine, and no JVM options whose "Picked up ..." notice would be on stderr.
    builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("JAVA_TOOL_OPTIONS")
        || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
    return new RunnerProcess(builder.start());
  }

  private static Thread reader(InputStream stream, List<String> lines, String name) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // The process is gone; what was read is kept.
      }
    }, "runner-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Waits for the first stdout line, checks it is the listening line, and returns the base URL it gives. */
  URI awaitListening() {
    await("the listening line").atMost(START)
        .failFast("the runner exited: " + this, () -> !process.isAlive() && stdout.isEmpty())
        .until(() -> !stdout.isEmpty());
    Matcher matcher = LISTENING.matcher(stdout.get(0));
    assertThat(matcher.matches()).as("first stdout line %s", stdout.get(0)).isTrue();
    assertThat(Integer.parseInt(matcher.group(2))).isBetween(1, 65_535);
    return URI.create(matcher.group(1));
  }

  /** Waits for the process to exit, and for its output to be read to the end; returns its exit status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(exited).as("runner exited within %s: %s", timeout, this).isTrue();
    stdoutReader.join(10_000);
    stderrReader.join(10_000);
    return process.exitValue();
  }

  /** Waits until stderr has a line equal to {@code line}. */
  void awaitStderrLine(String line) {
    awaitOutput("stderr line " + line, () -> stderr.contains(line));
  }

  /** Waits until stderr has a line starting with {@code prefix}, and returns it. */
  String awaitStderrLineStartingWith(String prefix) {
    awaitOutput("stderr line starting with " + prefix, () -> stderr.stream().anyMatch(line -> line.startsWith(prefix)));
    return stderr.stream().filter(line -> line.startsWith(prefix)).findFirst().orElseThrow();
  }

  /** Waits for a condition on the output; on timeout, the error shows the whole output so far. */
  void awaitOutput(String what, Callable<Boolean> condition) {
    try {
      await(what).atMost(Duration.ofSeconds(20)).until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + " within 20 s: " + this, e);
    }
  }

  List<String> stdout() {
    return List.copyOf(stdout);
  }

  List<String> stderr() {
    return List.copyOf(stderr);
  }

  /**
   * Sends SIGTERM. Through the {@link ProcessHandle}: {@link Process#destroy()} sends the same signal but also
   * closes this side of the pipes, so that what the runner prints while it stops would be lost.
   */
  void terminate() {
    assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
  }

  /** Stops the process if it still runs: SIGTERM, a bounded wait, then SIGKILL. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public String toString() {
    return "pid " + process.pid() + (process.isAlive() ? " running" : " exited " + process.exitValue())
        + ", stdout " + stdout + ", stderr " + stderr;
  }
}
