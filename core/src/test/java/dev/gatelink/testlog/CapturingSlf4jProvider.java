package dev.gatelink.testlog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Core's test SLF4J backend, found through {@code META-INF/services}: events of Gatelink's own loggers (names
 * starting {@code dev.gatelink.}) at INFO and above are kept in memory for tests to read with {@link #events};
 * every other logger (Netty's, Vert.x's) goes on to {@code java.util.logging}, where it went before SLF4J had
 * a backend here.
 */
public final class CapturingSlf4jProvider implements SLF4JServiceProvider {
  private static final String CAPTURED_PREFIX = "dev.gatelink.";
  private static final List<Event> EVENTS = new CopyOnWriteArrayList<>();

  private @Nullable ILoggerFactory loggerFactory;
  private @Nullable IMarkerFactory markerFactory;
  private @Nullable MDCAdapter mdcAdapter;

  /**
   * One logging call.
   *
   * @param logger the logger's name
   * @param level its level
   * @param message the formatted message
   */
  public record Event(String logger, Level level, String message) {}

  /** {@return the events of a logger so far, oldest first} */
  public static List<Event> events(String logger) {
    return EVENTS.stream().filter(event -> event.logger().equals(logger)).collect(Collectors.toList());
  }

  /** {@return the messages of a logger at a level so far, oldest first} */
  public static List<String> messages(String logger, Level level) {
    return events(logger).stream().filter(event -> event.level() == level).map(Event::message)
        .collect(Collectors.toList());
  }

  /** Forgets the events kept so far. */
  public static void clear() {
    EVENTS.clear();
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdcAdapter;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    loggerFactory = name -> name.startsWith(CAPTURED_PREFIX) ? new CapturingLogger(name) : new JulLogger(name);
    markerFactory = new BasicMarkerFactory();
    mdcAdapter = new BasicMDCAdapter();
  }

  /** Keeps INFO and above in memory. */
  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
        Throwable throwable) {
      EVENTS.add(new Event(name, level, MessageFormatter.basicArrayFormat(messagePattern, arguments)));
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }

  /** Hands everything to the {@code java.util.logging} logger of the same name. */
  private static final class JulLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient java.util.logging.Logger delegate;

    JulLogger(String name) {
      this.name = name;
      this.delegate = java.util.logging.Logger.getLogger(name);
    }

    private static java.util.logging.Level julLevel(Level level) {
      switch (level) {
        case ERROR:
          return java.util.logging.Level.SEVERE;
        case WARN:
          return java.util.logging.Level.WARNING;
        case INFO:
          return java.util.logging.Level.INFO;
        case DEBUG:
          return java.util.logging.Level.FINE;
        default:
          return java.util.logging.Level.FINEST;
      }
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
        Throwable throwable) {
      java.util.logging.Level julLevel = julLevel(level);
      if (!delegate.isLoggable(julLevel)) {
        return;
      }
      LogRecord record = new LogRecord(julLevel, MessageFormatter.basicArrayFormat(messagePattern, arguments));
      record.setLoggerName(name);
      record.setSourceClassName(null);
      record.setSourceMethodName(null);
      record.setThrown(throwable);
      delegate.log(record);
    }

    @Override
    public boolean isTraceEnabled() {
      return delegate.isLoggable(java.util.logging.Level.FINEST);
    }

    @Override
    public boolean isDebugEnabled() {
      return delegate.isLoggable(java.util.logging.Level.FINE);
    }

    @Override
    public boolean isInfoEnabled() {
      return delegate.isLoggable(java.util.logging.Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return delegate.isLoggable(java.util.logging.Level.WARNING);
    }

    @Override
    public boolean isErrorEnabled() {
      return delegate.isLoggable(java.util.logging.Level.SEVERE);
    }
  }
}
