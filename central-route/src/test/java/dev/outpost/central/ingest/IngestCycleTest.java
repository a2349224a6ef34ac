package dev.outpost.central.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.central.CentralTestEnv;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one ingest unit on central's real PostgreSQL and broker, driven as a caller (import, replay)
 * drives it: a message taken off a queue in a transacted session is acknowledged only when the
 * operations and the caller's own row committed together; a database that stays away past the
 * caller's patience leaves everything as it was.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IngestCycleTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("ingest-cycle");
  static final String TERMINAL = "cycle-till";
  // A queue central has (it creates no others on demand), as a replay takes its dead letter from
  // it.
  static final String WORK_QUEUE = Destinations.OPS_DLQ;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
  }

  @Autowired IngestCycle cycle;
  @Autowired ConnectionFactory cf;
  @Autowired JdbcTemplate jdbc;

  @BeforeEach
  void callerTable() {
    jdbc.execute("create table if not exists cycle_probe (operation_id uuid primary key)");
  }

  @Test
  void aTransientFailureIsRetriedAndTheOperationCommitsOnceWithTheCallersRow() throws Exception {
    String body = envelope(1);
    AtomicInteger calls = new AtomicInteger();
    List<IngestResult> results =
        takeAndRun(
            body,
            IngestCycle.Patience.atMost(Duration.ofSeconds(20)),
            r -> {
              if (calls.incrementAndGet() == 1) {
                throw new TransientDataAccessResourceException("test: PostgreSQL went away");
              }
              probe(r);
            });

    assertThat(calls).hasValue(2);
    assertThat(results).hasSize(1);
    assertThat(results.get(0).rejected()).isFalse();
    String id = operationId(body);
    assertThat(count("select count(*) from operations where operation_id = ?::uuid", id))
        .isEqualTo(1);
    assertThat(count("select count(*) from cycle_probe where operation_id = ?::uuid", id))
        .isEqualTo(1);
    assertThat(browse(WORK_QUEUE)).as("the message was acknowledged with the commit").isNull();
    JsonNode receipts = receiptsOf(TERMINAL);
    assertThat(receipts.get("receipts").get(0).get("operationId").asText()).isEqualTo(id);
  }

  @Test
  void whenPostgresStaysAwayPastThePatienceNothingIsAppliedAndTheMessageStays() throws Exception {
    String body = envelope(2);
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                takeAndRun(
                    body,
                    IngestCycle.Patience.atMost(Duration.ofSeconds(1)),
                    r -> {
                      calls.incrementAndGet();
                      throw new TransientDataAccessResourceException("test: PostgreSQL is away");
                    }))
        .isInstanceOf(IngestCycle.GaveUp.class)
        .hasMessageContaining("PostgreSQL unavailable");

    assertThat(calls.get()).as("retried with backoff before giving up").isGreaterThan(1);
    String id = operationId(body);
    assertThat(count("select count(*) from operations where operation_id = ?::uuid", id)).isZero();
    assertThat(browse(WORK_QUEUE)).as("rolled back: still on its queue").isEqualTo(body);
    drain(WORK_QUEUE);
  }

  @Test
  void aCallerRowThatCannotBeWrittenUndoesTheOperationsToo() throws Exception {
    String body = envelope(3);
    assertThatThrownBy(
            () ->
                takeAndRun(
                    body,
                    IngestCycle.Patience.atMost(Duration.ofSeconds(5)),
                    r -> {
                      probe(r);
                      probe(r); // the same primary key twice: not transient, not retried
                    }))
        .hasRootCauseInstanceOf(org.postgresql.util.PSQLException.class)
        .rootCause()
        .hasMessageContaining("cycle_probe");

    String id = operationId(body);
    assertThat(count("select count(*) from operations where operation_id = ?::uuid", id)).isZero();
    assertThat(count("select count(*) from cycle_probe where operation_id = ?::uuid", id)).isZero();
    assertThat(browse(WORK_QUEUE)).isEqualTo(body);
    drain(WORK_QUEUE);
  }

  /** Puts the body on a work queue, takes it in a transacted session and runs the cycle on it. */
  private List<IngestResult> takeAndRun(
      String body, IngestCycle.Patience patience, Consumer<List<IngestResult>> alsoInTransaction)
      throws Exception {
    try (Connection c = cf.createConnection()) {
      c.start();
      Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      plain.createProducer(plain.createQueue(WORK_QUEUE)).send(plain.createTextMessage(body));
      Session s = c.createSession(true, Session.SESSION_TRANSACTED);
      MessageConsumer consumer = s.createConsumer(s.createQueue(WORK_QUEUE));
      TextMessage m = (TextMessage) consumer.receive(10_000);
      assertThat(m).isNotNull();
      MessageProducer producer = s.createProducer(null);
      InboundMessage in =
          new InboundMessage(m.getText(), Destinations.opsIn(TERMINAL), null, 1, "import");
      return cycle.run(
          s, producer, List.of(in), patience, alsoInTransaction, IngestCycle.Outcomes.BATCHED);
    }
  }

  private void probe(List<IngestResult> results) {
    for (IngestResult r : results) {
      jdbc.update("insert into cycle_probe (operation_id) values (?::uuid)", r.operationId());
    }
  }

  private String browse(String queue) throws Exception {
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      var e = s.createBrowser(s.createQueue(queue)).getEnumeration();
      return e.hasMoreElements() ? ((TextMessage) e.nextElement()).getText() : null;
    }
  }

  private void drain(String queue) throws Exception {
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      while (consumer.receive(500) != null) {}
    }
  }

  private JsonNode receiptsOf(String terminal) throws Exception {
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Message m = s.createConsumer(s.createQueue(Destinations.receipts(terminal))).receive(10_000);
      assertThat(m).as("receipts for " + terminal).isNotNull();
      return Contracts.mapper().readTree(((TextMessage) m).getText());
    }
  }

  private static String envelope(long seq) {
    return CentralTestEnv.envelope("sale.recorded.json", TERMINAL, seq).toString();
  }

  private static String operationId(String body) throws Exception {
    return Contracts.mapper().readTree(body).get("operationId").asText();
  }

  private int count(String sql, String id) {
    Integer n = jdbc.queryForObject(sql, Integer.class, id);
    return n == null ? 0 : n;
  }
}
