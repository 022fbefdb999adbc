package dev.gatelink.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The counting proxy forwards AWS JSON-protocol calls unchanged, passes the target's answer back unchanged,
 * counts each call by its operation, and answers its record on {@code GET /counts}.
 */
class AwsCallCounterTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void forwardsUnchangedAndCountsEachOperation() throws Exception {
    // A target that echoes what it got, with a status and a header of its own.
    int target = vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> request.response()
            .setStatusCode(body.length() == 0 ? 400 : 200)
            .putHeader("x-echo-target", String.valueOf(request.getHeader("X-Amz-Target")))
            .putHeader("x-echo-auth", String.valueOf(request.getHeader("Authorization")))
            .end(request.method() + " " + request.uri() + " " + body)))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    AwsCallCounter.Started counter = AwsCallCounter.start(vertx, "127.0.0.1", 0, "127.0.0.1", target)
        .await(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();

    String[] ops = {"DiscoverInstances", "DiscoverInstancesRevision", "DiscoverInstancesRevision"};
    for (String op : ops) {
      String answer = client.request(new RequestOptions().setMethod(HttpMethod.POST).setPort(counter.port())
              .setHost("127.0.0.1").setURI("/")
              .putHeader("X-Amz-Target", "Route53AutoNaming_v20170314." + op)
              .putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=x"))
          .compose(request -> request.send(Buffer.buffer("{\"ServiceName\":\"svc\"}"))
              .compose(response -> response.body().map(body -> response.statusCode() + " "
                  + response.getHeader("x-echo-target") + " " + response.getHeader("x-echo-auth") + " " + body)))
          .await(10, TimeUnit.SECONDS);
      assertThat(answer).isEqualTo("200 Route53AutoNaming_v20170314." + op
          + " AWS4-HMAC-SHA256 Credential=x POST / {\"ServiceName\":\"svc\"}");
    }
    // The target's error status comes back as it is, and is recorded.
    int status = client.request(new RequestOptions().setMethod(HttpMethod.POST).setPort(counter.port())
            .setHost("127.0.0.1").setURI("/").putHeader("X-Amz-Target", "Route53AutoNaming_v20170314.GetService"))
        .compose(request -> request.send().compose(response -> response.body().map(body -> response.statusCode())))
        .await(10, TimeUnit.SECONDS);
    assertThat(status).isEqualTo(400);

    assertThat(counter.counter().counts()).isEqualTo(
        Map.of("DiscoverInstances", 1, "DiscoverInstancesRevision", 2, "GetService", 1));
    JsonObject record = client.request(HttpMethod.GET, counter.port(), "127.0.0.1", AwsCallCounter.COUNTS_PATH)
        .compose(request -> request.send().compose(response -> response.body()))
        .map(Buffer::toJsonObject)
        .await(10, TimeUnit.SECONDS);
    assertThat(record.getJsonObject("counts").getMap()).containsEntry("DiscoverInstancesRevision", 2);
    assertThat(record.getJsonArray("calls")).hasSize(4);
    JsonObject last = record.getJsonArray("calls").getJsonObject(3);
    assertThat(last.getString("op")).isEqualTo("GetService");
    assertThat(last.getInteger("status")).isEqualTo(400);
    assertThat(last.getLong("at_ms")).isPositive();
  }
}
