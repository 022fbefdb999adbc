package dev.gatelink.config;

import dev.gatelink.filter.ContextVariable;
import dev.gatelink.internal.AccessLogTemplate;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a stage writes its access log (API Gateway's {@code AccessLogSettings}, spec section 6.4): the format of
 * a line, with {@code $context} variables such as {@code $context.requestId}. Gatelink writes each request's
 * line, once the request is complete, to the SLF4J logger {@value #LOGGER_NAME} at INFO level; where the lines
 * go is the logging backend's business (API Gateway's {@code DestinationArn} has no counterpart).
 *
 * <p>A format is checked as API Gateway checks it: at most {@value #MAX_FORMAT_BYTES} bytes (UTF-8), and it
 * must have {@code $context.requestId} or {@code $context.extendedRequestId}. Every variable must be one
 * Gatelink provides (see {@link ContextVariable}); a variable's name ends before the first character that is
 * not a letter, digit, underscore or dot, and trailing dots are not part of it ({@code $context.status,} and
 * {@code $context.requestId.} name {@code status} and {@code requestId}).
 *
 * <p>A variable without a value (the integration status of a request that never reached its integration) is
 * written as {@code -}, as API Gateway writes it. A value inside double quotes of the format (every value of
 * the JSON preset) is escaped as in a JSON string: {@code "}, {@code \} and control characters, so a line of
 * a JSON format stays valid JSON; other values are written as they are, except control characters, which are
 * always escaped so a value cannot break a line in two.
 *
 * <p>Immutable. The presets are those the API Gateway console offers for HTTP APIs: {@link #clf()},
 * {@link #json()}, {@link #xml()} and {@link #csv()}.
 */
public final class AccessLogSettings {
  /** The SLF4J logger access log lines are written to, at INFO level. */
  public static final String LOGGER_NAME = "dev.gatelink.accesslog";
  /** The longest format, in UTF-8 bytes: 3 KB, API Gateway's quota (not adjustable). */
  public static final int MAX_FORMAT_BYTES = 3 * 1024;
  /** The console's Common Log Format preset, and the format of a builder that was given none. */
  public static final String CLF_FORMAT = "$context.identity.sourceIp - - [$context.requestTime]"
      + " \"$context.httpMethod $context.routeKey $context.protocol\" $context.status $context.responseLength"
      + " $context.requestId";
  /** The console's JSON preset, spaces included. */
  public static final String JSON_FORMAT = "{ \"requestId\":\"$context.requestId\","
      + " \"ip\": \"$context.identity.sourceIp\", \"requestTime\":\"$context.requestTime\","
      + " \"httpMethod\":\"$context.httpMethod\",\"routeKey\":\"$context.routeKey\","
      + " \"status\":\"$context.status\",\"protocol\":\"$context.protocol\","
      + " \"responseLength\":\"$context.responseLength\" }";
  /** The console's XML preset. */
  public static final String XML_FORMAT = "<request id=\"$context.requestId\"> <ip>$context.identity.sourceIp</ip>"
      + " <requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod>"
      + " <routeKey>$context.routeKey</routeKey> <status>$context.status</status>"
      + " <protocol>$context.protocol</protocol> <responseLength>$context.responseLength</responseLength>"
      + " </request>";
  /** The console's CSV preset. */
  public static final String CSV_FORMAT = "$context.identity.sourceIp,$context.requestTime,$context.httpMethod,"
      + "$context.routeKey,$context.protocol,$context.status,$context.responseLength,$context.requestId";

  private static final int QUOTED_START = 40;

  private final String format;

  private AccessLogSettings(String format) {
    this.format = format;
  }

  /** {@return settings with the Common Log Format preset, {@value #CLF_FORMAT}} */
  public static AccessLogSettings clf() {
    return new AccessLogSettings(CLF_FORMAT);
  }

  /** {@return settings with the JSON preset, {@value #JSON_FORMAT}} */
  public static AccessLogSettings json() {
    return new AccessLogSettings(JSON_FORMAT);
  }

  /** {@return settings with the XML preset, {@value #XML_FORMAT}} */
  public static AccessLogSettings xml() {
    return new AccessLogSettings(XML_FORMAT);
  }

  /** {@return settings with the CSV preset, {@value #CSV_FORMAT}} */
  public static AccessLogSettings csv() {
    return new AccessLogSettings(CSV_FORMAT);
  }

  /**
   * Settings with a format of one's own.
   *
   * @param format the format of a line, with {@code $context} variables
   * @return the settings
   * @throws InvalidConfigException if the format is too long, has a variable Gatelink does not know, or has
   *     neither {@code $context.requestId} nor {@code $context.extendedRequestId}
   */
  public static AccessLogSettings of(String format) {
    return builder().format(format).build();
  }

  /** {@return a new builder, with the Common Log Format preset as its format} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these settings' format} */
  public Builder toBuilder() {
    return new Builder().format(format);
  }

  /** {@return the format of a line, as given} */
  public String format() {
    return format;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AccessLogSettings && format.equals(((AccessLogSettings) other).format);
  }

  @Override
  public int hashCode() {
    return format.hashCode();
  }

  @Override
  public String toString() {
    return "AccessLogSettings[" + format + "]";
  }

  private static String start(String text) {
    return text.length() <= QUOTED_START ? text : text.substring(0, QUOTED_START) + "...";
  }

  /** Builds {@link AccessLogSettings}; {@link #build()} checks the format. */
  public static final class Builder {
    private String format = CLF_FORMAT;

    private Builder() {}

    /**
     * Sets the format of a line.
     *
     * @param format static text with {@code $context} variables, such as {@link AccessLogSettings#JSON_FORMAT}
     * @return this builder
     */
    public Builder format(String format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * Checks the format and builds the settings.
     *
     * @return the settings
     * @throws InvalidConfigException if the format is over {@value AccessLogSettings#MAX_FORMAT_BYTES} bytes,
     *     has {@code $context.} without a name or a variable Gatelink does not know, or has neither
     *     {@code $context.requestId} nor {@code $context.extendedRequestId}
     */
    public AccessLogSettings build() {
      int bytes = format.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_FORMAT_BYTES) {
        throw new InvalidConfigException("access log format '" + start(format) + "' is " + bytes
            + " bytes long: expected at most " + MAX_FORMAT_BYTES + " (API Gateway's quota)");
      }
      AccessLogTemplate template = AccessLogTemplate.parse(format);
      if (!template.uses(ContextVariable.REQUEST_ID) && !template.uses(ContextVariable.EXTENDED_REQUEST_ID)) {
        throw new InvalidConfigException("access log format '" + format
            + "' has neither $context.requestId nor $context.extendedRequestId: API Gateway requires one of them");
      }
      return new AccessLogSettings(format);
    }
  }
}
