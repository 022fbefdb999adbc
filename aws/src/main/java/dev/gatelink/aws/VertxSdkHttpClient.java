package dev.gatelink.aws;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * The AWS SDK's asynchronous HTTP client on Vert.x's {@code HttpClient}: AWS calls share the application's
 * event loops and its one Netty, instead of the SDK's Netty client, which would bring a second Netty.
 *
 * <p>Request bodies are read from the SDK's publisher one buffer at a time, each written when the previous
 * one is accepted; response bodies are handed to the SDK's subscriber as it asks for them (Vert.x's
 * {@code fetch}), so neither side is buffered whole. The future completes when the response body has
 * ended, or fails with the connection's or the subscriber's error.
 */
public final class VertxSdkHttpClient implements SdkAsyncHttpClient {
  /** How long a call may go without receiving anything before it fails. */
  static final long IDLE_TIMEOUT_MILLIS = 10_000;

  private final Vertx vertx;
  private final HttpClientAgent client;

  /**
   * A client on a Vert.x instance's event loops.
   *
   * @param vertx the Vert.x instance
   * @param options the options of the Vert.x HTTP client underneath (keep-alive, pool size, TLS trust)
   */
  public VertxSdkHttpClient(Vertx vertx, HttpClientOptions options) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(options);
  }

  @Override
  public CompletableFuture<Void> execute(AsyncExecuteRequest execution) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    SdkHttpRequest request = execution.request();
    SdkAsyncHttpResponseHandler handler = execution.responseHandler();
    String uri = request.encodedPath().isEmpty() ? "/" : request.encodedPath();
    String query = request.encodedQueryParameters().orElse(null);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(request.method().name()))
        .setHost(request.host())
        .setPort(request.port())
        .setSsl("https".equalsIgnoreCase(request.protocol()))
        // No AWS call may wait forever: nothing received for this long fails the call (the SDK then retries).
        .setIdleTimeout(IDLE_TIMEOUT_MILLIS)
        .setURI(query == null ? uri : uri + "?" + query);
    request.forEachHeader((name, values) -> values.forEach(value -> options.addHeader(name, value)));
    client.request(options).onComplete(created -> {
      if (created.failed()) {
        fail(handler, done, created.cause());
        return;
      }
      HttpClientRequest outgoing = created.result();
      Context context = vertx.getOrCreateContext();
      outgoing.response().onComplete(answered -> {
        if (answered.failed()) {
          fail(handler, done, answered.cause());
          return;
        }
        HttpClientResponse response = answered.result();
        response.pause();
        SdkHttpFullResponse.Builder head = SdkHttpFullResponse.builder()
            .statusCode(response.statusCode())
            .statusText(response.statusMessage());
        response.headers().forEach(header -> head.appendHeader(header.getKey(), header.getValue()));
        handler.onHeaders(head.build());
        handler.onStream(new ResponseBody(response, context, done));
      });
      boolean declaredLength = request.firstMatchingHeader("Content-Length").isPresent();
      // Without a Content-Length, a body of unknown or non-zero length is sent chunked.
      outgoing.setChunked(!declaredLength
          && execution.requestContentPublisher().contentLength().map(length -> length > 0).orElse(true));
      execution.requestContentPublisher().subscribe(new RequestBody(outgoing, context, done, handler));
    });
    return done;
  }

  @Override
  public String clientName() {
    return "VertxHttpClient";
  }

  @Override
  public void close() {
    client.close();
  }

  private static void fail(SdkAsyncHttpResponseHandler handler, CompletableFuture<Void> done, Throwable cause) {
    if (done.completeExceptionally(cause)) {
      handler.onError(cause);
    }
  }

  /** Writes the SDK's request body to Vert.x, asking for the next buffer once the write queue has room. */
  private static final class RequestBody implements Subscriber<ByteBuffer> {
    private final HttpClientRequest outgoing;
    private final Context context;
    private final CompletableFuture<Void> done;
    private final SdkAsyncHttpResponseHandler handler;
    private Subscription subscription;

    RequestBody(HttpClientRequest outgoing, Context context, CompletableFuture<Void> done,
        SdkAsyncHttpResponseHandler handler) {
      this.outgoing = outgoing;
      this.context = context;
      this.done = done;
      this.handler = handler;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(ByteBuffer bytes) {
      Buffer data = Buffer.buffer(toArray(bytes));
      context.runOnContext(v -> {
        outgoing.write(data);
        if (outgoing.writeQueueFull()) {
          outgoing.drainHandler(drained -> subscription.request(1));
        } else {
          subscription.request(1);
        }
      });
    }

    @Override
    public void onError(Throwable failure) {
      context.runOnContext(v -> {
        outgoing.reset(0, failure);
        fail(handler, done, failure);
      });
    }

    @Override
    public void onComplete() {
      context.runOnContext(v -> outgoing.end());
    }

    private static byte[] toArray(ByteBuffer bytes) {
      byte[] array = new byte[bytes.remaining()];
      bytes.get(array);
      return array;
    }
  }

  /** The response body as a publisher: one subscriber, fed as it asks, on the response's event loop. */
  private static final class ResponseBody implements Publisher<ByteBuffer> {
    private final HttpClientResponse response;
    private final Context context;
    private final CompletableFuture<Void> done;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    ResponseBody(HttpClientResponse response, Context context, CompletableFuture<Void> done) {
      this.response = response;
      this.context = context;
      this.done = done;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
      if (!subscribed.compareAndSet(false, true)) {
        subscriber.onSubscribe(new Subscription() {
          @Override
          public void request(long n) { }

          @Override
          public void cancel() { }
        });
        subscriber.onError(new IllegalStateException("the response body has one subscriber only"));
        return;
      }
      AtomicBoolean cancelled = new AtomicBoolean();
      context.runOnContext(v -> {
        response.handler(data -> subscriber.onNext(ByteBuffer.wrap(data.getBytes())));
        response.exceptionHandler(failure -> {
          if (done.completeExceptionally(failure)) {
            subscriber.onError(failure);
          }
        });
        response.endHandler(end -> {
          if (done.complete(null)) {
            subscriber.onComplete();
          }
        });
        subscriber.onSubscribe(new Subscription() {
          @Override
          public void request(long n) {
            if (n <= 0) {
              context.runOnContext(x -> {
                IllegalArgumentException rule = new IllegalArgumentException("request(" + n + "): expected n > 0 (§3.9)");
                if (done.completeExceptionally(rule)) {
                  subscriber.onError(rule);
                }
              });
              return;
            }
            context.runOnContext(x -> {
              if (!cancelled.get()) {
                response.fetch(n);
              }
            });
          }

          @Override
          public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
              context.runOnContext(x -> {
                response.handler(null);
                response.request().reset();
                done.complete(null);
              });
            }
          }
        });
      });
    }
  }
}
