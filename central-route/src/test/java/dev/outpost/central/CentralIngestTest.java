package dev.outpost.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.ingest.IngestOutcomes;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Fixtures;
import dev.outpost.contracts.OperationValidator;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Central with its real embedded PostgreSQL and Artemis; the test plays the terminals' bridges by
 * sending envelopes straight to outpost.ops.in.&lt;terminal&gt;.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CentralIngestTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("central-it");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
  }

  @Autowired ConnectionFactory cf;
  @Autowired JdbcTemplate jdbc;

  @Test
  void saleIsAppliedOnceAndReceiptedEvenWhenDeliveredTwice() throws Exception {
    String body = envelope("sale.recorded.json", "till-a", 1);
    String id = Contracts.mapper().readTree(body).get("operationId").asText();
    BigDecimal before = consumed("B-1001");

    ENV.sendAsBridge("outpost.ops.in.till-a", body);
    ENV.sendAsBridge(
        "outpost.ops.in.till-a", body); // a redelivery, as after a crash before acknowledging

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count("select count(*) from sales where operation_id = ?::uuid", id) == 1);
    assertThat(count("select count(*) from operations where operation_id = ?::uuid", id))
        .isEqualTo(1);
    assertThat(count("select count(*) from sale_lines where operation_id = ?::uuid", id))
        .isEqualTo(1);
    List<JsonNode> both = receipts("till-a", 2);
    JsonNode first = both.get(0);
    JsonNode second = both.get(1);
    assertThat(first.get("operationId").asText()).isEqualTo(id);
    assertThat(second.get("operationId").asText()).isEqualTo(id);
    assertThat(java.util.List.of(first.get("outcome").asText(), second.get("outcome").asText()))
        .containsExactlyInAnyOrder("ACCEPTED", "DUPLICATE");
    assertThat(consumed("B-1001")).isEqualByComparingTo(before.add(new BigDecimal("7.00")));
  }

  @Test
  void schemaInvalidMessageGoesToTheDlqWithItsReasonAndOriginalBody() throws Exception {
    String body =
        "{\"type\":\"sale.recorded\",\"operationId\":\"" + UUID.randomUUID() + "\",\"payload\":{}}";
    ENV.sendAsBridge("outpost.ops.in.till-b", body);
    Message dead = receive("outpost.ops.DLQ");
    assertThat(((TextMessage) dead).getText()).isEqualTo(body);
    assertThat(dead.getStringProperty("reason")).isEqualTo("SCHEMA_INVALID");
    assertThat(dead.getStringProperty("detail")).contains("/terminalId");
    assertThat(dead.getStringProperty("originalAddress")).isEqualTo("outpost.ops.in.till-b");
    assertThat(dead.getStringProperty("failedAt")).isNotBlank();
    assertThat(dead.getIntProperty("deliveryCount")).isEqualTo(1);
    assertThat(receipt("till-b").get("outcome").asText()).isEqualTo("REJECTED");
  }

  @Test
  void anOperationClaimingAnotherTerminalIsRejected() throws Exception {
    String body = envelope("access.recorded.json", "till-c", 1);
    ENV.sendAsBridge("outpost.ops.in.till-d", body);
    Message dead = receive("outpost.ops.DLQ");
    assertThat(dead.getStringProperty("reason")).isEqualTo("TERMINAL_MISMATCH");
    String id = Contracts.mapper().readTree(body).get("operationId").asText();
    assertThat(count("select count(*) from operations where operation_id = ?::uuid", id)).isZero();
    // The receipt goes to the real sender, never to the terminal the body names.
    assertThat(receipt("till-d").get("reason").asText()).isEqualTo("TERMINAL_MISMATCH");
  }

  @Test
  void unknownReferenceIsDeadLetteredAndNothingIsHalfWritten() throws Exception {
    ObjectNode doc =
        (ObjectNode) Contracts.mapper().readTree(envelope("sale.recorded.json", "till-e", 1));
    ((ObjectNode) doc.get("payload")).put("braceletId", "B-NOPE");
    ENV.sendAsBridge("outpost.ops.in.till-e", doc.toString());
    Message dead = receive("outpost.ops.DLQ");
    assertThat(dead.getStringProperty("reason"))
        .as(dead.getStringProperty("detail"))
        .isEqualTo("UNKNOWN_REFERENCE");
    assertThat(
            count(
                "select count(*) from operations where operation_id = ?::uuid",
                doc.get("operationId").asText()))
        .isZero();
  }

  @Test
  void unsupportedSchemaVersionIsDeadLetteredAsSuch() throws Exception {
    ObjectNode doc =
        (ObjectNode)
            Contracts.mapper().readTree(envelope("match-event.recorded.json", "till-f", 1));
    doc.put("schemaVersion", 9);
    ENV.sendAsBridge("outpost.ops.in.till-f", doc.toString());
    assertThat(receive("outpost.ops.DLQ").getStringProperty("reason"))
        .isEqualTo("UNSUPPORTED_VERSION");
  }

  @Test
  void everyShippedTypeIsProjected() throws Exception {
    String access = envelope("access.recorded.json", "gate-1", 1);
    String event = envelope("match-event.recorded.json", "pad-1", 1);
    ENV.sendAsBridge("outpost.ops.in.gate-1", access);
    ENV.sendAsBridge("outpost.ops.in.pad-1", event);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count(
                            "select count(*) from access_events where operation_id = ?::uuid",
                            idOf(access))
                        == 1
                    && count(
                            "select count(*) from match_events where operation_id = ?::uuid",
                            idOf(event))
                        == 1);
    assertThat(
            jdbc.queryForObject(
                "select last_sequence from terminals where terminal_id = 'gate-1'", Long.class))
        .isEqualTo(1L);
  }

  private String idOf(String body) throws Exception {
    return Contracts.mapper().readTree(body).get("operationId").asText();
  }

  static String envelope(String fixture, String terminal, long seq) {
    ObjectNode doc = Fixtures.valid(fixture);
    doc.put("operationId", UUID.randomUUID().toString());
    doc.put("terminalId", terminal);
    doc.put("sequence", seq);
    doc.put("schemaVersion", 1);
    return doc.toString();
  }

  private Message receive(String queue) throws Exception {
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      Message m = consumer.receive(30_000);
      assertThat(m).as("message on " + queue).isNotNull();
      m.getJMSDestination(); // touch before the session closes
      return m;
    }
  }

  private JsonNode receipt(String terminal) throws Exception {
    return receipts(terminal, 1).get(0);
  }

  /**
   * The next {@code n} receipts for the terminal: central sends one batch message per terminal and
   * ingest batch ({@code receipt-batch.v1.json}), so two deliveries may share one message.
   */
  private List<JsonNode> receipts(String terminal, int n) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    while (out.size() < n) {
      Message m = receive("outpost.receipts." + terminal);
      JsonNode batch = Contracts.mapper().readTree(((TextMessage) m).getText());
      assertThat(new OperationValidator().validateReceiptBatch(batch)).isEmpty();
      assertThat(batch.get("terminalId").asText()).isEqualTo(terminal);
      assertThat(m.getIntProperty(IngestOutcomes.RECEIPT_COUNT))
          .isEqualTo(batch.get("receipts").size());
      batch.get("receipts").forEach(out::add);
    }
    assertThat(out).hasSize(n);
    return out;
  }

  private int count(String sql, String id) {
    Integer n = jdbc.queryForObject(sql, Integer.class, id);
    return n == null ? 0 : n;
  }

  private BigDecimal consumed(String bracelet) {
    return jdbc.queryForObject(
        "select consumed from visits where bracelet_id = ? and closed_at is null",
        BigDecimal.class,
        bracelet);
  }
}
