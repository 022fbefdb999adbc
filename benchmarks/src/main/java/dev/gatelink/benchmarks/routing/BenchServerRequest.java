package dev.gatelink.benchmarks.routing;

import io.netty.handler.codec.DecoderResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpFrame;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.StreamPriority;
import io.vertx.core.http.impl.HttpUtils;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A minimal in-memory {@link HttpServerRequest}, so that {@code Router.handle(request)} can be driven
 * from a JMH thread without a server or a socket. It answers what Vert.x Web's routing reads (method, path,
 * version, a valid authority, the params multimap that path parameters are added to); everything else,
 * the response included, throws, so a router that strays outside matching fails the setup check instead of
 * being measured. One instance is reused: {@link #reset} prepares it for the next request, the way a
 * server reuses its per-connection state; the params multimap is created lazily per request, as Vert.x's
 * own server request does.
 *
 * <p>A request is given as its request target, path plus optional query ({@code /a/b?page=2}), as the
 * benchmark gives it to Gatelink. As in Vert.x's {@code Http1xServerRequest}, {@link #path()} and
 * {@link #query()} are cut from it on first use, and a query's parameters go into the params multimap.
 */
public final class BenchServerRequest extends HttpServerRequestInternal {

  private static final HostAndPort AUTHORITY = HostAndPort.create("localhost", 8080);
  private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

  private HttpMethod method = HttpMethod.GET;
  private String uri = "/";
  private String path;
  private MultiMap params;

  /** Prepares the next request; {@code uri} is the path with an optional query. */
  public BenchServerRequest reset(HttpMethod method, String uri) {
    this.method = method;
    this.uri = uri;
    this.path = null;
    this.params = null;
    return this;
  }

  private static UnsupportedOperationException unused(String what) {
    return new UnsupportedOperationException(what + " is not available on the benchmark's fake request");
  }

  // ---- what Router matching uses

  @Override
  public HttpMethod method() {
    return method;
  }

  @Override
  public String path() {
    if (path == null) {
      int query = uri.indexOf('?');
      path = query < 0 ? uri : uri.substring(0, query);
    }
    return path;
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public String query() {
    int query = uri.indexOf('?');
    return query < 0 ? null : uri.substring(query + 1);
  }

  @Override
  public HttpVersion version() {
    return HttpVersion.HTTP_1_1;
  }

  @Override
  public HostAndPort authority() {
    return AUTHORITY;
  }

  @Override
  public HostAndPort authority(boolean real) {
    return AUTHORITY;
  }

  @Override
  public boolean isValidAuthority() {
    return true;
  }

  @Override
  public String scheme() {
    return "http";
  }

  @Override
  public MultiMap params(boolean semicolonIsNormalChar) {
    if (params == null) {
      params = path().length() == uri.length() // no query
          ? MultiMap.caseInsensitiveMultiMap()
          : HttpUtils.params(uri, StandardCharsets.UTF_8, semicolonIsNormalChar);
    }
    return params;
  }

  @Override
  public MultiMap headers() {
    return NO_HEADERS;
  }

  @Override
  public String getParamsCharset() {
    return "UTF-8";
  }

  @Override
  public HttpServerRequest setParamsCharset(String charset) {
    return this;
  }

  @Override
  public HttpServerRequest routed(String route) {
    return this;
  }

  @Override
  public String absoluteURI() {
    return "http://localhost:8080" + uri;
  }

  @Override
  public boolean isEnded() {
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  public Object metric() {
    return null;
  }

  // ---- stream plumbing: inert

  @Override
  public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public HttpServerRequest handler(Handler<Buffer> handler) {
    return this;
  }

  @Override
  public HttpServerRequest pause() {
    return this;
  }

  @Override
  public HttpServerRequest resume() {
    return this;
  }

  @Override
  public HttpServerRequest fetch(long amount) {
    return this;
  }

  @Override
  public HttpServerRequest endHandler(Handler<Void> endHandler) {
    return this;
  }

  // ---- not part of matching: fail loudly

  @Override
  public ContextInternal context() {
    throw unused("context()");
  }

  @Override
  public HttpServerResponse response() {
    throw unused("response() (a route without a catch-all would answer 404 here)");
  }

  @Override
  public Future<Buffer> body() {
    throw unused("body()");
  }

  @Override
  public Future<Void> end() {
    throw unused("end()");
  }

  @Override
  public Future<NetSocket> toNetSocket() {
    throw unused("toNetSocket()");
  }

  @Override
  public HttpServerRequest setExpectMultipart(boolean expect) {
    throw unused("setExpectMultipart()");
  }

  @Override
  public boolean isExpectMultipart() {
    return false;
  }

  @Override
  public HttpServerRequest uploadHandler(Handler<HttpServerFileUpload> uploadHandler) {
    throw unused("uploadHandler()");
  }

  @Override
  public MultiMap formAttributes() {
    throw unused("formAttributes()");
  }

  @Override
  public String getFormAttribute(String attributeName) {
    throw unused("getFormAttribute()");
  }

  @Override
  public Future<ServerWebSocket> toWebSocket() {
    throw unused("toWebSocket()");
  }

  @Override
  public HttpServerRequest customFrameHandler(Handler<HttpFrame> handler) {
    throw unused("customFrameHandler()");
  }

  @Override
  public HttpConnection connection() {
    throw unused("connection()");
  }

  @Override
  public HttpServerRequest streamPriorityHandler(Handler<StreamPriority> handler) {
    throw unused("streamPriorityHandler()");
  }

  @Override
  public DecoderResult decoderResult() {
    return DecoderResult.SUCCESS;
  }

  @Override
  public Cookie getCookie(String name) {
    throw unused("getCookie()");
  }

  @Override
  public Cookie getCookie(String name, String domain, String path) {
    throw unused("getCookie()");
  }

  @Override
  public Set<Cookie> cookies(String name) {
    throw unused("cookies()");
  }

  @Override
  public Set<Cookie> cookies() {
    throw unused("cookies()");
  }
}
