package dev.gatelink.gateway;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The limits the gateway's front door puts on clients, so that a slow or hostile client cannot hold a
 * connection or flood the gateway. Immutable; build with {@link #builder()}, copy with {@link #toBuilder()},
 * and give to {@link Gateway.Builder#frontDoor(FrontDoorOptions)}.
 *
 * <table>
 *   <caption>The front door's limits</caption>
 *   <tr><th>limit</th><th>default</th><th>when it passes</th></tr>
 *   <tr><td>{@link #headerTimeout()}: from the first byte of an HTTP/1.x request until its whole head (request
 *       line and headers) has arrived</td><td>{@value #DEFAULT_HEADER_TIMEOUT_SECONDS} s</td><td>408
 *       {@code {"message":"Request Timeout"}} and the connection closed, or only closed when an earlier
 *       response on it is not complete</td></tr>
 *   <tr><td>{@link #bodyTimeout()}: how long an HTTP/1.x request body may stop moving while the gateway is
 *       reading it</td><td>{@value #DEFAULT_BODY_TIMEOUT_SECONDS} s</td><td>408 and closed, or only closed
 *       once a response has started</td></tr>
 *   <tr><td>{@link #idleTimeout()}: how long a connection may stay without a byte read or written, kept-alive
 *       or new; on HTTP/1.x not while the gateway waits for a backend's answer</td>
 *       <td>{@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s</td><td>closed</td></tr>
 *   <tr><td>{@link #http2MaxConcurrentStreams()}: streams an HTTP/2 client may have open at once
 *       ({@code SETTINGS_MAX_CONCURRENT_STREAMS})</td><td>{@value #DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS}</td>
 *       <td>the extra stream is refused ({@code RST_STREAM REFUSED_STREAM})</td></tr>
 *   <tr><td>{@link #http2MaxResets()} in {@link #http2ResetWindow()}: {@code RST_STREAM} frames an HTTP/2
 *       client may send (the rapid reset attack), and that the gateway may send it</td>
 *       <td>{@value #DEFAULT_HTTP2_MAX_RESETS} in {@value #DEFAULT_HTTP2_RESET_WINDOW_SECONDS} s</td>
 *       <td>{@code GOAWAY ENHANCE_YOUR_CALM} and the connection closed</td></tr>
 * </table>
 *
 * <p>The idle timeout and the HTTP/2 limits are also Vert.x server options ({@link Gateway#serverOptions(FrontDoorOptions)}
 * sets them; there a wait for a backend's answer counts as idle); the header and body timeouts and the refusal of
 * ambiguous framing need the gateway's handlers in each connection's pipeline, which only a server made with
 * {@link Gateway#createHttpServer} has.
 */
public final class FrontDoorOptions {
  /** {@link #DEFAULT_HEADER_TIMEOUT} in seconds. */
  public static final long DEFAULT_HEADER_TIMEOUT_SECONDS = 30;
  /** The default header timeout: 30 s, the longest integration timeout, within Apache's default 20 to 40 s. */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS);
  /** {@link #DEFAULT_BODY_TIMEOUT} in seconds. */
  public static final long DEFAULT_BODY_TIMEOUT_SECONDS = 30;
  /** The default body timeout: 30 s without a byte of the request body. */
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(DEFAULT_BODY_TIMEOUT_SECONDS);
  /** {@link #DEFAULT_IDLE_TIMEOUT} in seconds. */
  public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
  /**
   * The default idle timeout: 60 s, an Application Load Balancer's default, and longer than the longest
   * integration timeout (30 s), during which a connection waiting for its response moves no byte.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
  /** The default limit on concurrent HTTP/2 streams: 100, the least RFC 9113 (section 6.5.2) recommends. */
  public static final int DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS = 100;
  /** The default limit on {@code RST_STREAM} frames per window: 200, as Vert.x's and Netty's own default. */
  public static final int DEFAULT_HTTP2_MAX_RESETS = 200;
  /** {@link #DEFAULT_HTTP2_RESET_WINDOW} in seconds. */
  public static final long DEFAULT_HTTP2_RESET_WINDOW_SECONDS = 30;
  /** The default window of the {@code RST_STREAM} limit: 30 s. */
  public static final Duration DEFAULT_HTTP2_RESET_WINDOW = Duration.ofSeconds(DEFAULT_HTTP2_RESET_WINDOW_SECONDS);
  /** The longest timeout or window accepted: 24 h. */
  public static final Duration MAX_DURATION = Duration.ofHours(24);

  private static final FrontDoorOptions DEFAULTS = new Builder().build();

  private final Duration headerTimeout;
  private final Duration bodyTimeout;
  private final Duration idleTimeout;
  private final int http2MaxConcurrentStreams;
  private final int http2MaxResets;
  private final Duration http2ResetWindow;

  private FrontDoorOptions(Builder builder) {
    this.headerTimeout = builder.headerTimeout;
    this.bodyTimeout = builder.bodyTimeout;
    this.idleTimeout = builder.idleTimeout;
    this.http2MaxConcurrentStreams = builder.http2MaxConcurrentStreams;
    this.http2MaxResets = builder.http2MaxResets;
    this.http2ResetWindow = builder.http2ResetWindow;
  }

  /** {@return the options with every limit at its default} */
  public static FrontDoorOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a builder with every limit at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these options, to change some of them} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** {@return how long an HTTP/1.x request's head may take to arrive, from its first byte} */
  public Duration headerTimeout() {
    return headerTimeout;
  }

  /** {@return how long an HTTP/1.x request body may stop moving while the gateway reads it} */
  public Duration bodyTimeout() {
    return bodyTimeout;
  }

  /** {@return how long a connection may stay without a byte read or written} */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** {@return how many streams an HTTP/2 client may have open at once} */
  public int http2MaxConcurrentStreams() {
    return http2MaxConcurrentStreams;
  }

  /** {@return how many {@code RST_STREAM} frames an HTTP/2 connection may carry each way per window} */
  public int http2MaxResets() {
    return http2MaxResets;
  }

  /** {@return the window of {@link #http2MaxResets()}, whole seconds} */
  public Duration http2ResetWindow() {
    return http2ResetWindow;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof FrontDoorOptions that
        && headerTimeout.equals(that.headerTimeout)
        && bodyTimeout.equals(that.bodyTimeout)
        && idleTimeout.equals(that.idleTimeout)
        && http2MaxConcurrentStreams == that.http2MaxConcurrentStreams
        && http2MaxResets == that.http2MaxResets
        && http2ResetWindow.equals(that.http2ResetWindow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(headerTimeout, bodyTimeout, idleTimeout, http2MaxConcurrentStreams, http2MaxResets,
        http2ResetWindow);
  }

  @Override
  public String toString() {
    return "FrontDoorOptions{headerTimeout=" + headerTimeout + ", bodyTimeout=" + bodyTimeout + ", idleTimeout="
        + idleTimeout + ", http2MaxConcurrentStreams=" + http2MaxConcurrentStreams + ", http2MaxResets="
        + http2MaxResets + ", http2ResetWindow=" + http2ResetWindow + "}";
  }

  /** Builds {@link FrontDoorOptions}; each setter checks its value. */
  public static final class Builder {
    private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
    private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private int http2MaxConcurrentStreams = DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS;
    private int http2MaxResets = DEFAULT_HTTP2_MAX_RESETS;
    private Duration http2ResetWindow = DEFAULT_HTTP2_RESET_WINDOW;

    private Builder() {}

    private Builder(FrontDoorOptions options) {
      this.headerTimeout = options.headerTimeout;
      this.bodyTimeout = options.bodyTimeout;
      this.idleTimeout = options.idleTimeout;
      this.http2MaxConcurrentStreams = options.http2MaxConcurrentStreams;
      this.http2MaxResets = options.http2MaxResets;
      this.http2ResetWindow = options.http2ResetWindow;
    }

    /**
     * Sets how long an HTTP/1.x request's head (request line and headers) may take to arrive, counted from its
     * first byte. Time during which the gateway itself is not reading the connection (it paused it, such as
     * while an earlier request's body waits for its backend) does not count.
     *
     * @param timeout 1 ms to 24 h
     * @return this builder
     * @throws IllegalArgumentException if the timeout is out of range
     */
    public Builder headerTimeout(Duration timeout) {
      this.headerTimeout = checkTimeout("headerTimeout", timeout);
      return this;
    }

    /**
     * Sets how long an HTTP/1.x request body may stop moving before the gateway gives up on it. Time during which
     * the gateway itself is not reading the body (it paused it because the backend is slower than the client)
     * does not count. A forwarded body is also bounded by its integration timeout, counted again from each
     * piece of body that moves; an HTTP/2 body only by that.
     *
     * @param timeout 1 ms to 24 h
     * @return this builder
     * @throws IllegalArgumentException if the timeout is out of range
     */
    public Builder bodyTimeout(Duration timeout) {
      this.bodyTimeout = checkTimeout("bodyTimeout", timeout);
      return this;
    }

    /**
     * Sets how long a connection may stay without a byte read or written before the gateway closes it: a new
     * connection that sends nothing, a kept-alive one between requests, or one whose response stops being
     * written. Behind {@link Gateway#createHttpServer}, an HTTP/1.x connection waiting for a backend's answer is
     * not idle; on HTTP/2, and on a server made with {@link Gateway#serverOptions(FrontDoorOptions)}, it is: keep
     * the timeout above the longest integration timeout there.
     *
     * @param timeout 1 ms to 24 h
     * @return this builder
     * @throws IllegalArgumentException if the timeout is out of range
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = checkTimeout("idleTimeout", timeout);
      return this;
    }

    /**
     * Sets how many streams an HTTP/2 client may have open at once; the gateway advertises it as
     * {@code SETTINGS_MAX_CONCURRENT_STREAMS} and refuses the streams over it.
     *
     * @param max at least 1
     * @return this builder
     * @throws IllegalArgumentException if the value is below 1
     */
    public Builder http2MaxConcurrentStreams(int max) {
      this.http2MaxConcurrentStreams = checkAtLeastOne("http2MaxConcurrentStreams", max);
      return this;
    }

    /**
     * Sets how many {@code RST_STREAM} frames an HTTP/2 connection may carry each way within
     * {@link #http2ResetWindow(Duration)}: one more from the client (a rapid reset flood), or one more the gateway
     * would send it (a client that keeps opening refused streams), and the connection is closed with
     * {@code GOAWAY ENHANCE_YOUR_CALM}.
     *
     * @param max at least 1
     * @return this builder
     * @throws IllegalArgumentException if the value is below 1
     */
    public Builder http2MaxResets(int max) {
      this.http2MaxResets = checkAtLeastOne("http2MaxResets", max);
      return this;
    }

    /**
     * Sets the window of {@link #http2MaxResets(int)}.
     *
     * @param window whole seconds, 1 s to 24 h (Netty counts the window in seconds)
     * @return this builder
     * @throws IllegalArgumentException if the window is out of range or not whole seconds
     */
    public Builder http2ResetWindow(Duration window) {
      Objects.requireNonNull(window, "http2ResetWindow");
      if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(MAX_DURATION) > 0 || window.getNano() != 0) {
        throw new IllegalArgumentException("http2ResetWindow " + window
            + " is out of range: expected whole seconds from 1 s to 24 h");
      }
      this.http2ResetWindow = window;
      return this;
    }

    /** {@return the options} */
    public FrontDoorOptions build() {
      return new FrontDoorOptions(this);
    }

    private static Duration checkTimeout(String name, Duration timeout) {
      Objects.requireNonNull(timeout, name);
      if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_DURATION) > 0) {
        throw new IllegalArgumentException(name + " " + timeout + " is out of range: expected 1 ms to 24 h");
      }
      return timeout;
    }

    private static int checkAtLeastOne(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " " + value + " is out of range: expected at least 1");
      }
      return value;
    }
  }
}
