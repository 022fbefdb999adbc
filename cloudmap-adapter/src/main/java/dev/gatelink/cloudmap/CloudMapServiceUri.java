package dev.gatelink.cloudmap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import dev.gatelink.config.InvalidConfigException;

/**
 * A Cloud Map integration uri, parsed and checked: which service, and the attribute filters that
 * {@code DiscoverInstances} gets as its {@code QueryParameters}.
 *
 * <p>Two forms are claimed:
 * <ul>
 *   <li>API Gateway's: a service ARN, {@code arn:aws:servicediscovery:REGION:ACCOUNT:service/srv-ID}, with
 *       optional {@code ?key=value&...} (spec 2.3, 3.1). The namespace and service names are looked up
 *       later with {@code GetService} and {@code GetNamespace}.</li>
 *   <li>Gatelink's shorthand for code and files: {@code cloudmap://NAMESPACE/SERVICE?key=value&...}, with the
 *       namespace's HTTP name and the service's name as {@code DiscoverInstances} takes them.</li>
 * </ul>
 *
 * <p>Query values are percent-decoded (UTF-8). Keys and values must fit Cloud Map's attribute rules (key: 1 to
 * 255 printable ASCII characters without spaces; value: up to 1,024 printable ASCII characters, spaces and
 * tabs only inside), each key at most once, so that a filter Cloud Map would refuse fails when the
 * configuration is built, naming the uri and the offending text.
 *
 * @param partition the ARN's partition ({@code aws}, {@code aws-cn}, ...), or null for the shorthand
 * @param region the ARN's region, or null for the shorthand (the integration's or the SDK's region applies)
 * @param accountId the ARN's account, or null for the shorthand
 * @param serviceId the ARN's service id ({@code srv-...}), or null for the shorthand
 * @param namespaceName the shorthand's namespace HTTP name, or null for an ARN
 * @param serviceName the shorthand's service name, or null for an ARN
 * @param queryParameters the attribute filters, in the uri's order; empty when there is no query
 */
