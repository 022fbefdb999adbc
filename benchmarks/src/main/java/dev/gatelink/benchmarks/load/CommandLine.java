package dev.gatelink.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The {@code --name value} options of one program, checked against the names it knows.
 *
 * <p>Every error message names the program and the option, quotes the offending text and says what was
 * expected, so that the script that runs the program shows the whole story in its log.
 */
final class CommandLine {
  private final String program;
  private final Map<String, String> values;

  private CommandLine(String program, Map<String, String> values) {
    this.program = program;
    this.values = values;
  }

  /**
   * Reads {@code --name value} pairs.
   *
   * @param program the program's name, for messages
   * @param args the arguments as given to {@code main}
   * @param known the option names the program accepts, without {@code --}, in the order messages list them
   * @return the options
   * @throws IllegalArgumentException on an unknown or repeated option, or an option without a value
   */
  static CommandLine parse(String program, String[] args, List<String> known) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String arg = args[i];
      if (!arg.startsWith("--") || !known.contains(arg.substring(2))) {
        throw new IllegalArgumentException(
            program + ": unknown option '" + arg + "'; expected one of --" + String.join(", --", known));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(program + ": option '" + arg + "' needs a value");
      }
      if (values.put(arg.substring(2), args[i + 1]) != null) {
        throw new IllegalArgumentException(program + ": option '" + arg + "' is given twice");
      }
    }
    return new CommandLine(program, values);
  }

  /**
   * Runs a program's {@code main} body, turning a bad command line into its message and usage on standard
   * error and exit status 2, instead of a stack trace.
   */
  static void run(String usage, ThrowingRunnable body) throws Exception {
    try {
      body.run();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: " + usage);
      System.exit(2);
    }
  }

  /** A {@code main} body. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException(program + ": option '--" + name + "' is required");
    }
    return value;
  }

  int integer(String name, int fallback, int min, int max) {
    String text = values.get(name);
    return text == null ? fallback : parseInt(name, text, min, max);
  }

  boolean flag(String name, boolean fallback) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(
          program + ": option '--" + name + "': '" + text + "' is not true or false");
    };
  }

  int requiredInteger(String name, int min, int max) {
    return parseInt(name, required(name), min, max);
  }

  private int parseInt(String name, String text, int min, int max) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          program + ": option '--" + name + "': '" + text + "' is not a whole number", e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          program + ": option '--" + name + "': " + value + " is out of range; expected " + min + " to " + max);
    }
    return value;
  }
}
