package dev.outpost.central.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.CentralTestEnv;
import dev.outpost.contracts.Destinations;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Per-lane order at central that holds whatever order the broker hands messages out in (see {@link
 * LaneOrder}): on real PostgreSQL and Artemis, messages are sent as a terminal's bridge does, but
 * with a lane's operations overtaking each other on the queue, which is what a central consumer
 * dying with messages in hand does to them. Each test uses its own lane.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LaneOrderTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("lane-order");
  static final String TILL = "lane-till";
  static final AtomicLong SEQUENCE = new AtomicLong(1000);

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
  }

  @Autowired JdbcTemplate jdbc;
  @Autowired MeterRegistry meters;

  private double counter(String name) {
    return meters.counter(name).count();
  }

  @BeforeEach
  void enrolled() throws Exception {
    ENV.enrolled(TILL);
  }

  @Test
  void anOperationOvertakingItsLanePredecessorWaitsForIt() throws Exception {
    String lane = TILL + ":critical-" + UUID.randomUUID();
    long first = SEQUENCE.addAndGet(10);
    long second = first + 3; // another lane took the sequences between them
    ObjectNode a = sale(first);
    ObjectNode b = sale(second);

    double holds = counter("outpost.central.ingest.lane.holds");
    send(lane, b, first);
    // Held on the queue, not applied and not dead-lettered, for as long as its predecessor is out.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !applied(b));
    assertThat(counter("outpost.central.ingest.lane.holds")).isGreaterThan(holds);

    send(lane, a, 0);
    await().atMost(Duration.ofSeconds(20)).until(() -> applied(a) && applied(b));
    assertThat(arrival(a)).isLessThan(arrival(b));
    assertThat(
            jdbc.queryForObject(
                "select sequence from lane_heads where terminal_id = ? and lane_group = ?",
                Long.class,
                TILL,
                lane))
        .isEqualTo(second);
  }

  @Test
  void aRejectedPredecessorDoesNotHoldItsLane() throws Exception {
    String lane = TILL + ":normal-" + UUID.randomUUID();
    long first = SEQUENCE.addAndGet(10);
    ObjectNode refused = sale(first);
    refused.put("type", "sale.voided.nonsense");
    ObjectNode next = sale(first + 1);

    send(lane, refused, 0);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Long.valueOf(first)
                    .equals(
                        jdbc
                            .query(
                                "select sequence from lane_heads where terminal_id = ? and"
                                    + " lane_group = ?",
                                (rs, i) -> rs.getLong(1),
                                TILL,
                                lane)
                            .stream()
                            .findFirst()
                            .orElse(null)));
    double holds = counter("outpost.central.ingest.lane.holds");
    send(lane, next, first);
    await().atMost(Duration.ofSeconds(20)).until(() -> applied(next));
    // Not held: applied the first time it was taken.
    assertThat(counter("outpost.central.ingest.lane.holds")).isEqualTo(holds);
  }

  @Test
  void aPredecessorThatNeverComesDelaysItsLaneButDoesNotStopIt() throws Exception {
    String lane = TILL + ":bulk-" + UUID.randomUUID();
    long missing = SEQUENCE.addAndGet(10);
    ObjectNode orphan = sale(missing + 1);

    double breaks = counter("outpost.central.ingest.lane.breaks");
    send(lane, orphan, missing);
    // Applied after lane-hold-deliveries (10) deliveries, about 5 s, with an error in the log.
    await().atMost(Duration.ofSeconds(40)).until(() -> applied(orphan));
    assertThat(counter("outpost.central.ingest.lane.breaks")).isEqualTo(breaks + 1);
  }

  private static ObjectNode sale(long sequence) {
    return CentralTestEnv.envelope("sale.recorded.json", TILL, sequence);
  }

  /** As the terminal's bridge sends it: the terminal's group and lane headers. */
  private static void send(String group, ObjectNode op, long previous) throws Exception {
    ENV.sendAsBridge(
        TILL,
        (session, producer) -> {
          ClientMessage m = CentralTestEnv.asBridgeSends(session, TILL, Message.TEXT_TYPE);
          m.getBodyBuffer().writeNullableSimpleString(SimpleString.of(op.toString()));
          m.putStringProperty(Message.HDR_GROUP_ID, SimpleString.of(group));
          m.putStringProperty(Destinations.HDR_SEQUENCE, op.get("sequence").asText());
          m.putStringProperty(Destinations.HDR_LANE_PREVIOUS, Long.toString(previous));
          producer.send(m);
        });
  }

  private boolean applied(ObjectNode op) {
    return !arrivals(op).isEmpty();
  }

  private long arrival(ObjectNode op) {
    return arrivals(op).get(0);
  }

  private List<Long> arrivals(ObjectNode op) {
    return jdbc.query(
        "select arrival_no from operations where operation_id = ?::uuid",
        (rs, i) -> rs.getLong(1),
        op.get("operationId").asText());
  }
}
