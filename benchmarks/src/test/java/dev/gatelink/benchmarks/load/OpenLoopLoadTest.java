package dev.gatelink.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks that {@link OpenLoopLoad} reports what it should against a {@link HelloBackend} that answers after a
 * known delay: the delay itself when the backend keeps up, and the queueing a closed-loop tool would omit
 * when it does not.
 */
class OpenLoopLoadTest {
  private static final Duration DELAY = Duration.ofMillis(20);

  private Vertx backendVertx;
  private Vertx loadVertx;
  private int port;

  @BeforeEach
  void startBackend() throws Exception {
    backendVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    loadVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    port = HelloBackend.start(backendVertx, "127.0.0.1", 0, 1, DELAY).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    loadVertx.close().await(10, TimeUnit.SECONDS);
    backendVertx.close().await(10, TimeUnit.SECONDS);
  }

  private OpenLoopLoad.Result run(int connections, int rate, int warmupSeconds, int durationSeconds)
      throws Exception {
    OpenLoopLoad.Settings settings = new OpenLoopLoad.Settings("127.0.0.1", port, "/any/path", connections, rate,
        Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds));
    return OpenLoopLoad.run(loadVertx, settings)
        .await(settings.hardStop().toSeconds() + 5, TimeUnit.SECONDS);
  }

  @Test
  void reportsTheBackendsDelayWhenTheBackendKeepsUp() throws Exception {
    // 100 req/s with 20 ms each needs 2 connections on average; 8 leave room.
    OpenLoopLoad.Result result = run(8, 100, 1, 2);

    assertThat(result.count()).isEqualTo(200);
    assertThat(result.errors()).isZero();
    assertThat(result.non200()).isZero();
    assertThat(result.incomplete()).isZero();
    assertThat(result.achievedRps()).isBetween(90.0, 110.0);
    double delayMicros = DELAY.toNanos() / 1000.0;
    // Never less than the delay; above it by the loopback round trip and timer slack, with room for a
    // busy machine.
    assertThat(result.p50()).isBetween(delayMicros, delayMicros + 20_000);
    assertThat(result.max()).isGreaterThanOrEqualTo(result.p99());
    assertThat(result.toJson()).contains("\"count\":200,\"errors\":0,\"non_200\":0,\"incomplete\":0");
  }

  @Test
  void countsTheTimeRequestsWaitWhenTheBackendFallsBehind() throws Exception {
    // One connection serves at most 1 / 20 ms = 50 req/s; 100 req/s for 2 s queues up 100 requests more than
    // it can serve in that time. The last of the 200 completes at about 4 s, 2 s after its intended time, and
    // the median waits about 1 s. A closed-loop tool would report about 20 ms for every request.
    OpenLoopLoad.Result result = run(1, 100, 0, 2);

    assertThat(result.count()).isEqualTo(200);
    assertThat(result.errors()).isZero();
    assertThat(result.incomplete()).isZero();
    assertThat(result.achievedRps()).isLessThanOrEqualTo(50.0);
    assertThat(result.p50()).isGreaterThan(500_000.0);
    assertThat(result.max()).isGreaterThan(1_900_000.0);
  }
}
