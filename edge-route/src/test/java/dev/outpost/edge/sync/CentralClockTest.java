package dev.outpost.edge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class CentralClockTest {
  private final CentralClock clock = new CentralClock(Duration.ofMinutes(1));

  @Test
  void beforeAnySampleTheTerminalsOwnClockIsUsedAndNoSkewIsClaimed() {
    assertThat(clock.centralNow()).isEmpty();
    assertThat(Duration.between(Instant.now(), clock.now()).abs())
        .isLessThan(Duration.ofSeconds(1));
    ObjectNode status = Contracts.mapper().createObjectNode();
    ArrayNode alerts = status.putArray("alerts");
    clock.contribute(status, alerts, Instant.now());
    assertThat(status.path("clock").path("offsetSeconds").isNull()).isTrue();
    assertThat(alerts).isEmpty();
  }

  @Test
  void aTerminalThreeDaysBehindJudgesByCentralsClockAndRaisesClockSkew() {
    Instant central = Instant.now().plus(Duration.ofDays(3));
    clock.stampedBeforeNow(central);
    assertThat(clock.offset().orElseThrow().toSeconds())
        .isCloseTo(Duration.ofDays(3).toSeconds(), within(2L));
    assertThat(Duration.between(central, clock.now()).abs()).isLessThan(Duration.ofSeconds(1));
    ObjectNode status = Contracts.mapper().createObjectNode();
    ArrayNode alerts = status.putArray("alerts");
    clock.contribute(status, alerts, Instant.now());
    assertThat(alerts.toString()).contains("CLOCK_SKEW");
    assertThat(status.path("clock").path("offsetSeconds").asLong())
        .isCloseTo(Duration.ofDays(3).toSeconds(), within(2L));
  }

  @Test
  void aReceiptThatWaitedInAQueueDoesNotPullTheEstimateBack() {
    Instant now = Instant.now();
    clock.stampedBeforeNow(now.minus(Duration.ofHours(2))); // queued while the link was down
    clock.stampedBeforeNow(now);
    clock.stampedBeforeNow(now.minus(Duration.ofMinutes(30)));
    assertThat(clock.offset().orElseThrow().abs()).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void anHttpDateInWholeSecondsIsReadAsTheMiddleOfItsSecondAndASlowAnswerIsIgnored() {
    Instant ahead = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
    clock.answeredWithDate(ahead, System.nanoTime() - Duration.ofSeconds(5).toNanos());
    assertThat(clock.centralNow()).as("an answer after 5 s is not a measurement").isEmpty();
    clock.answeredWithDate(ahead, System.nanoTime());
    assertThat(Duration.between(ahead, clock.now()).toMillis()).isBetween(0L, 1_500L);
    ObjectNode status = Contracts.mapper().createObjectNode();
    ArrayNode alerts = status.putArray("alerts");
    clock.contribute(status, alerts, Instant.now());
    assertThat(alerts.toString()).contains("CLOCK_SKEW");
  }
}
