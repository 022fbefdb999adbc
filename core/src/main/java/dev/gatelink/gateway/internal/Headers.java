package dev.gatelink.gateway.internal;

import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The headers the backend gets and the client gets back: hop-by-hop headers dropped both ways, the client's
 * {@code X-Forwarded-*} folded into one {@code Forwarded} header with the gateway's own element appended, and
 * {@code Via} added, as API Gateway does (spec section 5.1).
 */
final class Headers {
  /** The response header that carries the request id. */
  public static final String REQUEST_ID = "apigw-requestid";
  /** The characters of an RFC 9110 token, by ASCII code. */
  private static final boolean[] TOKEN_CHARS = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      TOKEN_CHARS[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }

  private Headers() {}

  /**
   * The entries of a header map as it stores them: for Vert.x's own map, its entries themselves, with no
   * {@code String} or wrapper made per header.
   */
  static Iterator<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> entries(MultiMap headers) {
    return headers instanceof HeadersMultiMap vertx ? vertx.iteratorCharSequence() : headers.iterator();
  }

  /** Hop-by-hop headers (RFC 9110 section 7.6.1), plus the proxy-only ones API Gateway reserves. */
  static boolean isHopByHop(CharSequence name) {
    switch (name.length()) {
      case 2:
        return AsciiString.contentEqualsIgnoreCase(name, "te");
      case 7:
        return AsciiString.contentEqualsIgnoreCase(name, "trailer")
            || AsciiString.contentEqualsIgnoreCase(name, "upgrade");
      case 8:
        return AsciiString.contentEqualsIgnoreCase(name, "trailers");
      case 10:
        return AsciiString.contentEqualsIgnoreCase(name, "connection")
            || AsciiString.contentEqualsIgnoreCase(name, "keep-alive");
      case 16:
        return AsciiString.contentEqualsIgnoreCase(name, "proxy-connection");
      case 17:
        return AsciiString.contentEqualsIgnoreCase(name, "transfer-encoding");
      case 18:
        return AsciiString.contentEqualsIgnoreCase(name, "proxy-authenticate");
      case 19:
        return AsciiString.contentEqualsIgnoreCase(name, "proxy-authorization");
      default:
        return false;
    }
  }

  /**
   * The headers for the backend request.
   *
   * @param hostHeader the Host to send, or null to send the client's
   * @param via the value of the {@code Via} element the gateway adds
   * @return the headers; without Host when neither is known (an HTTP/1.0 client without Host): the backend's
   *     authority is added once the endpoint is known
   */
  static HeadersMultiMap forBackend(HttpServerRequest request, @Nullable String hostHeader, String via) {
    MultiMap in = request.headers();
    // Without validation: every name and value comes from a request Vert.x has validated, or is built here
    // from such values. Validation showed as about 4% of the CPU samples of a forwarded request (JFR).
    HeadersMultiMap out = HeadersMultiMap.httpHeaders(null);
    String connectionTokens = in.get(HttpHeaders.CONNECTION);
    String forwarded = null;
    String forwardedFor = null;
    String forwardedHost = null;
    String forwardedProto = null;
    String clientVia = null;
    String hostHeaderValue = null;
    for (Map.Entry<String, String> header : in) {
      String name = header.getKey();
      if (name.isEmpty() || name.charAt(0) == ':' || isHopByHop(name)) {
        continue;
      }
      switch (name.length()) {
        case 3:
          if (name.equalsIgnoreCase("via")) {
            clientVia = join(clientVia, header.getValue());
            continue;
          }
          break;
        case 4:
          if (name.equalsIgnoreCase("host")) {
            hostHeaderValue = header.getValue();
            continue;
          }
          break;
        case 6:
          if (name.equalsIgnoreCase("expect")) {
            continue;
          }
          break;
        case 9:
          if (name.equalsIgnoreCase("forwarded")) {
            forwarded = join(forwarded, header.getValue());
            continue;
          }
          break;
        case 15:
          if (name.equalsIgnoreCase("x-forwarded-for")) {
            forwardedFor = join(forwardedFor, header.getValue());
            continue;
          }
          break;
        case 16:
          if (name.equalsIgnoreCase("x-forwarded-host")) {
            forwardedHost = header.getValue();
            continue;
          }
          break;
        case 17:
          if (name.equalsIgnoreCase("x-forwarded-proto")) {
            forwardedProto = header.getValue();
            continue;
          }
          break;
        default:
          break;
      }
      if (connectionTokens != null && listsToken(connectionTokens, name)) {
        continue;
      }
      out.add(name, header.getValue());
    }
    // The Host header as sent (HTTP/1), else HTTP/2's :authority.
    String clientHost = hostHeaderValue;
    if (clientHost == null) {
      HostAndPort authority = request.authority();
      clientHost = authority == null ? null : authority.toString();
    }
    String host = hostHeader != null ? hostHeader : clientHost;
    if (host != null) {
      out.set(HttpHeaders.HOST, host);
    }
    out.set("Forwarded", forwardedValue(request, forwarded, forwardedFor, forwardedHost, forwardedProto, clientHost));
    out.set("Via", clientVia == null ? via : clientVia + ", " + via);
    return out;
  }

