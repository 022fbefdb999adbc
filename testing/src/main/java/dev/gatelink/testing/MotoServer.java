package dev.gatelink.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running moto server: the AWS APIs (Cloud Map, ELBv2, EC2, STS, ...) on one HTTP endpoint, for tests.
 *
 * <p>{@link MotoServerExtension} starts one per test class and passes it to the tests that ask for it as a
 * parameter; {@link #start(Path)} starts one directly. Clients reach it with {@link #endpoint()} as their
 * endpoint override, any region, and any credentials (moto checks none).
 */
public final class MotoServer implements AutoCloseable {
  /** How long a start may take before it fails. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  /** How long a stopped server has to exit before it is killed. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final URI endpoint;
  private final String description;
  private final AutoCloseable stop;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  MotoServer(URI endpoint, String description, AutoCloseable stop) {
    this.endpoint = endpoint;
    this.description = description;
    this.stop = stop;
  }

  /**
   * Starts {@code moto_server} on a free loopback port and waits until it answers.
   *
   * @param executable the {@code moto_server} program
   * @return the running server; close it to stop the process (by its id)
   * @throws IOException if it cannot start or does not answer within 30 s, with the end of its output
   */
  public static MotoServer start(Path executable) throws IOException {
    int port = freeLoopbackPort();
    Path log = Files.createTempFile("moto_server-", ".log");
    Process process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    MotoServer server = new MotoServer(endpoint, "moto_server (pid " + process.pid() + ") on " + endpoint,
        () -> stop(process, log));
    try {
      server.awaitReady(process, log);
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** {@return the URL that AWS clients use as their endpoint, such as {@code http://127.0.0.1:41234}} */
  public URI endpoint() {
    return endpoint;
  }

  /** {@return what runs the server and where, for messages} */
  public String description() {
    return description;
  }

  /**
   * Forgets every resource created so far (moto's {@code POST /moto-api/reset}).
   *
   * @throws IOException if moto does not answer 200
   */
  public void reset() throws IOException {
    HttpResponse<String> response = send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    if (response.statusCode() != 200) {
      throw new IOException(description + ": reset answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** Stops the server and waits until it has exited. */
  @Override
  public void close() {
    try {
      stop.close();
    } catch (Exception e) {
      throw new IllegalStateException(description + ": cannot stop: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private void awaitReady(Process process, Path log) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IOException(description + " exited with status " + process.exitValue() + " before it answered: "
            + tail(log));
      }
      try {
        if (send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      sleep(50);
    }
    throw new IOException(description + " did not answer within " + START_TIMEOUT.toSeconds() + " s: " + tail(log));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Stops the process this class started, by its id, with its children; kills it if it does not exit. */
  private static void stop(Process process, Path log) throws IOException, InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    Files.deleteIfExists(log);
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
