package dev.gatelink.examples.gateway;

import dev.gatelink.gateway.Gateway;
import dev.gatelink.openapi.OpenApiLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.Stage;
import dev.gatelink.config.ApiDefinition;

/**
 * {@code --watch}: reloads the API file when it changes, on a thread of its own (never an event loop).
 *
 * <p>Every {@link #DEFAULT_INTERVAL}, it reads the file's attributes (modification time, size, file key); when
 * they differ from the last look it reads the file and hashes it, and when the content differs from the last
 * content it saw, it loads the file and hands the API to {@link Gateway#update}, which swaps it atomically. A
 * file that does not load, or an API whose targets do not start, leaves the previous API served. Each reload
 * prints one line to stderr: {@code gatelink: reloaded FILE: ...} or {@code gatelink: reload of FILE failed,
 * still serving the previous API: MESSAGE}. The same content is never loaded twice in a row, so a bad file is
 * reported once, not at every look.
 */
final class ApiFileWatcher implements AutoCloseable {
  /** How often the file's attributes are read. */
  static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
  private static final long UPDATE_TIMEOUT_SECONDS = 60;
  private static final String MISSING = "missing";

  private final Path file;
  private final OpenApiLoader loader;
  private final PrintStream err;
  private final ScheduledExecutorService thread;
  private @Nullable Gateway gateway;
  private @Nullable Object lastAttributes;
  private String lastContent;

  /**
   * A watcher whose baseline is the file as it is now: create it before loading the file the first time, so
   * that a change made meanwhile is loaded at the first look.
   *
   * @param file the file to watch
   * @param loader how to load it
   * @param err where to print one line per reload
   */
  ApiFileWatcher(Path file, OpenApiLoader loader, PrintStream err) {
    this.file = file;
    this.loader = loader;
    this.err = err;
    this.lastAttributes = attributes();
    this.lastContent = contentHash();
    this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread watcher = new Thread(task, "gatelink-watch");
      watcher.setDaemon(true);
      return watcher;
    });
  }

  /**
   * Starts looking at the file every {@code interval}, reloading it into the gateway.
   *
   * @param gateway the gateway serving the file's first version
   * @param interval how often to look
   */
  void start(Gateway gateway, Duration interval) {
    this.gateway = gateway;
    thread.scheduleWithFixedDelay(this::look, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Looks once; never throws, since a scheduled task that throws is never run again. */
  private void look() {
    try {
      Object attributes = attributes();
      if (Objects.equals(attributes, lastAttributes)) {
        return;
      }
      lastAttributes = attributes;
      String content = contentHash();
      if (content.equals(lastContent)) {
        return;
      }
      lastContent = content;
      reload();
    } catch (RuntimeException | Error e) {
      err.println("gatelink: watching " + file + " failed: " + Messages.of(e));
    }
  }

  private void reload() {
    ApiDefinition api;
    try {
      api = loader.load(file);
    } catch (InvalidConfigException e) {
      failed(Messages.located(file, e));
      return;
    }
    try {
      Objects.requireNonNull(gateway).update(api).await(UPDATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InvalidConfigException e) {
      failed(Messages.located(file, e));
      return;
    } catch (Exception e) {
      failed(file + ": the new API's targets did not start: " + Messages.of(e));
      return;
    }
    err.println("gatelink: reloaded " + file + ": " + describe(api));
  }

  private void failed(String message) {
    err.println("gatelink: reload of " + file + " failed, still serving the previous API: " + message);
  }

  /** {@return how many routes an API has and on which stages, for the log} */
  static String describe(ApiDefinition api) {
    int routes = api.routes().size();
    return routes + (routes == 1 ? " route" : " routes") + " on stage"
        + (api.stages().size() == 1 ? " " : "s ")
        + api.stages().stream().map(Stage::name).collect(Collectors.joining(", "));
  }

  private @Nullable Object attributes() {
    try {
      BasicFileAttributes read = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(read.lastModifiedTime(), read.size(), String.valueOf(read.fileKey()));
    } catch (IOException e) {
      return null;
    }
  }

  private String contentHash() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return MISSING;
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
