package dev.gatelink.gateway;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import dev.gatelink.target.Target;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A provider found through {@code META-INF/services} in the test classpath. It claims {@code recording://NAME}
 * uris; NAME is looked up in {@link #endpoints}. Its targets never answer {@code selectNow()}, so the gateway
 * takes the asynchronous path, and they record every outcome reported to them and every lifecycle call.
 */
public final class RecordingTargetProvider implements TargetProvider {
  static final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  static final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public String accepts() {
    return "recording://NAME test uris";
  }

  @Override
  public @Nullable Target create(TargetSpec spec, TargetContext context) {
    if (!spec.uri().startsWith("recording://")) {
      return null;
    }
    String name = spec.uri().substring("recording://".length());
    if (name.isEmpty()) {
      throw new IllegalArgumentException("recording uri has no name: expected recording://NAME");
    }
    return new Target() {
      @Override
      public Future<Void> start() {
        events.add("start " + name);
        return Future.succeededFuture();
      }

      @Override
      public @Nullable Endpoint selectNow() {
        return null;
      }

      @Override
      public Future<Endpoint> select() {
        Endpoint endpoint = endpoints.get(name);
        return endpoint == null
            ? Future.failedFuture("no endpoint for " + name)
            : Future.succeededFuture(endpoint);
      }

      @Override
      public void report(Endpoint endpoint, Outcome outcome) {
        events.add(name + " " + endpoint.port() + " " + outcome);
      }

      @Override
      public dev.gatelink.target.TlsPolicy tls() {
        return dev.gatelink.target.TlsPolicy.none();
      }

      @Override
      public Future<Void> close() {
        events.add("close " + name);
        return Future.succeededFuture();
      }
    };
  }
}
