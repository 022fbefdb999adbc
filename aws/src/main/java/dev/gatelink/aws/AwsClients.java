package dev.gatelink.aws;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * AWS clients shared by everything that needs the same one: one client per (Vert.x instance, service, region,
 * endpoint, credentials, role), on {@link VertxSdkHttpClient}, with an STS client behind it when a role is
 * assumed, closed when the last {@link Lease} on it closes. A configuration reload starts its new targets before
 * closing the old ones, so the clients stay open across it.
 *
 * <p>Every client Gatelink builds bounds each attempt and each call ({@link AwsOptions#attemptTimeout()},
 * {@link AwsOptions#callTimeout()}) and turns host-prefix injection off when the endpoint is overridden.
 */
public final class AwsClients {
  private static final Map<Key, Shared> CLIENTS = new HashMap<>();

  private AwsClients() {}

  /** What makes two clients interchangeable. */
  private record Key(Vertx vertx, String service, AwsOptions options) {}

  /** A client, what closes with it, and how many leases hold it. */
  private static final class Shared {
    final SdkClient client;
    final List<AutoCloseable> owned;
    int leases;

    Shared(SdkClient client, List<AutoCloseable> owned) {
      this.client = client;
      this.owned = owned;
    }
  }

  /**
   * A hold on a shared client: use {@link #client()}, start calls with {@link #call}, and close the lease when
   * done (the client closes with its last lease).
   *
   * @param <C> the client's type
   */
  public static final class Lease<C extends SdkClient> implements AutoCloseable {
    private final @Nullable Key key;
    private final C client;
    private final Executor calls;
    private boolean closed;

    /** A lease on a shared client (with its key), or on the caller's own (key null). */
    private Lease(@Nullable Key key, C client, Vertx vertx) {
      this.key = key;
      this.client = client;
      this.calls = task -> vertx.executeBlocking(() -> {
        task.run();
        return null;
      }, false);
    }

    /** {@return the client} */
    public C client() {
      return client;
    }

    /**
     * Starts a call on a worker thread: the SDK resolves credentials on the calling thread, and a credentials
     * provider may block (STS, the instance metadata service), so calls never start on an event loop.
     *
     * @param start starts the call, such as {@code () -> client.describeListeners(...)}
     * @param <T> the response
     * @return the response's future
     */
    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> start) {
      return CompletableFuture.supplyAsync(start, calls).thenCompose(Function.identity());
    }

    /** {@return the executor calls start on: a Vert.x worker} */
    public Executor calls() {
      return calls;
    }

    /** Releases the hold; the last one closes the client (and its STS client). Closing twice does nothing. */
    @Override
    public void close() throws Exception {
      Key shared;
      synchronized (CLIENTS) {
        if (closed || key == null) {
          return;
        }
        closed = true;
        shared = key;
      }
      release(shared);
    }
  }

  /**
   * A hold on the client of a service for these options: the shared one if there is one, else one built now.
   *
   * @param vertx the Vert.x instance whose event loops carry the calls
   * @param options region, endpoint, credentials and role
   * @param service the service's name, for sharing and messages, such as {@code ELBv2}
   * @param builder makes a new builder of the service's asynchronous client, such as
   *     {@code ElasticLoadBalancingV2AsyncClient::builder}
   * @param <B> the builder's type
   * @param <C> the client's type
   * @return the lease
   * @throws IllegalArgumentException if the SDK cannot build a client (no region, say), saying what to set
   */
  public static <B extends AwsAsyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C extends SdkClient> Lease<C>
      acquire(Vertx vertx, AwsOptions options, String service, Supplier<B> builder) {
    Key key = new Key(Objects.requireNonNull(vertx, "vertx"), service, Objects.requireNonNull(options, "options"));
    Shared shared;
    synchronized (CLIENTS) {
      shared = CLIENTS.get(key);
      if (shared == null) {
        shared = build(key, builder);
        CLIENTS.put(key, shared);
      }
      shared.leases++;
    }
    @SuppressWarnings("unchecked")
    C client = (C) shared.client;
    return new Lease<>(key, client, vertx);
  }

  /** {@return how many clients are open now: for tests} */
  static int openClients() {
    synchronized (CLIENTS) {
      return CLIENTS.size();
    }
  }

  private static void release(Key key) throws Exception {
    Shared shared;
    synchronized (CLIENTS) {
      shared = CLIENTS.get(key);
      if (shared == null || --shared.leases > 0) {
        return;
      }
      CLIENTS.remove(key);
    }
    closeAll(shared.owned);
  }

  /** Closes each, whatever the others do; the first failure is thrown with the later ones suppressed. */
  private static void closeAll(List<AutoCloseable> owned) throws Exception {
    Exception failure = null;
    for (AutoCloseable each : owned) {
      try {
        each.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static <B extends AwsAsyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C extends SdkClient> Shared
      build(Key key, Supplier<B> builder) {
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      return build(key, builder.get(), owned);
    } catch (SdkException e) {
      try {
        closeAll(owned);
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw new IllegalArgumentException(key.options().region() == null
          ? "there is no region to call " + key.service() + " in: expected a region in the integration's or the "
              + "provider's AWS options, or from the AWS SDK's chain (AWS_REGION); the SDK said: " + e.getMessage()
          : "the AWS SDK cannot build a " + key.service() + " client: " + e.getMessage(), e);
    }
  }

  private static <B extends AwsAsyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C extends SdkClient> Shared
      build(Key key, B client, List<AutoCloseable> owned) {
    AwsOptions options = key.options();
    Consumer<ClientOverrideConfiguration.Builder> configuration = c -> {
      c.apiCallAttemptTimeout(options.attemptTimeout()).apiCallTimeout(options.callTimeout());
      if (options.clientConfiguration() != null) {
        options.clientConfiguration().accept(c);
      }
    };
    AwsCredentialsProvider credentials = options.credentials();
    if (options.roleArn() != null) {
      credentials = assumeRole(options, configuration, owned);
    }
    client.httpClient(new VertxSdkHttpClient(key.vertx(), new HttpClientOptions().setKeepAlive(true)));
    if (options.region() != null) {
      client.region(Region.of(options.region()));
    }
    if (credentials != null) {
      client.credentialsProvider(credentials);
    }
    if (options.endpoint() != null) {
      client.endpointOverride(options.endpoint());
    }
    // Host-prefix injection off with an endpoint override: Cloud Map's DiscoverInstances would go to data-HOST.
    client.overrideConfiguration(c -> {
      configuration.accept(c);
      if (options.endpoint() != null) {
        c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true);
      }
    });
    C built = client.build();
    owned.add(0, built);
    return new Shared(built, owned);
  }

  /** Credentials of the role, refreshed in the background before they expire; the STS client joins what is owned. */
  private static AwsCredentialsProvider assumeRole(AwsOptions options,
      Consumer<ClientOverrideConfiguration.Builder> configuration, List<AutoCloseable> owned) {
    StsClientBuilder sts = StsClient.builder()
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(10)).build())
        .overrideConfiguration(configuration);
    if (options.region() != null) {
      sts.region(Region.of(options.region()));
    }
    if (options.stsEndpoint() != null) {
      sts.endpointOverride(options.stsEndpoint());
    }
    if (options.credentials() != null) {
      sts.credentialsProvider(options.credentials());
    }
    StsClient stsClient = sts.build();
    owned.add(stsClient);
    StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
        .stsClient(stsClient)
        .asyncCredentialUpdateEnabled(true)
        .refreshRequest(request -> request.roleArn(options.roleArn()).roleSessionName(options.roleSessionName())
            .externalId(options.externalId()))
        .build();
    owned.add(0, assumed);
    return assumed;
  }

  /**
   * {@return a lease on a client the caller built and owns: shared by nothing, never closed by the lease}
   *
   * @param vertx the Vert.x instance whose workers start the calls
   * @param client the caller's client
   * @param <C> the client's type
   */
  public static <C extends SdkClient> Lease<C> borrowed(Vertx vertx, C client) {
    return new Lease<>(null, client, vertx);
  }
}
