package dev.gatelink.config;

import dev.gatelink.target.TargetOptions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import dev.gatelink.internal.HostNames;
import dev.gatelink.internal.IntegrationUris;
import dev.gatelink.internal.HttpUri;

/**
 * Where a route's requests go: an API Gateway HTTP API integration of type {@code HTTP_PROXY}, as
 * {@code CreateIntegration} and {@code x-amazon-apigateway-integration} define it.
 *
 * <p>Immutable. Built with {@link #builder()} (or {@link #http(String)} for a public URL); every setter
 * checks its value, and {@link Builder#build()} checks the combination, each with an
 * {@link InvalidConfigException} that names the field as API Gateway spells it. Defaults are those of API
 * Gateway: connection type {@code INTERNET}, method {@code ANY} (forward the client's method), payload
 * format {@code 1.0}, timeout 30 seconds.
 *
 * <p>Request and response parameter maps are validated (key grammar, reserved headers, value syntax, JSON
 * paths, context variables) and parsed into {@link ParameterMapping}s, which the gateway applies to every
 * request and response of the route.
 */
public final class Integration {
  /** The default and largest integration timeout of an HTTP API: 30 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(30_000);
  /** The smallest integration timeout API Gateway accepts: 50 milliseconds. */
  public static final Duration MIN_TIMEOUT = Duration.ofMillis(50);
  /** The longest integration uri API Gateway accepts, in characters. */
  public static final int MAX_URI_LENGTH = 2048;
  /** The integration method that forwards the client's own method. */
  public static final String ANY_METHOD = "ANY";

  private final IntegrationType type;
  private final ConnectionType connectionType;
  private final @Nullable String connectionId;
  private final String uri;
  private final String method;
  private final String payloadFormatVersion;
  private final Duration timeout;
  private final @Nullable String serverNameToVerify;
  private final Map<String, String> requestParameters;
  private final Map<String, Map<String, String>> responseParameters;
  private final TargetOptions targetOptions;
  private final List<ParameterMapping> requestMappings;
  private final Map<Integer, List<ParameterMapping>> responseMappings;

  private Integration(Builder builder) {
    this.type = builder.type;
    this.connectionType = builder.connectionType;
    this.connectionId = builder.connectionId;
    this.uri = Objects.requireNonNull(builder.uri);
    this.method = builder.method;
    this.payloadFormatVersion = builder.payloadFormatVersion;
    this.timeout = builder.timeout;
    this.serverNameToVerify = builder.serverNameToVerify;
    this.requestParameters = Collections.unmodifiableMap(new LinkedHashMap<>(builder.requestParameters));
    Map<String, Map<String, String>> response = new LinkedHashMap<>();
    builder.responseParameters.forEach(
        (status, mappings) -> response.put(status, Collections.unmodifiableMap(new LinkedHashMap<>(mappings))));
    this.responseParameters = Collections.unmodifiableMap(response);
    this.targetOptions = builder.targetOptions;
    List<ParameterMapping> parsed = new ArrayList<>();
    requestParameters.forEach((key, value) -> parsed.add(ParameterMapping.parse(key, value)));
    this.requestMappings = List.copyOf(parsed);
    Map<Integer, List<ParameterMapping>> byStatus = new LinkedHashMap<>();
    responseParameters.forEach((status, mappings) -> {
      List<ParameterMapping> list = new ArrayList<>();
      mappings.forEach((key, value) -> list.add(ParameterMapping.parse(key, value)));
      byStatus.put(Integer.parseInt(status), List.copyOf(list));
    });
    this.responseMappings = Collections.unmodifiableMap(byStatus);
  }

  /** {@return a new builder with API Gateway's defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An {@code INTERNET} integration to a public URL, with every other field at its default.
   *
   * @param uri an {@code http://} or {@code https://} URL, which may use path variables such as
   *     {@code {proxy}} and stage variables such as {@code ${stageVariables.host}}
   * @return the integration
   * @throws InvalidConfigException if the uri is not such a URL
   */
  public static Integration http(String uri) {
    return builder().uri(uri).build();
  }

  /** {@return a builder holding this integration's fields} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.type = type;
    builder.connectionType = connectionType;
    builder.connectionId = connectionId;
    builder.uri = uri;
    builder.method = method;
    builder.payloadFormatVersion = payloadFormatVersion;
    builder.timeout = timeout;
    builder.serverNameToVerify = serverNameToVerify;
    builder.requestParameters.putAll(requestParameters);
    builder.responseParameters.putAll(responseParameters);
    builder.targetOptions = targetOptions;
    return builder;
  }

  /** {@return the integration type; always {@link IntegrationType#HTTP_PROXY} in this version} */
  public IntegrationType type() {
    return type;
  }

