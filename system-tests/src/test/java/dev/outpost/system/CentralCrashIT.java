package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.system.harness.Acks;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.DeliveryCheck;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.EdgeClient;
import dev.outpost.system.harness.Ops;
import dev.outpost.system.harness.PostgresFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Central dies after committing a batch to PostgreSQL and before acknowledging it to the broker
 * (test-only fault injection, Runtime.halt). The broker redelivers the batch to the restarted
 * central: the operations must not be stored twice and the visit's consumed amount must rise by
 * exactly the sum of the sales.
 */
class CentralCrashIT {
  private static final Logger LOG = LoggerFactory.getLogger(CentralCrashIT.class);
  private static final String TERMINAL = "crash-till-1";
  private static final int SALES = 40;

  private PostgresFixture pg;
  private Central central;
  private Edge edge;

  @AfterEach
  void cleanUp() {
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

  @Test
  void redeliveryAfterCrashBeforeAckAddsNothingTwice() {
    pg = new PostgresFixture("CentralCrashIT").start();
    central = Central.withExternalDb("CentralCrashIT-central", pg).start();
    edge = Edge.create("CentralCrashIT-edge", TERMINAL, central.brokerUrl()).start();
    EdgeClient client = edge.client();
    Acks acks = new Acks();

    // A first sale through a healthy central: the path works and the baseline is known.
    post(client, acks, 1);
    await("first sale in PostgreSQL")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> DeliveryCheck.of(pg.db(), TERMINAL, acks).allArrived());
    BigDecimal baseline = pg.db().consumed(Ops.ACTIVE_BRACELET);
    central.process().stop();

    // The backlog waits on the terminal, so central's first batch after restart is a real batch.
    BigDecimal expectedDelta = BigDecimal.ZERO;
    for (int i = 0; i < SALES; i++) {
      expectedDelta = expectedDelta.add(post(client, acks, 1 + i % 4));
    }

    // Crashing run: halts right after its first commit, before the broker hears of it.
    central.process().env().put("OUTPOST_FAULT_HALT_AFTER_COMMITS", "1");
    central.process().launch();
    int exit = central.process().awaitExit(Duration.ofMinutes(2));
    long committed = pg.db().operations(TERMINAL) - 1;
    LOG.info("central halted (exit {}) with {} of {} operations committed", exit, committed, SALES);
    assertThat(committed).as("the crashed run committed a batch before it halted").isPositive();

    // Next run, no fault: the broker redelivers the batch that was committed but never acked.
    central.process().env().remove("OUTPOST_FAULT_HALT_AFTER_COMMITS");
    central.process().start();
    await("all sales in PostgreSQL")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> DeliveryCheck.of(pg.db(), TERMINAL, acks).allArrived());
    DeliveryCheck check = DeliveryCheck.of(pg.db(), TERMINAL, acks);
    LOG.info("checker: {}", check);
    check.assertClean();
    assertThat(check.arrived()).isEqualTo(SALES + 1);
    assertThat(
            pg.db()
                .count(
                    "select count(*) from sales s join operations o using (operation_id)"
                        + " where o.terminal_id = ?",
                    TERMINAL))
        .isEqualTo(SALES + 1);
    assertThat(pg.db().consumed(Ops.ACTIVE_BRACELET))
        .as("visit %s consumed = before + sum of the sales, each added once", Ops.ACTIVE_BRACELET)
        .isEqualByComparingTo(baseline.add(expectedDelta));
    await("edge ledger: nothing pending")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> client.syncStatus().path("pending").asLong(-1) == 0);
  }

  private static BigDecimal post(EdgeClient client, Acks acks, int quantity) {
    UUID id = Ops.newId();
    acks.sent(id.toString());
    EdgeClient.Response r = client.postOperation(Ops.json(Ops.sale(id, quantity)));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    acks.acknowledged(r.json());
    return Ops.saleTotal(quantity);
  }
}
