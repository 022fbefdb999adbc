package dev.gatelink.gateway.internal;

import java.lang.System.Logger.Level;

/** The gateway's logger: the JDK's {@link System.Logger}, with DEBUG checked before any message is made. */
final class Log {
  private final System.Logger logger;

  Log(String name) {
    this.logger = System.getLogger(name);
  }

  void debug(String pattern, Object... args) {
    if (logger.isLoggable(Level.DEBUG)) {
      logger.log(Level.DEBUG, format(pattern, args));
    }
  }

  void warn(String pattern, Object... args) {
    if (logger.isLoggable(Level.WARNING)) {
      logger.log(Level.WARNING, format(pattern, args));
    }
  }

  private static String format(String pattern, Object... args) {
    StringBuilder out = new StringBuilder(pattern.length() + 32);
    int arg = 0;
    int i = 0;
    while (i < pattern.length()) {
      if (i + 1 < pattern.length() && pattern.charAt(i) == '{' && pattern.charAt(i + 1) == '}' && arg < args.length) {
        out.append(args[arg++]);
        i += 2;
      } else {
        out.append(pattern.charAt(i++));
      }
    }
    return out.toString();
  }
}
