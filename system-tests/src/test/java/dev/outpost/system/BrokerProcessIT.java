package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.system.harness.Broker;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.CentralBroker;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.EdgeClient;
import dev.outpost.system.harness.Ops;
import dev.outpost.system.harness.PostgresFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Central's broker as its own process ({@code ./outpost broker}), central-route without a broker of
 * its own pointed at it over TLS ({@code OUTPOST_BROKER_URL}, {@code OUTPOST_BROKER_CA}), and a
 * terminal enrolled at central-route bridging to that broker: the broker checks the terminal's
 * login against central's PostgreSQL, as the embedded one does, and a sale is applied once.
 */
class BrokerProcessIT {
  private static final String TERMINAL = "broker-proc-till-1";

  private PostgresFixture pg;
  private CentralBroker broker;
  private Central central;
  private Edge edge;

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {edge, central, broker, pg}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // best effort: the next one must still stop
        }
      }
    }
  }

  @Test
  void aSaleTravelsThroughTheStandaloneBrokerAndIsAppliedOnce() {
    pg = new PostgresFixture("BrokerProcessIT").start();
    broker = CentralBroker.single("BrokerProcessIT-broker", pg).start();
    central = Central.withExternalBroker("BrokerProcessIT-central", pg, broker).start();
    assertThat(central.process().logFile())
        .content()
        .as("central-route embeds no broker when given OUTPOST_BROKER_URL")
        .doesNotContain("Embedded broker outpost-central started");

    edge = Edge.create("BrokerProcessIT-edge", TERMINAL, central).start();
    BigDecimal before = pg.db().consumed(Ops.ACTIVE_BRACELET);
    UUID id = Ops.newId();
    ObjectNode sale = Ops.sale(id, 3);
    EdgeClient.Response r = edge.client().postOperation(Ops.json(sale));
    assertThat(r.status()).as("POST sale: %s", r.body()).isEqualTo(202);

    await("sale accepted at central through the broker process")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(edge.client().getOperation(id.toString()).json().path("status").asText())
                    .isEqualTo("ACCEPTED"));
    assertThat(
            pg.db()
                .count(
                    "select count(*) from operations where operation_id = ?::uuid", id.toString()))
        .isEqualTo(1);
    assertThat(pg.db().consumed(Ops.ACTIVE_BRACELET))
        .isEqualByComparingTo(before.add(Ops.saleTotal(3)));

    // Security as embedded: a wrong terminal secret is refused, the enrolled one may not send
    // to another terminal's address.
    assertThatThrownBy(() -> login(TERMINAL, "not-the-secret"))
        .hasStackTraceContaining("errorType=SECURITY_EXCEPTION");
    assertThatThrownBy(
            () ->
                new Broker(broker.tlsUrl(), TERMINAL, central.secret(TERMINAL), "x", "x")
                    .sendText("outpost.ops.in.another-till", Ops.json(sale), java.util.Map.of()))
        .hasStackTraceContaining("errorType=SECURITY_EXCEPTION");
  }

  private void login(String user, String password) throws Exception {
    try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.tlsUrl());
        ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session =
            factory.createSession(user, password, false, true, true, false, 0)) {
      session.start();
    }
  }
}
