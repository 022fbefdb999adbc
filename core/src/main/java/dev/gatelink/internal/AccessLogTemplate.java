package dev.gatelink.internal;

import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.filter.ContextVariable;
import java.util.ArrayList;
import java.util.List;

/**
 * An access log format parsed into static text and {@code $context} variables: the one parser behind
 * {@code AccessLogSettings} (which checks a format when it is built) and the engine's compiled format.
 *
 * <p>The rules:
 * <ul>
 *   <li>A variable is {@code $context.} followed by its name. The name is the longest run of letters, digits,
 *       underscores and dots that follows, without the dots it ends with: in {@code $context.status,} the name
 *       is {@code status}, and in {@code $context.requestId.} it is {@code requestId}, the final dot being
 *       static text. The name must be one of {@link ContextVariable}'s names or aliases.</li>
 *   <li>{@code $context.} with no name after it is an error; {@code $context} without the dot, and any other
 *       {@code $}, is static text.</li>
 *   <li>A variable is <em>quoted</em> when it stands inside a pair of double quotes of the static text (as
 *       every variable of the JSON preset does, and the request line of the CLF preset). Quotes are counted
 *       from the start of the format; a quote preceded by a backslash ({@code \"}) does not count.</li>
 * </ul>
 *
 * <p>Immutable.
 */
public final class AccessLogTemplate {
  /** What every variable starts with. */
  public static final String PREFIX = "$context.";

  private final String text;
  private final String[] literals;
  private final ContextVariable[] variables;
  private final boolean[] quoted;

  private AccessLogTemplate(String text, String[] literals, ContextVariable[] variables, boolean[] quoted) {
    this.text = text;
    this.literals = literals;
    this.variables = variables;
    this.quoted = quoted;
  }

  /**
   * Parses a format.
   *
   * @throws InvalidConfigException if a variable's name is missing or is not one of {@link ContextVariable}'s
   */
  public static AccessLogTemplate parse(String text) {
    List<String> literals = new ArrayList<>();
    List<ContextVariable> variables = new ArrayList<>();
    List<Boolean> quoted = new ArrayList<>();
    boolean inQuotes = false;
    int literalStart = 0;
    int i = 0;
    int length = text.length();
    while (i < length) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < length && text.charAt(i + 1) == '"') {
        i += 2;
      } else if (c == '"') {
        inQuotes = !inQuotes;
        i++;
      } else if (c == '$' && text.startsWith(PREFIX, i)) {
        int nameStart = i + PREFIX.length();
        int end = nameStart;
        while (end < length && isNameChar(text.charAt(end))) {
          end++;
        }
        while (end > nameStart && text.charAt(end - 1) == '.') {
          end--;
        }
        if (end == nameStart) {
          throw new InvalidConfigException("access log format: '" + PREFIX + "' at offset " + i
              + " has no variable name: expected a name such as " + PREFIX + "requestId");
        }
        String name = text.substring(nameStart, end);
        int offset = i;
        ContextVariable variable = ContextVariable.named(name).orElseThrow(() -> new InvalidConfigException(
            "access log format: variable '" + PREFIX + name + "' at offset " + offset
                + " is not known: expected one of the names of ContextVariable, such as " + PREFIX + "requestId"));
        literals.add(text.substring(literalStart, i));
        variables.add(variable);
        quoted.add(inQuotes);
        i = end;
        literalStart = end;
      } else {
        i++;
      }
    }
    literals.add(text.substring(literalStart));
    boolean[] quotedArray = new boolean[quoted.size()];
    for (int v = 0; v < quotedArray.length; v++) {
      quotedArray[v] = quoted.get(v);
    }
    return new AccessLogTemplate(text, literals.toArray(new String[0]), variables.toArray(new ContextVariable[0]),
        quotedArray);
  }

  private static boolean isNameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.';
  }

  /** {@return the format as given} */
  public String text() {
    return text;
  }

  /** {@return how many variables the format has (the same variable twice counts twice)} */
  public int variableCount() {
    return variables.length;
  }

  /** {@return the static text before variable {@code index}, or after the last one for {@code variableCount()}} */
  public String literal(int index) {
    return literals[index];
  }

  /** {@return the variable at {@code index}, in the order of the format} */
  public ContextVariable variable(int index) {
    return variables[index];
  }

  /** {@return whether the variable at {@code index} stands inside double quotes of the static text} */
  public boolean quoted(int index) {
    return quoted[index];
  }

  /** {@return whether the format uses a variable (under any of its names)} */
  public boolean uses(ContextVariable variable) {
    for (ContextVariable used : variables) {
      if (used == variable) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