  /** {@return how the integration is reached} */
  public ConnectionType connectionType() {
    return connectionType;
  }

  /** {@return the VPC link id of a {@code VPC_LINK} integration, or null for an {@code INTERNET} one} */
  public @Nullable String connectionId() {
    return connectionId;
  }

  /** {@return the integration uri as configured (stage variables not yet substituted)} */
  public String uri() {
    return uri;
  }

  /** {@return the method the backend is called with, or {@link #ANY_METHOD} for the client's method} */
  public String method() {
    return method;
  }

  /** {@return the payload format version; always {@code 1.0} for {@code HTTP_PROXY}} */
  public String payloadFormatVersion() {
    return payloadFormatVersion;
  }

  /** {@return how long the gateway waits for the backend's response before answering 503} */
  public Duration timeout() {
    return timeout;
  }

  /**
   * {@return the name sent as SNI and checked against the backend certificate ({@code
   * tlsConfig.serverNameToVerify}), or null; when set, a private integration is called over HTTPS}
   */
  public @Nullable String serverNameToVerify() {
    return serverNameToVerify;
  }

  /** {@return the request parameter mappings ({@code append:header.x} to a value), in their given order} */
  public Map<String, String> requestParameters() {
    return requestParameters;
  }

  /** {@return the response parameter mappings by backend status code ({@code "404"}), in their given order} */
  public Map<String, Map<String, String>> responseParameters() {
    return responseParameters;
  }

  /**
   * {@return the options for the target provider that claims the uri (Gatelink's, not API Gateway's): a
   * provider's typed options such as {@code CloudMapOptions}, or, from an OpenAPI file, the operation's
   * {@code x-gatelink-target} as written}
   */
  public TargetOptions targetOptions() {
    return targetOptions;
  }

  /**
   * The request parameter mappings, parsed: what the backend request gets (spec 4.1, 4.2).
   *
   * @return the mappings in the order given
   */
  public List<ParameterMapping> requestMappings() {
    return requestMappings;
  }

