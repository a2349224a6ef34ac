package dev.outpost.edge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.edge.support.EdgeTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code GET /api/v1/sync/status/stream} on a real terminal (Derby, Artemis; central unreachable):
 * the status document as events, a change sent without being asked, the cap on open streams (503
 * problem+json with Retry-After, the slot free again once a page goes away), a stream outliving the
 * container's async timeout, and the streams ending at once when the application closes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SyncStatusStreamTest extends EdgeTestSupport {
  static final String TERMINAL = "till-stream";
  static final Path DATA = tempDataDir("status-stream");
  static final Duration WAIT = Duration.ofSeconds(10);

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("outpost.terminal-id", () -> TERMINAL);
    r.add("outpost.data-dir", DATA::toString);
    r.add("outpost.broker.in-vm-id", () -> "41");
    r.add("outpost.central.broker-url", () -> "tcp://127.0.0.1:" + freePort());
    r.add("outpost.central.http-url", () -> "http://127.0.0.1:" + freePort());
    r.add("outpost.operator.streams-max", () -> "2");
    r.add("outpost.operator.stream-heartbeat", () -> "1s");
    r.add("spring.jmx.unique-names", () -> "true");
    // The servlet container's async timeout, short here: a stream must outlive it.
    r.add("spring.mvc.async.request-timeout", () -> "3s");
  }

  @Autowired SyncStatusStream streams;

  /** The pool Camel's platform-http runs every request's route on (threads "task-N"). */
  @Autowired
  @Qualifier("applicationTaskExecutor") ThreadPoolTaskExecutor httpWorkers;

  @Test
  @Order(1)
  void theHttpWorkerPoolHasRoomForTheStreams() {
    // Spring Boot's 8, plus one per stream allowed (2 here).
    assertThat(httpWorkers.getCorePoolSize()).isEqualTo(8 + 2);
  }

  // One method, the last: it closes the streams for good.
  @Test
  @Order(2)
  void streamsTheStatusCapsTheStreamsAndEndsThemOnClose() throws Exception {
    String path = "/api/v1/sync/status/stream";
    long openedAt = System.nanoTime();
    try (StatusStreamClient first = StatusStreamClient.open(HTTP, uri(path))) {
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("Content-Type")).startsWith(SyncStatusStream.MEDIA_TYPE);
      String opened = first.next(WAIT);
      assertThat(opened).as("the first event, at once").isNotNull();
      API.check("GET", uri(path), 200, first.header("Content-Type"), opened);
      // The same document as GET /api/v1/sync/status.
      JsonNode doc = json(opened);
      API.check("GET", uri("/api/v1/sync/status"), 200, "application/json", opened);
      assertThat(doc.path("terminalId").asText()).isEqualTo(TERMINAL);
      long pending = doc.path("pending").asLong();

      // A change is pushed without a new request.
      assertThat(post(freshValid("sale.recorded.json").toString()).statusCode()).isEqualTo(202);
      await()
          .atMost(WAIT)
          .until(
              () -> {
                String e = first.next(Duration.ofSeconds(2));
                return e != null
                    && !e.equals(StatusStreamClient.HEARTBEAT)
                    && json(e).path("pending").asLong() == pending + 1;
              });

      // Two streams are the cap here; the third is refused like the rest of the API refuses.
      try (StatusStreamClient second = StatusStreamClient.open(HTTP, uri(path));
          StatusStreamClient third = StatusStreamClient.open(HTTP, uri(path))) {
        assertThat(second.status()).isEqualTo(200);
        assertThat(third.status()).isEqualTo(503);
        assertThat(third.header("Retry-After")).isEqualTo("10");
        assertThat(third.endedWithin(WAIT)).isTrue();
        API.check("GET", uri(path), 503, third.header("Content-Type"), third.raw());
        assertThat(json(third.raw()).path("type").asText()).endsWith("/too-many-streams");
        assertThat(streams.open()).isEqualTo(2);
      }
      // The page that went away frees its slot (found at the next write: a heartbeat at most).
      await().atMost(WAIT).until(() -> streams.open() == 1);
      try (StatusStreamClient again = StatusStreamClient.open(HTTP, uri(path))) {
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.next(WAIT)).isNotNull();
      }

      // Nothing changes for a while: heartbeats keep the stream alive, past the async timeout.
      await()
          .atMost(WAIT)
          .until(() -> Duration.ofNanos(System.nanoTime() - openedAt).toSeconds() >= 5);
      await()
          .atMost(WAIT)
          .until(() -> StatusStreamClient.HEARTBEAT.equals(first.next(Duration.ofSeconds(2))));

      await().atMost(WAIT).until(() -> streams.open() == 1);
      assertThat(first.endedWithin(Duration.ZERO)).as("still open").isFalse();

      // Closing (the application's ContextClosedEvent) ends the open stream at once, and no new
      // one starts (SyncStatusStreamShutdownTest closes a whole application).
      long start = System.nanoTime();
      streams.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(first.endedWithin(Duration.ofSeconds(3))).isTrue();
      assertThat(streams.open()).isZero();
      try (StatusStreamClient late = StatusStreamClient.open(HTTP, uri(path))) {
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.endedWithin(WAIT)).isTrue();
        assertThat(json(late.raw()).path("type").asText()).endsWith("/shutting-down");
      }
    }
  }
}
