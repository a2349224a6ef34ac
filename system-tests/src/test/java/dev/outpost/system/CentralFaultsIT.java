package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.contracts.Destinations;
import dev.outpost.system.harness.Acks;
import dev.outpost.system.harness.AppProcess;
import dev.outpost.system.harness.Broker;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.DeliveryCheck;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.EdgeClient;
import dev.outpost.system.harness.Ops;
import dev.outpost.system.harness.PostgresFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults on the central side, against a PostgreSQL the test controls (started from the test JVM
 * with fsync and synchronous_commit on) and central-route pointed at it. The processes are shared
 * by the tests, which run in order and each end with the checker over the terminal's whole history.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CentralFaultsIT {
  private static final Logger LOG = LoggerFactory.getLogger(CentralFaultsIT.class);
  private static final String TERMINAL = "fault-till-1";

  private static PostgresFixture pg;
  private static Central central;
  private static Edge edge;
  private static EdgeClient client;
  private static Broker broker;
  private static final Acks ACKS = new Acks();

  @BeforeAll
  static void startSystem() {
    pg = new PostgresFixture("CentralFaultsIT").start();
    central = Central.withExternalDb("CentralFaultsIT-central", pg);
    edge = Edge.create("CentralFaultsIT-edge", TERMINAL, central);
    AppProcess.startTogether(central.process(), edge.process());
    client = edge.client();
    broker = central.broker(TERMINAL);
  }

  @AfterAll
  static void stopSystem() {
    if (edge != null) {
      edge.close();
    }
    if (central != null) {
      central.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  /**
   * PostgreSQL goes away while operations flow. A database outage is transient: central must retry,
   * never dead-letter, never lose; everything lands once PostgreSQL is back.
   */
  @Test
  @Order(1)
  void postgresOutageDeadLettersNothingAndLosesNothing() {
    BigDecimal delta = BigDecimal.ZERO;
    for (int i = 0; i < 20; i++) {
      delta = delta.add(post(1));
    }
    awaitAllArrived();
    BigDecimal consumedBefore = pg.db().consumed(Ops.ACTIVE_BRACELET).subtract(delta);

    pg.stop();
    // Operations keep flowing into central while its database is down.
    for (int i = 0; i < 60; i++) {
      delta = delta.add(post(1 + i % 3));
    }
    await("outage held while central keeps failing to write: nothing dead-lettered")
        .during(Duration.ofSeconds(8))
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> broker.browse(Destinations.OPS_DLQ).isEmpty() && central.process().isAlive());

    pg.start();
    DeliveryCheck check = awaitAllArrived();
    assertThat(check.arrived()).isEqualTo(80);
    assertThat(broker.browse(Destinations.OPS_DLQ)).as("dead letters").isEmpty();
    assertThat(pg.db().consumed(Ops.ACTIVE_BRACELET))
        .isEqualByComparingTo(consumedBefore.add(delta));
    awaitNothingPending();
  }

  /**
   * Central dies after committing a batch to PostgreSQL and before acknowledging it to the broker
   * (test-only fault injection, Runtime.halt). The broker redelivers the batch to the restarted
   * central: nothing is stored twice and the visit's consumed amount rises by exactly the sum of
   * the sales.
   */
  @Test
  @Order(2)
  void redeliveryAfterCrashBeforeAckAddsNothingTwice() {
    if (!central.process().isAlive()) {
      central.start();
    }
    if (!pg.isRunning()) {
      pg.start();
    }
    awaitAllArrived();
    BigDecimal baseline = pg.db().consumed(Ops.ACTIVE_BRACELET);
    long before = pg.db().operations(TERMINAL);
    central.process().stop();

    // The backlog waits on the terminal, so central's first batch after restart is a real batch.
    BigDecimal delta = BigDecimal.ZERO;
    int sales = 40;
    for (int i = 0; i < sales; i++) {
      delta = delta.add(post(1 + i % 4));
    }

    // Crashing run: halts right after its first commit, before the broker hears of it.
    central.process().env().put("OUTPOST_FAULT_HALT_AFTER_COMMITS", "1");
    central.process().launch();
    int exit = central.process().awaitExit(Duration.ofMinutes(2));
    long committed = pg.db().operations(TERMINAL) - before;
    LOG.info("central halted (exit {}) with {} of {} operations committed", exit, committed, sales);
    assertThat(committed).as("the crashed run committed a batch before it halted").isPositive();

    // Next run, no fault: the broker redelivers the batch that was committed but never acked.
    central.process().env().remove("OUTPOST_FAULT_HALT_AFTER_COMMITS");
    central.process().start();
    DeliveryCheck check = awaitAllArrived();
    assertThat(check.arrived()).isEqualTo(before + sales);
    assertThat(
            pg.db()
                .count(
                    "select count(*) from sales s join operations o using (operation_id)"
                        + " where o.terminal_id = ?",
                    TERMINAL))
        .isEqualTo(before + sales);
    assertThat(pg.db().consumed(Ops.ACTIVE_BRACELET))
        .as("visit %s consumed = before + sum of the sales, each added once", Ops.ACTIVE_BRACELET)
        .isEqualByComparingTo(baseline.add(delta));
    assertThat(broker.browse(Destinations.OPS_DLQ)).as("dead letters").isEmpty();
    awaitNothingPending();
  }

  private static BigDecimal post(int quantity) {
    UUID id = Ops.newId();
    ACKS.sent(id.toString());
    EdgeClient.Response r = client.postOperation(Ops.json(Ops.sale(id, quantity)));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    ACKS.acknowledged(r.json());
    return Ops.saleTotal(quantity);
  }

  private static DeliveryCheck awaitAllArrived() {
    await("every acknowledged operation of " + TERMINAL + " in PostgreSQL")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> DeliveryCheck.of(pg.db(), TERMINAL, ACKS).allArrived());
    DeliveryCheck check = DeliveryCheck.of(pg.db(), TERMINAL, ACKS);
    LOG.info("checker: {}", check);
    return check.assertClean();
  }

  private static void awaitNothingPending() {
    await("edge ledger: nothing pending")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var status = client.syncStatus();
              assertThat(status.path("pending").asLong(-1)).as("pending in %s", status).isZero();
            });
  }
}