  /**
   * Copies the backend's response headers to the client's response, without hop-by-hop headers.
   *
   * @return whether a {@code Content-Length} was copied
   */
  static boolean copyToClient(io.netty.handler.codec.http.HttpHeaders from, MultiMap to) {
    String connectionTokens = from.get(HttpHeaders.CONNECTION);
    boolean contentLength = false;
    // As the decoder made them (AsciiString names): no String made per header.
    Iterator<Map.Entry<CharSequence, CharSequence>> headers = from.iteratorCharSequence();
    while (headers.hasNext()) {
      Map.Entry<CharSequence, CharSequence> header = headers.next();
      CharSequence name = header.getKey();
      if (isHopByHop(name) || connectionTokens != null && listsToken(connectionTokens, name)) {
        continue;
      }
      contentLength |= name.length() == 14 && AsciiString.contentEqualsIgnoreCase(name, "content-length");
      to.add(name, header.getValue());
    }
    return contentLength;
  }

  private static String forwardedValue(HttpServerRequest request, @Nullable String forwarded,
      @Nullable String forwardedFor, @Nullable String forwardedHost, @Nullable String forwardedProto,
      @Nullable String clientHost) {
    SocketAddress local = request.localAddress();
    SocketAddress remote = request.remoteAddress();
    boolean ssl = request.isSSL();
    HostAddressCache addresses = HOST_ADDRESSES.get();
    // Only the gateway's own element: the same on every request of a connection with the same Host.
    boolean gatewayOnly = forwarded == null && forwardedFor == null && remote != null;
    if (gatewayOnly) {
      String cached = addresses.forwarded(remote, local, clientHost, ssl);
      if (cached != null) {
        return cached;
      }
    }
    StringBuilder value = new StringBuilder(96);
    if (forwarded != null) {
      value.append(forwarded);
    }
    if (forwardedFor != null) {
      boolean first = true;
      for (String address : forwardedFor.split(",")) {
        String trimmed = address.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        separate(value);
        value.append("for=");
        appendNode(value, trimmed);
        if (first) {
          if (forwardedHost != null) {
            value.append(";host=");
            appendQuotedIfNeeded(value, forwardedHost.trim());
          }
          if (forwardedProto != null) {
            value.append(";proto=");
            appendQuotedIfNeeded(value, forwardedProto.trim());
          }
          first = false;
        }
      }
    }
    separate(value);
    value.append("by=");
    appendNode(value, local == null ? "unknown" : addresses.of(local));
    value.append(";for=");
    appendNode(value, remote == null ? "unknown" : addresses.of(remote));
    if (clientHost != null) {
      value.append(";host=");
      appendQuotedIfNeeded(value, clientHost);
    }
    value.append(";proto=").append(ssl ? "https" : "http");
    String text = value.toString();
    if (gatewayOnly) {
      addresses.rememberForwarded(remote, local, clientHost, ssl, text);
    }
    return text;
  }