record CloudMapServiceUri(
    @Nullable String partition,
    @Nullable String region,
    @Nullable String accountId,
    @Nullable String serviceId,
    @Nullable String namespaceName,
    @Nullable String serviceName,
    Map<String, String> queryParameters) {

  static final String SHORTHAND_SCHEME = "cloudmap://";
  private static final String ARN_FORM =
      "arn:aws:servicediscovery:REGION:ACCOUNT:service/srv-ID[?key=value&...]";
  private static final String SHORTHAND_FORM = "cloudmap://NAMESPACE/SERVICE[?key=value&...]";
  private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
  static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern SERVICE_ID = Pattern.compile("srv-[a-z0-9]{1,64}");
  private static final Pattern NAMESPACE = Pattern.compile("[!-~&&[^/?#%]]{1,1024}");
  private static final Pattern SERVICE_LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
  static final Pattern KEY = Pattern.compile("[!-~]{1,255}");
  static final Pattern VALUE = Pattern.compile("([!-~][ \\t!-~]*)?[!-~]?");

  CloudMapServiceUri {
    queryParameters = Collections.unmodifiableMap(new LinkedHashMap<>(queryParameters));
  }

  /** {@return whether the uri is one of the two Cloud Map forms, valid or not: a provider claims it then} */
  static boolean claims(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    if (lower.startsWith(SHORTHAND_SCHEME)) {
      return true;
    }
    String[] parts = lower.split(":", 4);
    return parts.length >= 3 && parts[0].equals("arn") && parts[2].equals("servicediscovery");
  }

  /**
   * Parses a uri that {@link #claims} claims.
   *
   * @param uri the integration uri
   * @return the parsed uri
   * @throws InvalidConfigException naming the uri, what is wrong and the form expected
   */
  static CloudMapServiceUri parse(String uri) {
    int question = uri.indexOf('?');
    String base = question < 0 ? uri : uri.substring(0, question);
    Map<String, String> query = question < 0 ? Map.of() : query(uri, uri.substring(question + 1));
    if (base.toLowerCase(Locale.ROOT).startsWith(SHORTHAND_SCHEME)) {
      return shorthand(uri, base.substring(SHORTHAND_SCHEME.length()), query);
    }
    return arn(uri, base, query);
  }

  private static CloudMapServiceUri arn(String uri, String base, Map<String, String> query) {
    String[] parts = base.split(":", -1);
    if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("servicediscovery")) {
      throw invalid(uri, ARN_FORM, "expected 6 parts separated by ':'");
    }
    if (!PARTITION.matcher(parts[1]).matches()) {
      throw invalid(uri, ARN_FORM, "partition '" + parts[1] + "' is not valid");
    }
    if (!REGION.matcher(parts[3]).matches()) {
      throw invalid(uri, ARN_FORM, "region '" + parts[3] + "' is not valid");
    }
    if (!ACCOUNT.matcher(parts[4]).matches()) {
      throw invalid(uri, ARN_FORM, "account '" + parts[4] + "' is not 12 digits");
    }
    String resource = parts[5];
    if (!resource.startsWith("service/")) {
      throw invalid(uri, ARN_FORM, "resource '" + resource + "' is not a service (service/srv-ID)");
    }
    String id = resource.substring("service/".length());
    if (!SERVICE_ID.matcher(id).matches()) {
      throw invalid(uri, ARN_FORM, "service id '" + id + "' is not valid: expected srv- and lower-case letters and digits");
    }
    return new CloudMapServiceUri(parts[1], parts[3], parts[4], id, null, null, query);
  }

  private static CloudMapServiceUri shorthand(String uri, String rest, Map<String, String> query) {
    int slash = rest.indexOf('/');
    if (slash < 0 || rest.indexOf('/', slash + 1) >= 0) {
      throw invalid(uri, SHORTHAND_FORM, "expected exactly one '/' between the namespace and the service");
    }
    String namespace = rest.substring(0, slash);
    String service = rest.substring(slash + 1);
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw invalid(uri, SHORTHAND_FORM, "namespace '" + namespace
          + "' is not valid: expected 1 to 1,024 printable ASCII characters without spaces, '/', '?', '#' or '%'");
    }
    if (!serviceName(service)) {
      throw invalid(uri, SHORTHAND_FORM, "service '" + service
          + "' is not valid: expected DNS labels of letters, digits, '-' and '_', at most 127 characters");
    }
    return new CloudMapServiceUri(null, null, null, null, namespace, service, query);
  }

  private static boolean serviceName(String name) {
    if (name.isEmpty() || name.length() > 127) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!SERVICE_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> query(String uri, String text) {
    String form = uri.toLowerCase(Locale.ROOT).startsWith(SHORTHAND_SCHEME) ? SHORTHAND_FORM : ARN_FORM;
    if (text.isEmpty()) {
      throw invalid(uri, form, "the query after '?' is empty");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : text.split("&", -1)) {
      int equals = pair.indexOf('=');
      if (equals < 0) {
        throw invalid(uri, form, "query parameter '" + pair + "' has no '=': expected key=value");
      }
      String key = decode(uri, form, pair.substring(0, equals));
      String value = decode(uri, form, pair.substring(equals + 1));
      if (!KEY.matcher(key).matches()) {
        throw invalid(uri, form, "query parameter key '" + key
            + "' is not valid: expected 1 to 255 printable ASCII characters without spaces");
      }
      if (value.length() > 1024 || !VALUE.matcher(value).matches()) {
        throw invalid(uri, form, "query parameter " + key + " value '" + value
            + "' is not valid: expected up to 1,024 printable ASCII characters, spaces and tabs only inside");
      }
      if (parameters.put(key, value) != null) {
        throw invalid(uri, form, "query parameter " + key + " is given twice: expected each key once");
      }
    }
    return parameters;
  }

  /** Strict percent-decoding: a malformed escape or invalid UTF-8 is an error, '+' stays '+'. */
  private static String decode(String uri, String form, String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (high < 0 || low < 0) {
        throw invalid(uri, form, "'" + text + "' has a malformed percent escape");
      }
      bytes.write(high * 16 + low);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid(uri, form, "'" + text + "' does not decode to UTF-8");
    }
  }

  private static InvalidConfigException invalid(String uri, String form, String problem) {
    return new InvalidConfigException("uri '" + uri + "': " + problem + ": expected " + form);
  }
}
