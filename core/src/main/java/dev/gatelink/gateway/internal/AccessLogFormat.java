package dev.gatelink.gateway.internal;

import dev.gatelink.config.AccessLogSettings;
import dev.gatelink.filter.ContextVariable;
import dev.gatelink.filter.ExchangeContext;
import dev.gatelink.internal.AccessLogTemplate;

/**
 * A stage's access log format compiled once into static text and {@link ContextVariable}s (the rules are
 * {@link AccessLogTemplate}'s), then applied to each completed request with {@link #format}.
 *
 * <p>Values as API Gateway writes them: a variable without a value is written {@code -}. Escaping, Gatelink's
 * choice (API Gateway writes values raw, so a {@code "} in a user agent breaks a JSON line): a value that
 * stands inside double quotes of the format is escaped as in a JSON string ({@code "} as {@code \"}, {@code \}
 * as {@code \\}, control characters as {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f} or
 * {@code \}{@code u00XX}); any other value only has its control characters escaped, so no value can split a
 * line or forge another. {@code $context.error.messageString} brings its own quotes and is written unquoted in
 * a format, so it is escaped only for control characters.
 *
 * <p>Immutable and thread-safe; {@link #format} allocates nothing beyond what the context's values cost and
 * the builder's growth.
 */
final class AccessLogFormat {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final String text;
  private final String[] literals;
  private final ContextVariable[] variables;
  private final boolean[] quoted;

  private AccessLogFormat(AccessLogTemplate template) {
    this.text = template.text();
    int count = template.variableCount();
    this.literals = new String[count + 1];
    this.variables = new ContextVariable[count];
    this.quoted = new boolean[count];
    for (int i = 0; i < count; i++) {
      literals[i] = template.literal(i);
      variables[i] = template.variable(i);
      quoted[i] = template.quoted(i);
    }
    literals[count] = template.literal(count);
  }

  /** The format of a stage's settings (already checked when the settings were built). */
  static AccessLogFormat of(AccessLogSettings settings) {
    return compile(settings.format());
  }

  /**
   * Compiles a format's text. Only the variables are checked here; {@link AccessLogSettings} checks the
   * length and the request id.
   *
   * @throws dev.gatelink.config.InvalidConfigException if a variable's name is missing or unknown
   */
  static AccessLogFormat compile(String text) {
    return new AccessLogFormat(AccessLogTemplate.parse(text));
  }

  /** Appends the line of a request, without a line break. */
  void format(ExchangeContext context, StringBuilder out) {
    for (int i = 0; i < variables.length; i++) {
      out.append(literals[i]);
      String value = context.value(variables[i]);
      if (value == null) {
        out.append('-');
      } else {
        appendEscaped(value, quoted[i], out);
      }
    }
    out.append(literals[variables.length]);
  }

  /** The line of a request. */
  String format(ExchangeContext context) {
    StringBuilder out = new StringBuilder(text.length() + 16 * variables.length);
    format(context, out);
    return out.toString();
  }

  /** {@return the format's text, as given} */
  String text() {
    return text;
  }

  private static void appendEscaped(String value, boolean quoted, StringBuilder out) {
    int length = value.length();
    int clean = 0;
    // The common case, a value with nothing to escape, is appended whole.
    while (clean < length && !needsEscape(value.charAt(clean), quoted)) {
      clean++;
    }
    if (clean == length) {
      out.append(value);
      return;
    }
    out.append(value, 0, clean);
    for (int i = clean; i < length; i++) {
      char c = value.charAt(i);
      if (!needsEscape(c, quoted)) {
        out.append(c);
        continue;
      }
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          break;
      }
    }
  }

  private static boolean needsEscape(char c, boolean quoted) {
    return c < 0x20 || quoted && (c == '"' || c == '\\');
  }

  @Override
  public String toString() {
    return text;
  }
}
