package dev.gatelink.alb.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/** A request for tests: plain fields, headers as a list of lines. */
final class TestRequest implements RuleRequest {
  String method = "GET";
  @Nullable String host = "example.com";
  String path = "/";
  @Nullable String query;
  final List<Map.Entry<String, String>> headers = new ArrayList<>();
  @Nullable String sourceAddress = "192.0.2.10";
  boolean secure;
  int port = 80;

  static TestRequest get(String path) {
    TestRequest request = new TestRequest();
    int question = path.indexOf('?');
    if (question >= 0) {
      request.path = path.substring(0, question);
      request.query = path.substring(question + 1);
    } else {
      request.path = path;
    }
    return request;
  }

  TestRequest method(String method) {
    this.method = method;
    return this;
  }

  TestRequest host(@Nullable String host) {
    this.host = host;
    return this;
  }

  TestRequest header(String name, String value) {
    headers.add(Map.entry(name, value));
    return this;
  }

  TestRequest from(@Nullable String sourceAddress) {
    this.sourceAddress = sourceAddress;
    return this;
  }

  TestRequest https(int port) {
    this.secure = true;
    this.port = port;
    return this;
  }

  TestRequest http(int port) {
    this.secure = false;
    this.port = port;
    return this;
  }

  @Override
  public CharSequence method() {
    return method;
  }

  @Override
  public @Nullable CharSequence host() {
    return host;
  }

  @Override
  public CharSequence path() {
    return path;
  }

  @Override
  public @Nullable CharSequence query() {
    return query;
  }

  @Override
  public <T> boolean anyHeaderValue(CharSequence name, T target, BiPredicate<? super T, ? super CharSequence> test) {
    // Indexed, and name is the engine's own String: no iterator and no copy, for AllocationTest.
    for (int i = 0; i < headers.size(); i++) {
      Map.Entry<String, String> header = headers.get(i);
      if (header.getKey().equalsIgnoreCase(name.toString()) && test.test(target, header.getValue())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public @Nullable CharSequence sourceAddress() {
    return sourceAddress;
  }

  @Override
  public boolean secure() {
    return secure;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String toString() {
    return method + " " + (secure ? "https" : "http") + ":" + port + " host=" + host + " " + path
        + (query == null ? "" : "?" + query) + " headers=" + headers + " from=" + sourceAddress;
  }
}