  /**
   * The response parameter mappings, parsed, by the integration's status (spec 4.3).
   *
   * @return the mappings of each status, in the order given
   */
  public Map<Integer, List<ParameterMapping>> responseMappings() {
    return responseMappings;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof Integration)) {
      return false;
    }
    Integration that = (Integration) other;
    return type == that.type
        && connectionType == that.connectionType
        && Objects.equals(connectionId, that.connectionId)
        && uri.equals(that.uri)
        && method.equals(that.method)
        && payloadFormatVersion.equals(that.payloadFormatVersion)
        && timeout.equals(that.timeout)
        && Objects.equals(serverNameToVerify, that.serverNameToVerify)
        && requestParameters.equals(that.requestParameters)
        && responseParameters.equals(that.responseParameters)
        && targetOptions.equals(that.targetOptions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, connectionType, connectionId, uri, method, payloadFormatVersion, timeout,
        serverNameToVerify, requestParameters, responseParameters, targetOptions);
  }

  @Override
  public String toString() {
    return type + " " + connectionType + " " + method + " " + uri;
  }

  /** Builds an {@link Integration}; each setter checks its value, {@link #build()} checks the combination. */
  public static final class Builder {
    private IntegrationType type = IntegrationType.HTTP_PROXY;
    private ConnectionType connectionType = ConnectionType.INTERNET;
    private @Nullable String connectionId;
    private @Nullable String uri;
    private String method = ANY_METHOD;
    private String payloadFormatVersion = "1.0";
    private Duration timeout = DEFAULT_TIMEOUT;
    private @Nullable String serverNameToVerify;
    private final Map<String, String> requestParameters = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> responseParameters = new LinkedHashMap<>();
    private TargetOptions targetOptions = TargetOptions.none();

    private Builder() {}

    /**
     * Sets the integration type.
     *
     * @param type the type; only {@code HTTP_PROXY} exists in this version
     * @return this builder
     */
    public Builder type(IntegrationType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /**
     * Sets how the integration is reached (default {@code INTERNET}).
     *
     * @param connectionType the connection type
     * @return this builder
     */
    public Builder connectionType(ConnectionType connectionType) {
      this.connectionType = Objects.requireNonNull(connectionType, "connectionType");
      return this;
    }

    /**
     * Sets the VPC link id, required for {@code VPC_LINK} integrations.
     *
     * @param connectionId the VPC link id, such as {@code vl-1234ab}, or null
     * @return this builder
     * @throws InvalidConfigException if the id is empty or has spaces
     */
    public Builder connectionId(@Nullable String connectionId) {
      if (connectionId != null && (connectionId.isEmpty() || !connectionId.chars().allMatch(c -> c > ' ' && c < 127))) {
        throw new InvalidConfigException(
            "connectionId '" + connectionId + "' is not a VPC link id: expected printable ASCII without spaces");
      }
      this.connectionId = connectionId;
      return this;
    }

    /**
     * Sets the integration uri: an {@code http(s)://} URL for {@code INTERNET}; a listener ARN, Cloud Map
     * service ARN or provider shorthand for {@code VPC_LINK}.
     *
     * @param uri the uri, at most {@value Integration#MAX_URI_LENGTH} characters
     * @return this builder
     * @throws InvalidConfigException if the uri is empty, too long or has spaces or control characters
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      if (uri.isEmpty()) {
        throw new InvalidConfigException("uri is empty: expected a URL or an ARN");
      }
      if (uri.length() > MAX_URI_LENGTH) {
        throw new InvalidConfigException(
            "uri is " + uri.length() + " characters long: expected at most " + MAX_URI_LENGTH);
      }
      for (int i = 0; i < uri.length(); i++) {
        char c = uri.charAt(i);
        if (c <= ' ' || c == 127) {
          throw new InvalidConfigException(
              "uri '" + uri + "' has a space or control character at index " + i + ": expected a URL or an ARN");
        }
      }
      this.uri = uri;
      return this;
    }

    /**
     * Sets the method the backend is called with.
     *
     * @param method {@code ANY} (the default: the client's method) or one of {@code GET}, {@code POST},
     *     {@code PUT}, {@code PATCH}, {@code DELETE}, {@code HEAD}, {@code OPTIONS}
     * @return this builder
     * @throws InvalidConfigException if the method is not one of these, spelled in upper case
     */
    public Builder method(String method) {
      Objects.requireNonNull(method, "method");
      switch (method) {
        case "ANY":
        case "GET":
        case "POST":
        case "PUT":
        case "PATCH":
        case "DELETE":
        case "HEAD":
        case "OPTIONS":
          this.method = method;
          return this;
        default:
          String upper = method.toUpperCase(Locale.ROOT);
          if (!upper.equals(method) && upper.matches("ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS")) {
            throw new InvalidConfigException("httpMethod '" + method + "' must be written in upper case, as '"
                + upper + "'");
          }
          throw new InvalidConfigException("httpMethod '" + method
              + "' is not supported: expected ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS");
      }
    }

    /**
     * Sets the payload format version.
     *
     * @param version {@code 1.0}, the only version of {@code HTTP_PROXY} integrations
     * @return this builder
     * @throws InvalidConfigException for any other version
     */
    public Builder payloadFormatVersion(String version) {
      if (!"1.0".equals(version)) {
        throw new InvalidConfigException("payloadFormatVersion '" + version
            + "' is not supported for HTTP_PROXY integrations: expected 1.0");
      }
      this.payloadFormatVersion = version;
      return this;
    }

    /**
     * Sets the integration timeout ({@code timeoutInMillis}).
     *
     * @param timeout between 50 milliseconds and 30 seconds, in whole milliseconds
     * @return this builder
     * @throws InvalidConfigException if it is out of range or has a fraction of a millisecond
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (!timeout.equals(Duration.ofMillis(timeout.toMillis()))) {
        throw new InvalidConfigException("timeoutInMillis " + describe(timeout)
            + " has a fraction of a millisecond: expected whole milliseconds from 50 to 30000");
      }
      if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(DEFAULT_TIMEOUT) > 0) {
        throw new InvalidConfigException("timeoutInMillis " + describe(timeout)
            + " is out of range: expected 50 to 30000");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets {@code tlsConfig.serverNameToVerify}: the private integration is then called over HTTPS, with this
     * name sent as SNI and checked against the backend's certificate.
     *
     * @param serverName a DNS name, or null for plain HTTP
     * @return this builder
     * @throws InvalidConfigException if the name is not a DNS host name
     */
    public Builder serverNameToVerify(@Nullable String serverName) {
      if (serverName != null && !HostNames.isDnsName(serverName)) {
        throw new InvalidConfigException("tlsConfig.serverNameToVerify '" + serverName
            + "' is not a host name: expected a DNS name such as orders.internal.example.com");
      }
      this.serverNameToVerify = serverName;
      return this;
    }

    /**
     * Adds a request parameter mapping, such as {@code overwrite:path} = {@code $request.path}.
     *
     * @param key {@code append|overwrite|remove:header.NAME}, {@code append|overwrite|remove:querystring.NAME}
     *     or {@code overwrite:path}; reserved headers (API Gateway's list) are refused
     * @param value a source ({@code $request.header.x}, {@code $context.requestId}, {@code
     *     $stageVariables.x}, {@code ${...}} in text) or static text; empty for {@code remove:}
     * @return this builder
     * @throws InvalidConfigException if the key or the value is not valid
     */
    public Builder requestParameter(String key, String value) {
      ParameterMappings.checkRequest(key, value);
      for (String existing : requestParameters.keySet()) {
        if (ParameterMappings.sameTarget(existing, key)) {
          throw new InvalidConfigException("requestParameters '" + key + "' is given twice"
              + (existing.equals(key) ? "" : " (as '" + existing + "'; header names are case-insensitive)")
              + ": expected each key once");
        }
      }
      requestParameters.put(key, value);
      return this;
    }

    /**
     * Adds request parameter mappings, in the map's iteration order.
     *
     * @param mappings keys and values as for {@link #requestParameter(String, String)}
     * @return this builder
     * @throws InvalidConfigException if a key or value is not valid
     */
    public Builder requestParameters(Map<String, String> mappings) {
      mappings.forEach(this::requestParameter);
      return this;
    }

    /**
     * Adds the response parameter mappings for one backend status code.
     *
     * @param statusCode the backend status the mappings apply to, {@code "200"} to {@code "599"}
     * @param mappings {@code append|overwrite|remove:header.NAME} or {@code overwrite:statuscode} to values
     * @return this builder
     * @throws InvalidConfigException if the status, a key or a value is not valid
     */
    public Builder responseParameters(String statusCode, Map<String, String> mappings) {
      ParameterMappings.checkResponseStatus(statusCode);
      if (responseParameters.containsKey(statusCode)) {
        throw new InvalidConfigException(
            "responseParameters '" + statusCode + "' is given twice: expected each status code once");
      }
      Map<String, String> copy = new LinkedHashMap<>();
      mappings.forEach((key, value) -> {
        ParameterMappings.checkResponse(statusCode, key, value);
        for (String existing : copy.keySet()) {
          if (ParameterMappings.sameTarget(existing, key)) {
            throw new InvalidConfigException("responseParameters '" + statusCode + "' '" + key + "' is given twice"
                + " (as '" + existing + "'; header names are case-insensitive): expected each key once");
          }
        }
        copy.put(key, value);
      });
      responseParameters.put(statusCode, copy);
      return this;
    }

    /**
     * Sets the options for the target provider that claims the uri, such as {@code CloudMapOptions} with a health
     * filter. The provider checks them when the gateway loads the configuration, and refuses options of another
     * provider; the built-in URL provider takes none.
     *
     * @param options the provider's typed options, or {@link dev.gatelink.target.WrittenTargetOptions} as a
     *     file writes them
     * @return this builder
     */
    public Builder targetOptions(TargetOptions options) {
      this.targetOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Checks the combination of fields and builds the integration.
     *
     * @return the integration
     * @throws InvalidConfigException if the uri is missing, does not fit the connection type, or a field is
     *     set that the connection type does not allow
     */
    public Integration build() {
      if (uri == null) {
        throw new InvalidConfigException("uri is missing: expected a URL or an ARN");
      }
      boolean url = IntegrationUris.isHttpUrl(uri);
      if (connectionType == ConnectionType.INTERNET) {
        if (!url) {
          throw new InvalidConfigException("uri '" + uri
              + "': Invalid HTTP endpoint specified for URI: expected an http:// or https:// URL for connectionType INTERNET");
        }
        IntegrationUris.checkUrl(uri);
        if (!IntegrationUris.authorityUsesStageVariables(uri)) {
          HttpUri.parse(uri);
        }
        if (connectionId != null) {
          throw new InvalidConfigException("connectionId '" + connectionId
              + "' is set on an INTERNET integration: expected connectionType VPC_LINK");
        }
        if (serverNameToVerify != null) {
          throw new InvalidConfigException("tlsConfig.serverNameToVerify '" + serverNameToVerify
              + "' is set on an INTERNET integration: expected it only with connectionType VPC_LINK");
        }
      } else {
        if (url) {
          throw new InvalidConfigException("uri '" + uri
              + "': For VpcLink VPC_LINK, integration uri should be a valid ELB listener ARN or a valid Cloud Map service ARN.");
        }
        if (connectionId == null) {
          throw new InvalidConfigException("connectionId is missing: expected the VPC link id of a VPC_LINK integration");
        }
        if (!IntegrationUris.pathVariables(uri).isEmpty()) {
          throw new InvalidConfigException("uri '" + uri
              + "' uses a path variable: expected path variables only in the uri of an INTERNET integration");
        }
      }
      return new Integration(this);
    }

    private static String describe(Duration duration) {
      return new BigDecimal(BigInteger.valueOf(duration.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
              .add(BigInteger.valueOf(duration.getNano())))
          .movePointLeft(6).stripTrailingZeros().toPlainString();
    }
  }
}
