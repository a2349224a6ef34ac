package dev.outpost.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.OperationValidator;
import dev.outpost.edge.broker.TerminalDeadLetters;
import dev.outpost.edge.support.EdgeTestSupport;
import dev.outpost.edge.support.SecuredCentral;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole store-and-forward path with a real central broker played by the test: POS post -> Derby
 * ledger -> outbound queue -> core bridge -> central's inbound queue; then central's receipt -> the
 * ledger shows ACCEPTED or REJECTED.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class StoreAndForwardTest extends EdgeTestSupport {
  @Autowired TerminalDeadLetters deadLetters;

  static final String TERMINAL = "till-e2e";
  static final Path DATA = tempDataDir("store-and-forward");
  static final int CENTRAL_PORT = freePort();
  static final String CENTRAL_URL = "tcp://127.0.0.1:" + CENTRAL_PORT;
  static final String INBOUND = "outpost.ops.in.*::outpost.ops.inbound";
  static final String RECEIPTS = "outpost.receipts." + TERMINAL;

  @RegisterExtension
  static final SecuredCentral central =
      new SecuredCentral(DATA.resolve("central"), CENTRAL_PORT, "21");

  static final String SECRET = EdgeTestSupport.unchecked(() -> central.enroll(TERMINAL));

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    unchecked(
        () -> {
          central.registerEdge(r, TERMINAL, SECRET, DATA.resolve("edge"), "20");
          return null;
        });
  }

  @Test
  void saleTravelsToCentralAndTheReceiptMarksTheLedger() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> json(get("/api/v1/sync/status").body()).get("online").asBoolean());

    ObjectNode sale = freshValid("sale.recorded.json");
    String id = sale.get("operationId").asText();
    HttpResponse<String> res = post(sale.toString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    long sequence = json(res.body()).get("sequence").asLong();

    ActiveMQConnectionFactory cf = central.serviceConnectionFactory();
    try (cf;
        Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(INBOUND));
      Message got = consumer.receive(30_000);
      assertThat(got).as("operation forwarded to central").isNotNull();
      assertThat(got.getJMSDestination().toString()).contains("outpost.ops.in." + TERMINAL);
      assertThat(got.getStringProperty("operationId")).isEqualTo(id);
      assertThat(got.getStringProperty("terminalId")).isEqualTo(TERMINAL);
      assertThat(got.getStringProperty("type")).isEqualTo("sale.recorded");
      assertThat(got.getStringProperty("sequence")).isEqualTo(Long.toString(sequence));
      assertThat(got.getStringProperty("JMSXGroupID")).isEqualTo(TERMINAL + ":critical");
      JsonNode envelope = json(((TextMessage) got).getText());
      assertThat(new OperationValidator().validateEnvelope(envelope).isValid()).isTrue();
      assertThat(envelope.get("operationId").asText()).isEqualTo(id);
      assertThat(envelope.get("payload")).isEqualTo(sale.get("payload"));

      // Central answers: the receipt goes to the terminal's own receipt queue.
      MessageProducer producer = s.createProducer(s.createQueue(RECEIPTS));
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
      String receipt = receipt(id, sequence, "ACCEPTED", null);
      producer.send(s.createTextMessage(receipt));
      producer.send(s.createTextMessage(receipt)); // redelivered receipts change nothing

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  json(get("/api/v1/operations/" + id).body())
                      .get("status")
                      .asText()
                      .equals("ACCEPTED"));
      JsonNode row = json(get("/api/v1/operations/" + id).body());
      assertThat(row.get("receiptAt").isNull()).isFalse();
      assertThat(row.get("reason").isNull()).isTrue();

      // A rejection keeps its reason; a later DUPLICATE for an accepted one never downgrades it.
      ObjectNode access = freshValid("access.recorded.json");
      String rejectedId = access.get("operationId").asText();
      HttpResponse<String> second = post(access.toString());
      assertThat(second.statusCode()).isEqualTo(202);
      assertThat(consumer.receive(30_000)).isNotNull();
      producer.send(
          s.createTextMessage(
              receipt(
                  rejectedId,
                  json(second.body()).get("sequence").asLong(),
                  "REJECTED",
                  "UNKNOWN_REFERENCE")));
      producer.send(s.createTextMessage(receipt(id, sequence, "DUPLICATE", null)));
      // Garbled receipts are acknowledged, never retried forever, and kept on the terminal's
      // DLQ; a receipt for an unknown operation is acknowledged.
      long kept = deadLetters.depth();
      producer.send(s.createTextMessage("{not json"));
      producer.send(s.createTextMessage("{\"operationId\":\"x\"}"));
      producer.send(
          s.createTextMessage(
              receipt("0193a1f0-7c2e-7a10-8b00-00000000ffff", 1, "ACCEPTED", null)));

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  json(get("/api/v1/operations/" + rejectedId).body())
                      .get("status")
                      .asText()
                      .equals("REJECTED"));
      await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.depth() == kept + 2);
      JsonNode rejected = json(get("/api/v1/operations/" + rejectedId).body());
      assertThat(rejected.get("reason").asText()).isEqualTo("UNKNOWN_REFERENCE");
      assertThat(rejected.get("detail").asText()).isEqualTo("no such accreditation");
      // Applied but flagged for review (e.g. a sale on a visit central had closed): FLAGGED, with
      // why.
      ObjectNode late = freshValid("sale.recorded.json");
      String flaggedId = late.get("operationId").asText();
      assertThat(post(late.toString()).statusCode()).isEqualTo(202);
      assertThat(consumer.receive(30_000)).isNotNull();
      producer.send(
          s.createTextMessage(
              "{\"operationId\":\""
                  + flaggedId
                  + "\",\"terminalId\":\""
                  + TERMINAL
                  + "\",\"outcome\":\"FLAGGED\",\"detail\":\"VISIT_CLOSED: kept for review\",\"processedAt\":\"2026-11-23T21:15:02Z\"}"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  json(get("/api/v1/operations/" + flaggedId).body())
                      .get("status")
                      .asText()
                      .equals("FLAGGED"));
      assertThat(json(get("/api/v1/operations/" + flaggedId).body()).get("detail").asText())
          .startsWith("VISIT_CLOSED");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  central.broker().server().locateQueue(SimpleString.of(RECEIPTS)).getMessageCount()
                      == 0);
      assertThat(json(get("/api/v1/operations/" + id).body()).get("status").asText())
          .isEqualTo("ACCEPTED");
    }

    JsonNode status = json(get("/api/v1/sync/status").body());
    assertThat(status.get("online").asBoolean()).isTrue();
    assertThat(status.get("pending").asLong()).isZero();
    assertThat(status.get("queued").asLong()).isZero();
    assertThat(status.get("forwarded").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(status.get("accepted").asLong()).isEqualTo(1);
    assertThat(status.get("flagged").asLong()).isEqualTo(1);
    assertThat(status.get("rejected").asLong()).isEqualTo(1);
    assertThat(status.get("lastForwardedAt").isNull()).isFalse();
    assertThat(status.get("lastReceiptAt").isNull()).isFalse();
    assertThat(status.get("rejections").get(0).get("reason").asText())
        .isEqualTo("UNKNOWN_REFERENCE");
    assertThat(status.get("alerts").toString()).contains("REJECTIONS_WAITING");
  }

  private static String receipt(String id, long sequence, String outcome, String reason) {
    return "{\"operationId\":\""
        + id
        + "\",\"terminalId\":\""
        + TERMINAL
        + "\",\"sequence\":"
        + sequence
        + ",\"outcome\":\""
        + outcome
        + "\""
        + (reason == null
            ? ""
            : ",\"reason\":\"" + reason + "\",\"detail\":\"no such accreditation\"")
        + ",\"processedAt\":\"2026-11-23T21:15:01Z\"}";
  }
}
