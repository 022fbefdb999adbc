package dev.gatelink.openapi;

import org.jspecify.annotations.Nullable;
import dev.gatelink.gateway.Gateway;
import dev.gatelink.config.InvalidConfigException;

/**
 * The {@code ${...}} placeholders of string values: {@code ${AWS::Region}}, {@code ${AWS::AccountId}} and
 * {@code ${AWS::Partition}} are replaced by the loader's values, as API Gateway does on import; those that the
 * gateway resolves per request are kept where they are allowed; any other is refused by name.
 */
final class Placeholders {
  private static final String AWS_VALUES = "${AWS::Region}, ${AWS::AccountId} or ${AWS::Partition}";

  /** Which placeholders a value may keep, besides the AWS values that are always replaced. */
  enum Scope {
    /** No placeholder is kept. */
    PLAIN(AWS_VALUES),
    /** An integration uri: {@code ${stageVariables.NAME}} is kept. */
    URI("${stageVariables.NAME}, " + AWS_VALUES),
    /** A parameter mapping value: {@code ${request.*}}, {@code ${response.*}}, {@code ${context.*}}, stage variables. */
    MAPPING("${request.NAME}, ${response.NAME}, ${context.NAME}, ${stageVariables.NAME}, " + AWS_VALUES);

    private final String expected;

    Scope(String expected) {
      this.expected = expected;
    }
  }

  private final @Nullable String region;
  private final @Nullable String accountId;
  private final @Nullable String partition;

  Placeholders(@Nullable String region, @Nullable String accountId, @Nullable String partition) {
    this.region = region;
    this.accountId = accountId;
    this.partition = partition;
  }

  /**
   * Replaces the AWS values in a string and checks its other placeholders.
   *
   * @param value the string as written
   * @param what how the error names the field, such as {@code uri}
   * @param scope the placeholders the field may keep
   * @return the string with the AWS values replaced
   * @throws InvalidConfigException (without location) naming a placeholder that cannot be used here
   */
  String resolve(String value, String what, Scope scope) {
    int start = value.indexOf("${");
    if (start < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    int copied = 0;
    while (start >= 0) {
      int end = value.indexOf('}', start);
      if (end < 0) {
        throw new InvalidConfigException(what + " '" + value + "' has an unclosed ${ at index " + start
            + ": expected ${NAME}");
      }
      String name = value.substring(start + 2, end);
      String replacement = replacement(value, what, scope, name);
      if (replacement != null) {
        out.append(value, copied, start).append(replacement);
        copied = end + 1;
      }
      start = value.indexOf("${", end + 1);
    }
    return out.append(value, copied, value.length()).toString();
  }

  /** The value of an AWS placeholder, null for a placeholder that is kept, or an error. */
  private @Nullable String replacement(String value, String what, Scope scope, String name) {
    String uses = what + " '" + value + "' uses ${" + name + "}";
    switch (name) {
      case "AWS::Region":
        if (region == null) {
          throw new InvalidConfigException(uses + ", but no AWS region was given: expected "
              + "OpenApiLoader.builder().awsRegion(...)");
        }
        return region;
      case "AWS::AccountId":
        if (accountId == null) {
          throw new InvalidConfigException(uses + ", but no AWS account id was given: expected "
              + "OpenApiLoader.builder().awsAccountId(...)");
        }
        return accountId;
      case "AWS::Partition":
        if (partition == null) {
          throw new InvalidConfigException(uses + ", but neither an AWS partition nor a region was given: expected "
              + "OpenApiLoader.builder().awsPartition(...) or awsRegion(...)");
        }
        return partition;
      default:
        break;
    }
    boolean stageVariable = name.startsWith("stageVariables.");
    boolean mapping = name.startsWith("request.") || name.startsWith("response.") || name.startsWith("context.");
    if (stageVariable && scope != Scope.PLAIN || mapping && scope == Scope.MAPPING) {
      return null;
    }
    if (stageVariable || mapping) {
      throw new InvalidConfigException(uses + ", which is not resolved in " + what + ": expected " + scope.expected);
    }
    throw new InvalidConfigException(uses + ", which API Gateway does not resolve: expected " + scope.expected);
  }
}