  /**
   * The text of socket addresses, and the gateway-only {@code Forwarded} value of each client connection, per
   * thread: a connection keeps its address objects, and formatting an IP address (or the whole value) makes
   * new strings each time. A direct-mapped cache by identity; it holds at most {@value HostAddressCache#SLOTS}
   * entries of each kind per thread.
   */
  private static final FastThreadLocal<HostAddressCache> HOST_ADDRESSES = new FastThreadLocal<>() {
    @Override
    protected HostAddressCache initialValue() {
      return new HostAddressCache();
    }
  };

  private static final class HostAddressCache {
    static final int SLOTS = 256;
    private final SocketAddress[] addresses = new SocketAddress[SLOTS];
    private final String[] texts = new String[SLOTS];
    /** The last gateway-only {@code Forwarded} value per client address, and what it was made from. */
    private final SocketAddress[] forwardedRemotes = new SocketAddress[SLOTS];
    private final @Nullable SocketAddress[] forwardedLocals = new SocketAddress[SLOTS];
    private final @Nullable String[] forwardedHosts = new String[SLOTS];
    private final boolean[] forwardedSsl = new boolean[SLOTS];
    private final String[] forwardedValues = new String[SLOTS];

    @Nullable String forwarded(SocketAddress remote, @Nullable SocketAddress local, @Nullable String host,
        boolean ssl) {
      int slot = System.identityHashCode(remote) & (SLOTS - 1);
      if (forwardedRemotes[slot] == remote && forwardedLocals[slot] == local && forwardedSsl[slot] == ssl
          && java.util.Objects.equals(forwardedHosts[slot], host)) {
        return forwardedValues[slot];
      }
      return null;
    }

    void rememberForwarded(SocketAddress remote, @Nullable SocketAddress local, @Nullable String host,
        boolean ssl, String value) {
      int slot = System.identityHashCode(remote) & (SLOTS - 1);
      forwardedRemotes[slot] = remote;
      forwardedLocals[slot] = local;
      forwardedHosts[slot] = host;
      forwardedSsl[slot] = ssl;
      forwardedValues[slot] = value;
    }

    String of(SocketAddress address) {
      int slot = System.identityHashCode(address) & (SLOTS - 1);
      if (addresses[slot] == address) {
        return texts[slot];
      }
      String text = address.hostAddress();
      if (text == null) {
        return "unknown";
      }
      addresses[slot] = address;
      texts[slot] = text;
      return text;
    }
  }

  private static void separate(StringBuilder value) {
    if (value.length() > 0) {
      value.append(", ");
    }
  }

  /** A node (RFC 7239 section 6): IPv6 addresses bracketed and quoted, others quoted only when needed. */
  private static void appendNode(StringBuilder value, String node) {
    if (node.indexOf(':') >= 0 && !node.startsWith("[") && !node.startsWith("\"")) {
      value.append("\"[").append(node).append("]\"");
    } else {
      appendQuotedIfNeeded(value, node);
    }
  }

  private static void appendQuotedIfNeeded(StringBuilder value, String text) {
    boolean token = !text.isEmpty();
    for (int i = 0; i < text.length() && token; i++) {
      char c = text.charAt(i);
      token = c < 128 && TOKEN_CHARS[c];
    }
    if (token) {
      value.append(text);
      return;
    }
    if (text.indexOf('"') < 0 && text.indexOf('\\') < 0) {
      value.append('"').append(text).append('"');
      return;
    }
    value.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        value.append('\\');
      }
      value.append(c);
    }
    value.append('"');
  }

  private static String join(@Nullable String first, String next) {
    return first == null ? next : first + ", " + next;
  }

  private static boolean listsToken(String tokens, CharSequence name) {
    int start = 0;
    while (start < tokens.length()) {
      int end = tokens.indexOf(',', start);
      if (end < 0) {
        end = tokens.length();
      }
      String token = tokens.substring(start, end).trim();
      if (AsciiString.contentEqualsIgnoreCase(token, name)) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }
}
