package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.contracts.Destinations;
import dev.outpost.system.harness.Acks;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL goes away while operations flow. A database outage is transient: central must
 * retry, never dead-letter, never lose; everything lands once PostgreSQL is back.
 */
class PostgresOutageIT {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresOutageIT.class);
  private static final String TERMINAL = "pgdown-till-1";

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
  void databaseOutageDeadLettersNothingAndLosesNothing() {
    pg = new PostgresFixture("PostgresOutageIT").start();
    central = Central.withExternalDb("PostgresOutageIT-central", pg).start();
    edge = Edge.create("PostgresOutageIT-edge", TERMINAL, central.brokerUrl()).start();
    EdgeClient client = edge.client();
    Broker broker = new Broker(central.brokerUrl());
    Acks acks = new Acks();

    BigDecimal expectedDelta = BigDecimal.ZERO;
    for (int i = 0; i < 20; i++) {
      expectedDelta = expectedDelta.add(post(client, acks, 1));
    }
    await("first operations in PostgreSQL")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> DeliveryCheck.of(pg.db(), TERMINAL, acks).allArrived());
    BigDecimal consumedBefore =
        pg.db().consumed(Ops.ACTIVE_BRACELET).subtract(expectedDelta);

    pg.stop();
    // Operations keep flowing into central while its database is down.
    for (int i = 0; i < 60; i++) {
      expectedDelta = expectedDelta.add(post(client, acks, 1 + i % 3));
    }
    await("outage held while central keeps failing to write: nothing dead-lettered")
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> broker.browse(Destinations.OPS_DLQ).isEmpty() && central.process().isAlive());

    pg.start();
    await("all operations in PostgreSQL after it is back")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> DeliveryCheck.of(pg.db(), TERMINAL, acks).allArrived());
    DeliveryCheck check = DeliveryCheck.of(pg.db(), TERMINAL, acks);
    LOG.info("checker: {}", check);
    check.assertClean();
    assertThat(check.arrived()).isEqualTo(80);
    assertThat(broker.browse(Destinations.OPS_DLQ)).as("dead letters").isEmpty();
    assertThat(pg.db().consumed(Ops.ACTIVE_BRACELET))
        .isEqualByComparingTo(consumedBefore.add(expectedDelta));
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
