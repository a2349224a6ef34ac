package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.contracts.Destinations;
import dev.outpost.system.harness.AppProcess;
import dev.outpost.system.harness.Broker;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.Db;
import dev.outpost.system.harness.Ports;
import dev.outpost.system.harness.PostgresFixture;
import dev.outpost.system.harness.TestPaths;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two central-route processes share one broker and one PostgreSQL; five terminals (their bridges
 * played by core producers, each to its own address, grouped by terminal as the edge does) send
 * 20,000 mixed operations; one replica is killed with kill -9 mid-run. Every operation must be
 * applied exactly once, each terminal's operations in sequence order, and the conflicts table must
 * hold exactly the conflicts the test created.
 */
class ReplicasIT {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicasIT.class);
  private static final int TERMINALS = 5;
  private static final int PER_TERMINAL = 4_000;
  private static final int CONFLICT_RECORDS = 10;
  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

  private static PostgresFixture pg;
  private static Central primary;
  private static AppProcess replica;

  private final long[] nextSequence = new long[TERMINALS];
  private final Map<String, Long> lastInLane = new HashMap<>();

  @BeforeAll
  static void start() {
    pg = new PostgresFixture("ReplicasIT").start();
    primary = Central.withExternalDb("ReplicasIT-central-a", pg).start();
    // The second replica, started as README says: own port and data dir, the first one's broker
    // and PostgreSQL.
    Map<String, String> env = new LinkedHashMap<>(primary.process().env());
    int http = Ports.free();
    Path data = TestPaths.freshDataDir("ReplicasIT-central-b");
    env.put("OUTPOST_HTTP_PORT", String.valueOf(http));
    env.put("OUTPOST_DATA_DIR", data.toString());
    env.put("OUTPOST_BROKER_URL", primary.tlsUrl());
    replica =
        new AppProcess(
                "ReplicasIT-central-b",
                TestPaths.jar(Central.JAR_PROPERTY),
                http,
                data,
                env,
                List.of())
            .start();
  }

  @AfterAll
  static void stop() {
    if (replica != null) {
      replica.close();
    }
    if (primary != null) {
      primary.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void twoReplicasApplyTwentyThousandOperationsExactlyOnceInOrderThroughAKill() throws Exception {
    Db db = pg.db();
    BigDecimal consumedBefore = db.consumed("B-1001");
    // Each terminal sends over its own session, logged in with its enrollment credential (the
    // broker lets it send only to its own address, and central checks the validated user).
    ClientSession[] sessions = new ClientSession[TERMINALS];
    ClientProducer[] producers = new ClientProducer[TERMINALS];
    try (ServerLocator locator =
            ActiveMQClient.createServerLocator(primary.tlsUrl())
                .setBlockOnDurableSend(false)
                .setConfirmationWindowSize(1024 * 1024);
        ClientSessionFactory factory = locator.createSessionFactory()) {
      for (int t = 0; t < TERMINALS; t++) {
        sessions[t] =
            factory.createSession(
                terminal(t), primary.secret(terminal(t)), false, true, true, false, 0);
        producers[t] = sessions[t].createProducer();
      }

      // Conflicts the test creates: terminal 0 creates each supplier record; once central has
      // them, terminals 1 and 2 both edit the version they know. The first edit fast-forwards,
      // the second is a concurrent change held for a person (policy MANUAL): one conflict each.
      List<UUID> suppliers = new ArrayList<>();
      for (int r = 0; r < CONFLICT_RECORDS; r++) {
        UUID id = UUID.randomUUID();
        suppliers.add(id);
        send(sessions[0], producers[0], 0, "record.upserted", supplier(id, T0, null, "created"));
      }
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  db.count("select count(*) from entity_records where entity = 'supplier'")
                      == CONFLICT_RECORDS);
      for (UUID id : suppliers) {
        send(
            sessions[1],
            producers[1],
            1,
            "record.upserted",
            supplier(id, T0.plusSeconds(60), T0, "edit-by-1"));
        send(
            sessions[2],
            producers[2],
            2,
            "record.upserted",
            supplier(id, T0.plusSeconds(61), T0, "edit-by-2"));
      }

      int sales = 0;
      long stock = 0;
      int killAt = TERMINALS * PER_TERMINAL / 3;
      boolean killed = false;
      for (int i = 0; i < PER_TERMINAL; i++) {
        for (int t = 0; t < TERMINALS; t++) {
          int kind = i % 10;
          if (kind < 4) {
            sales++;
            send(
                sessions[t],
                producers[t],
                t,
                "sale.recorded",
                "{\"braceletId\":\"B-1001\",\"lines\":[{\"productId\":\"beer\",\"quantity\":1,\"unitPrice\":3.50}],\"total\":3.50,\"paid\":false}");
          } else if (kind < 6) {
            long delta = kind == 4 ? 3 : -1;
            stock += delta;
            send(
                sessions[t],
                producers[t],
                t,
                "stock.adjusted",
                "{\"productId\":\"water\",\"location\":\"replicas\",\"delta\":" + delta + "}");
          } else if (kind == 6) {
            send(
                sessions[t],
                producers[t],
                t,
                "access.recorded",
                "{\"qrCode\":\"QR-0001\",\"matchId\":\"demo-match\",\"gate\":\"gate-"
                    + t
                    + "\",\"direction\":\"IN\",\"granted\":true}");
          } else if (kind == 7) {
            send(
                sessions[t],
                producers[t],
                t,
                "match-event.recorded",
                "{\"matchId\":\"demo-match\",\"minute\":"
                    + (i % 90)
                    + ",\"kind\":\"YELLOW\",\"team\":\"Demo FC\"}");
          } else {
            UUID customer = new UUID(0x7100L + t, i % 50);
            send(
                sessions[t],
                producers[t],
                t,
                "record.upserted",
                "{\"entity\":\"customer\",\"id\":\""
                    + customer
                    + "\",\"updatedAt\":\""
                    + T0.plusSeconds(i)
                    + "\","
                    + "\"data\":{\"name\":\"c-"
                    + i
                    + "\"}}");
          }
        }
        if (!killed && i * TERMINALS >= killAt) {
          // Mid-run: wait until the replica has work in hand, then kill it.
          await()
              .atMost(Duration.ofMinutes(3))
              .until(() -> db.operationsTotal() > CONFLICT_RECORDS * 3 + 1_000);
          LOG.info("kill -9 of replica b with {} operations applied", db.operationsTotal());
          replica.kill9();
          killed = true;
        }
      }
      long expectedTotal = (long) TERMINALS * PER_TERMINAL + CONFLICT_RECORDS * 3L;
      Broker broker = primary.serviceBroker();
      await()
          .atMost(Duration.ofMinutes(6))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                long applied = db.operationsTotal();
                LOG.info("{} of {} operations applied", applied, expectedTotal);
                return applied >= expectedTotal
                    || applied + broker.browse("outpost.ops.DLQ").size() >= expectedTotal;
              });

      assertThat(broker.browse("outpost.ops.DLQ"))
          .as("nothing dead-lettered")
          .extracting(r -> r.property("reason") + ": " + r.property("detail"))
          .isEmpty();
      assertThat(db.operationsTotal()).as("every operation exactly once").isEqualTo(expectedTotal);
      for (int t = 0; t < TERMINALS; t++) {
        String terminal = terminal(t);
        assertThat(db.arrivals(terminal)).hasSize((int) nextSequence[t]);
        // Within each lane, the terminal's operations were applied in sequence order.
        for (List<String> laneTypes :
            List.of(
                List.of("sale.recorded", "access.recorded"),
                List.of("stock.adjusted", "match-event.recorded"),
                List.of("record.upserted", "record.upserted"))) {
          List<Long> sequences =
              db.jdbc()
                  .queryForList(
                      "select sequence from operations where terminal_id = ? and type in (?, ?) order by arrival_no",
                      Long.class,
                      terminal,
                      laneTypes.get(0),
                      laneTypes.get(1));
          for (int k = 1; k < sequences.size(); k++) {
            assertThat(sequences.get(k))
                .as(terminal + " lane of " + laneTypes + " applied in order at " + k)
                .isGreaterThan(sequences.get(k - 1));
          }
        }
      }
      assertThat(db.duplicatedSales()).isEmpty();
      assertThat(db.consumed("B-1001"))
          .isEqualByComparingTo(
              consumedBefore.add(new BigDecimal("3.50").multiply(BigDecimal.valueOf(sales))));
      assertThat(
              db.count(
                  "select coalesce(sum(quantity), 0) from stock_levels where location = 'replicas'"))
          .isEqualTo(stock);
      assertThat(db.count("select count(*) from conflicts where entity = 'supplier'"))
          .isEqualTo(CONFLICT_RECORDS);
      assertThat(db.count("select count(*) from conflicts")).isEqualTo(CONFLICT_RECORDS);
      assertThat(db.count("select count(*) from terminal_gaps where terminal_id like 'replica-t%'"))
          .isZero();
    }
  }

  private static String lane(String type) {
    return dev.outpost.contracts.OperationTypes.defaultLane(type).id();
  }

  private static String terminal(int t) {
    return "replica-t" + t;
  }

  private static String supplier(UUID id, Instant at, Instant base, String name) {
    return "{\"entity\":\"supplier\",\"id\":\""
        + id
        + "\",\"updatedAt\":\""
        + at
        + "\""
        + (base == null ? "" : ",\"baseUpdatedAt\":\"" + base + "\"")
        + ",\"data\":{\"name\":\""
        + name
        + "\"}}";
  }

  /**
   * As the terminal's bridge delivers: to its own address, grouped by terminal, duplicate id =
   * operationId.
   */
  private void send(
      ClientSession session, ClientProducer producer, int t, String type, String payload)
      throws Exception {
    String terminal = terminal(t);
    String address = "outpost.ops.in." + terminal;
    if (nextSequence[t] == 0 && !session.addressQuery(SimpleString.of(address)).isExists()) {
      session.createAddress(SimpleString.of(address), RoutingType.ANYCAST, true);
    }
    long seq = ++nextSequence[t];
    String id = UUID.randomUUID().toString();
    String body =
        "{\"operationId\":\""
            + id
            + "\",\"type\":\""
            + type
            + "\",\"schemaVersion\":1,\"terminalId\":\""
            + terminal
            + "\",\"sequence\":"
            + seq
            + ",\"occurredAt\":\"2026-11-23T08:00:00Z\",\"payload\":"
            + payload
            + "}";
    ClientMessage m =
        session.createMessage(org.apache.activemq.artemis.api.core.Message.TEXT_TYPE, true);
    m.getBodyBuffer().writeNullableSimpleString(SimpleString.of(body));
    m.setRoutingType(RoutingType.ANYCAST);
    // The core names of JMSXGroupID and the duplicate id, as the bridge forwards them.
    m.putStringProperty(
        org.apache.activemq.artemis.api.core.Message.HDR_GROUP_ID,
        SimpleString.of(terminal + ":" + lane(type)));
    m.putStringProperty(
        org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID,
        SimpleString.of(id));
    // The terminal's lane headers: central holds an operation until the one before it in its
    // lane is done, whichever replica the broker hands it to first.
    String lane = terminal + ":" + lane(type);
    m.putStringProperty(Destinations.HDR_SEQUENCE, Long.toString(seq));
    Long previous = lastInLane.put(lane, seq);
    m.putStringProperty(
        Destinations.HDR_LANE_PREVIOUS, Long.toString(previous == null ? 0 : previous));
    producer.send(address, m);
  }
}
