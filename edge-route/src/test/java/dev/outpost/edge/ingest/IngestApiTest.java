package dev.outpost.edge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.broker.EmbeddedBroker;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Fixtures;
import dev.outpost.contracts.OperationValidator;
import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.edge.ledger.LedgerStatus;
import dev.outpost.edge.support.EdgeTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.settings.HierarchicalRepository;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The edge's HTTP API with central unreachable: everything accepted stays in the real Derby ledger
 * and the real embedded outbound queue, where the test can look.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class IngestApiTest extends EdgeTestSupport {
  static final String TERMINAL = "till-api";
  static final String IN_VM_ID = "30";
  static final Path DATA = tempDataDir("ingest-api");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("outpost.terminal-id", () -> TERMINAL);
    r.add("outpost.data-dir", DATA::toString);
    r.add("outpost.broker.in-vm-id", () -> IN_VM_ID);
    // Nobody listens there: the terminal is offline for this whole class.
    r.add("outpost.central.broker-url", () -> "tcp://127.0.0.1:" + freePort());
    r.add("outpost.ingest.max-body-bytes", () -> "4096");
    r.add("spring.jmx.unique-names", () -> "true");
  }

  @Autowired ProducerTemplate producer;
  @Autowired AppendStage appendStage;
  @Autowired MeterRegistry meters;
  @Autowired DataSource ledgerDataSource;
  @Autowired EmbeddedBroker broker;

  @Test
  void saleIsRecordedQueuedAndAnswered202() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    String id = sale.get("operationId").asText();

    HttpResponse<String> res = post(sale.toString());

    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    JsonNode answer = json(res.body());
    assertThat(answer.get("operationId").asText()).isEqualTo(id);
    assertThat(answer.get("status").asText()).isEqualTo("QUEUED");
    long sequence = answer.get("sequence").asLong();
    assertThat(sequence).isPositive();

    Message m = findInOutbound(id);
    assertThat(m.getStringProperty("_AMQ_DUPL_ID")).isEqualTo(id);
    assertThat(m.getStringProperty("JMSXGroupID")).isEqualTo(TERMINAL + ":critical");
    assertThat(m.getStringProperty("operationId")).isEqualTo(id);
    assertThat(m.getStringProperty("terminalId")).isEqualTo(TERMINAL);
    assertThat(m.getStringProperty("type")).isEqualTo("sale.recorded");
    assertThat(m.getStringProperty("sequence")).isEqualTo(Long.toString(sequence));
    assertThat(m.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
    JsonNode envelope = json(((TextMessage) m).getText());
    assertThat(new OperationValidator().validateEnvelope(envelope).violations()).isEmpty();
    assertThat(envelope.get("terminalId").asText()).isEqualTo(TERMINAL);
    assertThat(envelope.get("sequence").asLong()).isEqualTo(sequence);
    assertThat(envelope.get("schemaVersion").asInt()).isEqualTo(1);
    // Exact decimals travel as sent.
    assertThat(envelope.at("/payload/lines/0/unitPrice").toString()).isEqualTo("3.50");
    assertThat(envelope.at("/payload/total").toString()).isEqualTo("7.00");

    HttpResponse<String> row = get("/api/v1/operations/" + id);
    assertThat(row.statusCode()).isEqualTo(200);
    JsonNode doc = json(row.body());
    assertThat(doc.get("status").asText()).isEqualTo("QUEUED");
    assertThat(doc.get("sequence").asLong()).isEqualTo(sequence);
    assertThat(doc.get("type").asText()).isEqualTo("sale.recorded");
    assertThat(doc.get("occurredAt").asText()).isEqualTo("2026-11-23T21:15:00Z");
    assertThat(doc.get("payload")).isEqualTo(sale.get("payload"));
    assertThat(doc.get("receivedAt").isNull()).isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> store.find(id).orElseThrow().queuedAt() != null);
  }

  @Test
  void eachOperationNamesTheOneBeforeItInItsLane() throws Exception {
    // Central holds an operation until the one before it in its lane is done (LaneOrder there).
    LedgerEntry a = recorded(freshValid("sale.recorded.json"));
    LedgerEntry b = recorded(freshValid("stock.adjusted.json"));
    LedgerEntry c = recorded(freshValid("sale.recorded.json"));
    assertThat(lanePrevious(c)).isEqualTo(a.sequence());
    assertThat(lanePrevious(a)).isLessThan(a.sequence());
    assertThat(lanePrevious(b)).isLessThan(b.sequence()).isNotEqualTo(a.sequence());
    // Rows sent again (start-up repair, a resend) are placed by the ledger, not by the last send.
    LanePredecessors.Chain again = predecessors.of(List.of(b, c));
    assertThat(again.of(c)).isEqualTo(a.sequence());
    assertThat(again.of(b)).isEqualTo(lanePrevious(b));
  }

  @Autowired LanePredecessors predecessors;

  private LedgerEntry recorded(ObjectNode op) throws Exception {
    HttpResponse<String> res = post(op.toString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    return store.find(op.get("operationId").asText()).orElseThrow();
  }

  private long lanePrevious(LedgerEntry e) throws Exception {
    return Long.parseLong(
        findInOutbound(e.operationId()).getStringProperty(Destinations.HDR_LANE_PREVIOUS));
  }

  @Test
  void theLedgerListPagesADayInSequenceOrder() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ObjectNode sale = freshValid("sale.recorded.json");
      sale.put("occurredAt", "2025-02-03T1" + i + ":00:00+01:00");
      assertThat(post(sale.toString()).statusCode()).isEqualTo(202);
      ids.add(sale.get("operationId").asText());
    }
    ObjectNode otherDay = freshValid("sale.recorded.json");
    otherDay.put("occurredAt", "2025-02-04T12:00:00Z");
    assertThat(post(otherDay.toString()).statusCode()).isEqualTo(202);

    JsonNode first =
        json(get("/api/v1/operations?status=QUEUED&from=2025-02-03&to=2025-02-03&limit=2").body());
    assertThat(first.get("items").findValuesAsText("operationId"))
        .containsExactly(ids.get(0), ids.get(1));
    assertThat(first.get("nextOffset").asInt()).isEqualTo(2);
    JsonNode second =
        json(get("/api/v1/operations?from=2025-02-03&to=2025-02-03&offset=2&limit=2").body());
    assertThat(second.get("items").findValuesAsText("operationId")).containsExactly(ids.get(2));
    assertThat(second.get("nextOffset").isNull()).isTrue();
    // Instants: from inclusive, to exclusive, offsets honoured (10:00+01:00 = 09:00Z).
    JsonNode window =
        json(get("/api/v1/operations?from=2025-02-03T09:00:00Z&to=2025-02-03T10:00:00Z").body());
    assertThat(window.get("items").findValuesAsText("operationId")).containsExactly(ids.get(0));
    assertThat(
            json(get("/api/v1/operations?status=FLAGGED&from=2025-02-03").body())
                .get("count")
                .asInt())
        .isZero();
    // The envelope keeps the POS's instant and offset.
    assertThat(
            json(((TextMessage) findInOutbound(ids.get(1))).getText()).get("occurredAt").asText())
        .isEqualTo("2025-02-03T11:00:00+01:00");

    HttpResponse<String> bad =
        get("/api/v1/operations?status=LOST&from=yesterday&limit=1001&offset=-1");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad.body()).get("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/status", "/from", "/limit", "/offset");
  }

  @Test
  void everyValidFixtureIsAccepted() throws Exception {
    for (String name : Fixtures.VALID) {
      HttpResponse<String> res = post(freshValid(name).toString());
      assertThat(res.statusCode()).as(name + ": " + res.body()).isEqualTo(202);
    }
  }

  @Test
  void missingOperationIdIsGeneratedAsUuidV7AndVersionDefaultsTo1() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    sale.remove("operationId");
    sale.remove("schemaVersion");

    HttpResponse<String> res = post(sale.toString());

    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    UUID id = UUID.fromString(json(res.body()).get("operationId").asText());
    assertThat(id.version()).isEqualTo(7);
    assertThat(store.find(id.toString()).orElseThrow().schemaVersion()).isEqualTo(1);
  }

  @Test
  void malformedJsonIs400AndNothingIsWritten() throws Exception {
    for (String body :
        List.of("{\"type\":", "not json", "", "{\"a\":1} trailing", "{\"a\":1,\"a\":2}")) {
      assertRefused(body, 400, "malformed-json");
    }
  }

  @Test
  void aSendWithoutAnAnswerIsSentAgainAndAnswered202NotForgotten() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    String id = sale.get("operationId").asText();
    // The broker takes longer than the client's 10 s call timeout over the first send of this
    // operation, then stores it anyway: the client saw a timeout for a message that is queued.
    AtomicBoolean delayed = new AtomicBoolean();
    ActiveMQServerMessagePlugin slowOnce =
        new ActiveMQServerMessagePlugin() {
          @Override
          public void beforeSend(
              ServerSession session,
              Transaction tx,
              org.apache.activemq.artemis.api.core.Message message,
              boolean direct,
              boolean noAutoCreateQueue) {
            if (id.equals(String.valueOf(message.getDuplicateProperty()))
                && delayed.compareAndSet(false, true)) {
              sleepQuietly(Duration.ofSeconds(12));
            }
          }
        };
    broker.server().registerBrokerPlugin(slowOnce);
    try {
      HttpResponse<String> res = post(sale.toString());
      assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    } finally {
      broker.server().unRegisterBrokerPlugin(slowOnce);
    }
    assertThat(delayed).isTrue();
    assertThat(store.find(id)).isPresent();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        browseOutbound(IN_VM_ID).stream()
                            .filter(m -> id.equals(operationIdOf(m)))
                            .count())
                    .as("copies of the operation in the outbound queue")
                    .isEqualTo(1));
  }

  @Test
  void aFailureToMarkTheRowQueuedAfterTheSendIsStill202() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    String id = sale.get("operationId").asText();
    // Derby refuses the "queued" mark of this one row (a NOT NULL violation in a trigger).
    JdbcTemplate jdbc = new JdbcTemplate(ledgerDataSource);
    jdbc.execute("CREATE TABLE mark_refused (x INT NOT NULL)");
    jdbc.execute(
        "CREATE TRIGGER refuse_mark AFTER UPDATE OF queued_at ON ledger REFERENCING NEW AS n"
            + " FOR EACH ROW WHEN (n.operation_id = '"
            + id
            + "') INSERT INTO mark_refused VALUES (NULL)");
    try {
      HttpResponse<String> res = post(sale.toString());
      assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    } finally {
      jdbc.execute("DROP TRIGGER refuse_mark");
      jdbc.execute("DROP TABLE mark_refused");
    }
    assertThat(store.find(id)).isPresent();
    findInOutbound(id);
  }

  private static String operationIdOf(Message m) {
    try {
      return m.getStringProperty("operationId");
    } catch (jakarta.jms.JMSException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void invalidUtf8Is400AndNothingIsWritten() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    String text = sale.toString().replace("\"table 4\"", "\"table \u0001X\"");
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    // 0xC3 0x28: a two-byte lead followed by a byte that cannot continue it.
    int at = text.indexOf('\u0001');
    body[at] = (byte) 0xC3;
    body[at + 1] = (byte) 0x28;
    assertRefusedBytes(body, 400, "malformed-json");
    // A lone continuation byte and an over-long encoding of '/'.
    assertRefusedBytes(replaceAt(body, at, (byte) 0x80, (byte) 0x41), 400, "malformed-json");
    assertRefusedBytes(replaceAt(body, at, (byte) 0xC0, (byte) 0xAF), 400, "malformed-json");
  }

  @Test
  void hugeExponentsAndLongNumbersAre400() throws Exception {
    for (String total : List.of("1e999999999", "7e-999999999", "7." + "0".repeat(2000), "1E400")) {
      ObjectNode sale = freshValid("sale.recorded.json");
      String body = sale.toString().replace("\"total\":7.00", "\"total\":" + total);
      assertThat(body).contains(total);
      long status = post(body).statusCode();
      assertThat(status).as(total).isEqualTo(400);
      assertRefused(body, 400, null);
    }
  }

  @Test
  void textNoDatabaseCanStoreIs400NamingTheField() throws Exception {
    // U+0000 and an unpaired surrogate, escaped in the JSON: central refuses both as
    // SCHEMA_INVALID, so a 202 here would be a sale the till thinks recorded and central refuses.
    for (String bad : List.of("\\u0000", "\\ud800", "x\\udc00y")) {
      ObjectNode sale = freshValid("sale.recorded.json");
      sale.with("payload").put("observations", "table 4");
      String body =
          sale.toString()
              .replace("\"observations\":\"table 4\"", "\"observations\":\"t" + bad + "\"");
      assertThat(body).as(bad).contains(bad);
      JsonNode problem = assertRefused(body, 400, "schema-invalid");
      assertThat(problem.toString()).as(bad).contains("/payload/observations");
    }
  }

  @Test
  void nilAndNonV4V7OperationIdsAre400NamingTheField() throws Exception {
    for (String id :
        List.of(
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "0b7d5a54-2d6e-11f0-9c3a-0242ac120002", // v1
            "0193a1f0-7c2e-7a10-0b00-000000000001")) { // v7 digit, but not the RFC variant
      ObjectNode sale = freshValid("sale.recorded.json");
      sale.put("operationId", id);
      JsonNode problem = assertRefused(sale.toString(), 400, "schema-invalid");
      assertThat(problem.toString()).as(id).contains("/operationId");
    }
    ObjectNode v4 = freshValid("sale.recorded.json");
    v4.put("operationId", UUID.randomUUID().toString());
    assertThat(post(v4.toString()).statusCode()).isEqualTo(202);
  }

  @Test
  void occurredAtFarFromTheTerminalClockIs400() throws Exception {
    for (String at :
        List.of(
            Instant.now().plus(Duration.ofDays(3650)).toString(),
            Instant.now().plus(Duration.ofHours(2)).toString(),
            "1970-01-01T00:00:00Z",
            "2019-12-31T23:59:59Z")) {
      ObjectNode sale = freshValid("sale.recorded.json");
      sale.put("occurredAt", at);
      JsonNode problem = assertRefused(sale.toString(), 400, "clock-out-of-range");
      assertThat(problem.toString()).as(at).contains("/occurredAt");
    }
    ObjectNode lateButFine = freshValid("sale.recorded.json");
    lateButFine.put("occurredAt", Instant.now().minus(Duration.ofDays(400)).toString());
    assertThat(post(lateButFine.toString()).statusCode()).isEqualTo(202);
    ObjectNode slightlyAhead = freshValid("sale.recorded.json");
    slightlyAhead.put("occurredAt", Instant.now().plus(Duration.ofMinutes(2)).toString());
    assertThat(post(slightlyAhead.toString()).statusCode()).isEqualTo(202);
  }

  private static byte[] replaceAt(byte[] body, int at, byte a, byte b) {
    byte[] copy = body.clone();
    copy[at] = a;
    copy[at + 1] = b;
    return copy;
  }

  private HttpResponse<String> postBytes(byte[] body) throws Exception {
    return send(
        HttpRequest.newBuilder(uri("/api/v1/operations"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  private void assertRefusedBytes(byte[] body, int status, String slug) throws Exception {
    long rows = ledgerRows();
    HttpResponse<String> res = postBytes(body);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(json(res.body()).get("type").asText()).endsWith("/" + slug);
    assertThat(ledgerRows()).isEqualTo(rows);
  }

  @Test
  void aLeadingByteOrderMarkIsIgnored() throws Exception {
    // RFC 8259 lets a parser ignore a UTF-8 BOM, and Windows tools write one; the terminal sends
    // central its own serialization, so no BOM ever reaches central's broker from here.
    ObjectNode sale = freshValid("sale.recorded.json");
    byte[] json = sale.toString().getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[json.length + 3];
    body[0] = (byte) 0xEF;
    body[1] = (byte) 0xBB;
    body[2] = (byte) 0xBF;
    System.arraycopy(json, 0, body, 3, json.length);
    HttpResponse<String> res = postBytes(body);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    assertThat(json(res.body()).get("operationId").asText())
        .isEqualTo(sale.get("operationId").asText());
    long rows = ledgerRows();
    HttpResponse<String> plain = post(sale.toString());
    assertThat(plain.statusCode()).as("the same operation without the BOM").isEqualTo(202);
    assertThat(json(plain.body()).get("sequence")).isEqualTo(json(res.body()).get("sequence"));
    assertThat(ledgerRows()).as("recorded once").isEqualTo(rows);
  }

  @Test
  void tooDeepNestingIs400() throws Exception {
    String deep = "{\"payload\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertRefused(deep, 400, "malformed-json");
  }

  @Test
  void eachInvalidFixtureIs400NamingItsFields() throws Exception {
    for (Map.Entry<String, List<String>> e : Fixtures.invalidIndex().entrySet()) {
      JsonNode problem = assertRefused(Fixtures.invalidText(e.getKey()), 400, null);
      List<String> pointers = new ArrayList<>();
      problem.get("errors").forEach(err -> pointers.add(err.get("pointer").asText()));
      assertThat(pointers).as(e.getKey()).containsAll(e.getValue());
    }
  }

  @Test
  void terminalIdOrSequenceFromThePosIsRefusedNamingTheField() throws Exception {
    for (String field : List.of("terminalId", "sequence")) {
      ObjectNode sale = freshValid("sale.recorded.json");
      if (field.equals("sequence")) {
        sale.put(field, 5);
      } else {
        sale.put(field, TERMINAL);
      }
      JsonNode problem = assertRefused(sale.toString(), 400, "schema-invalid");
      assertThat(problem.get("errors").findValuesAsText("pointer")).contains("/" + field);
    }
  }

  @Test
  void bodyOverTheLimitIs413WithOrWithoutContentLength() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    ((ObjectNode) sale.get("payload")).put("observations", "x".repeat(5000));
    long rows = ledgerRows();
    long queued = outbound.queued();

    HttpResponse<String> sized = post(sale.toString());
    HttpResponse<String> chunked =
        send(
            HttpRequest.newBuilder(uri("/api/v1/operations"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () ->
                            new ByteArrayInputStream(
                                sale.toString().getBytes(StandardCharsets.UTF_8))))
                .build());

    for (HttpResponse<String> res : List.of(sized, chunked)) {
      assertThat(res.statusCode()).as(res.body()).isEqualTo(413);
      assertThat(res.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(json(res.body()).get("status").asInt()).isEqualTo(413);
    }
    assertThat(ledgerRows()).isEqualTo(rows);
    assertThat(outbound.queued()).isEqualTo(queued);
  }

  @Test
  void sameIdSamePayloadGivesTheStoredAnswerAgain() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    HttpResponse<String> first = post(sale.toString());
    assertThat(first.statusCode()).isEqualTo(202);
    long rows = ledgerRows();
    await().atMost(Duration.ofSeconds(10)).until(() -> outbound.queued() > 0);
    long queued = outbound.queued();

    // Same content, keys in another order and 7.0 for 7.00: still the same operation.
    String reordered =
        "{\"payload\":"
            + sale.get("payload").toString().replace("7.00", "7.0")
            + ",\"occurredAt\":\"2026-11-23T22:15:00+01:00\","
            + "\"operationId\":\""
            + sale.get("operationId").asText().toUpperCase()
            + "\",\"type\":\"sale.recorded\",\"schemaVersion\":1}";
    for (String body : List.of(sale.toString(), reordered)) {
      HttpResponse<String> again = post(body);
      assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
      assertThat(json(again.body())).isEqualTo(json(first.body()));
    }
    assertThat(ledgerRows()).isEqualTo(rows);
    assertThat(outbound.queued()).isEqualTo(queued);
  }

  @Test
  void sameIdDifferentPayloadIs409AndChangesNothing() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    assertThat(post(sale.toString()).statusCode()).isEqualTo(202);
    String id = sale.get("operationId").asText();
    LedgerEntry before = store.find(id).orElseThrow();

    ((ObjectNode) sale.get("payload")).put("observations", "table 5");
    assertRefused(sale.toString(), 409, "operation-id-conflict");

    assertThat(store.find(id).orElseThrow().envelopeJson()).isEqualTo(before.envelopeJson());
  }

  @Test
  void forgedCamelHeadersCannotSteerTheSend() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    HttpResponse<String> res =
        send(
            HttpRequest.newBuilder(uri("/api/v1/operations"))
                .header("Content-Type", "application/json")
                .header("CamelJmsDestinationName", "evil")
                .header("JMSXGroupID", "other-terminal")
                .header("_AMQ_DUPL_ID", "forged")
                .POST(HttpRequest.BodyPublishers.ofString(sale.toString()))
                .build());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    Message m = findInOutbound(sale.get("operationId").asText());
    assertThat(m.getStringProperty("JMSXGroupID")).isEqualTo(TERMINAL + ":critical");
    assertThat(m.getStringProperty("_AMQ_DUPL_ID")).isEqualTo(sale.get("operationId").asText());
  }

  @Test
  void lookupAnswers404ForUnknownAnd400ForMalformedIds() throws Exception {
    HttpResponse<String> unknown = get("/api/v1/operations/" + OperationIds.newV7());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(get("/api/v1/operations/not-a-uuid").statusCode()).isEqualTo(400);
  }

  @Test
  void concurrentPostsGetStrictlyIncreasingSequencesInQueueOrder() throws Exception {
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<String>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                  ObjectNode op = freshValid("sale.recorded.json");
                  HttpResponse<String> res = post(op.toString());
                  assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
                  ids.add(op.get("operationId").asText());
                }
                return ids;
              }));
    }
    List<String> posted = new ArrayList<>();
    for (Future<List<String>> f : futures) {
      posted.addAll(f.get());
    }
    pool.shutdown();

    List<Long> sequences = new ArrayList<>();
    for (String id : posted) {
      sequences.add(store.find(id).orElseThrow().sequence());
    }
    assertThat(sequences).doesNotHaveDuplicates();

    List<Message> queue = browseOutbound(IN_VM_ID);
    List<Long> queueOrder = new ArrayList<>();
    List<String> queuedIds = new ArrayList<>();
    for (Message m : queue) {
      // Order is kept per lane; these sales all travel in the critical one.
      if (posted.contains(m.getStringProperty("operationId"))) {
        queueOrder.add(Long.parseLong(m.getStringProperty("sequence")));
        queuedIds.add(m.getStringProperty("operationId"));
      }
    }
    assertThat(queuedIds).containsAll(posted);
    List<Long> sorted = new ArrayList<>(queueOrder);
    Collections.sort(sorted);
    assertThat(queueOrder)
        .as("queue order equals sequence order")
        .isEqualTo(sorted)
        .doesNotHaveDuplicates();
    // Group commit: concurrent sales shared Derby commits and JMS transactions.
    assertThat(meters.get("outpost.edge.append.group.size").summary().max())
        .as("largest group")
        .isGreaterThan(1);
  }

  @Test
  void repairResendsRowsThatNeverReachedTheQueue() throws Exception {
    String id = OperationIds.newV7().toString();
    long seq = 1_000_000;
    String envelope =
        "{\"operationId\":\""
            + id
            + "\",\"type\":\"sale.recorded\",\"schemaVersion\":1,\"terminalId\":\""
            + TERMINAL
            + "\",\"sequence\":"
            + seq
            + ",\"occurredAt\":\"2026-11-23T21:15:00Z\",\"payload\":"
            + Fixtures.valid("sale.recorded.json").get("payload")
            + "}";
    store.insert(
        new LedgerEntry(
            id,
            seq,
            "sale.recorded",
            1,
            "2026-11-23T21:15:00Z",
            Instant.now(),
            envelope,
            "0".repeat(64),
            LedgerStatus.QUEUED,
            null,
            null,
            null,
            null));
    assertThat(store.unqueued()).extracting(LedgerEntry::operationId).contains(id);

    appendStage.repairNow();

    Message m = findInOutbound(id);
    assertThat(((TextMessage) m).getText()).isEqualTo(envelope);
    assertThat(m.getStringProperty("sequence")).isEqualTo(Long.toString(seq));
    assertThat(store.find(id).orElseThrow().queuedAt()).isNotNull();
    assertThat(store.unqueued()).isEmpty();

    // The sequence counter moved past the inserted row: the next operation is numbered after it.
    HttpResponse<String> next = post(freshValid("sale.recorded.json").toString());
    assertThat(json(next.body()).get("sequence").asLong()).isGreaterThan(seq);
  }

  @Test
  void syncStatusShowsOfflineAndPendingWithBacklogAlert() throws Exception {
    for (int i = 0; i < 11; i++) {
      assertThat(post(freshValid("access.recorded.json").toString()).statusCode()).isEqualTo(202);
    }
    HttpResponse<String> res = get("/api/v1/sync/status");
    assertThat(res.statusCode()).isEqualTo(200);
    JsonNode status = json(res.body());
    assertThat(status.get("terminalId").asText()).isEqualTo(TERMINAL);
    assertThat(status.get("online").asBoolean()).isFalse();
    assertThat(status.get("pending").asLong())
        .isEqualTo(store.counts().queued())
        .isGreaterThanOrEqualTo(11);
    assertThat(status.get("queued").asLong()).isGreaterThanOrEqualTo(11);
    assertThat(status.get("forwarded").asLong()).isZero();
    assertThat(status.get("accepted").asLong()).isZero();
    assertThat(status.get("lastForwardedAt").isNull()).isTrue();
    List<String> alerts = new ArrayList<>();
    status.get("alerts").forEach(a -> alerts.add(a.asText()));
    assertThat(alerts).contains("PENDING_BACKLOG");
  }

  @Test
  void whenTheQueueRefusesTheSendTheAnswerIs503AndNothingIsRecorded() throws Exception {
    HierarchicalRepository<AddressSettings> settings =
        broker.server().getAddressSettingsRepository();
    AddressSettings original =
        settings.getMatch(Destinations.outbound(dev.outpost.contracts.Lane.CRITICAL));
    assertThat(post(freshValid("sale.recorded.json").toString()).statusCode()).isEqualTo(202);
    ObjectNode sale = freshValid("sale.recorded.json");
    String id = sale.get("operationId").asText();
    // What a full disk looks like to a producer: the address refuses every send.
    settings.addMatch(
        Destinations.outbound(dev.outpost.contracts.Lane.CRITICAL),
        new AddressSettings()
            .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL)
            .setMaxSizeBytes(1));
    try {
      JsonNode problem = assertRefused(sale.toString(), 503, "queue-unavailable");
      assertThat(problem.get("detail").asText()).contains("not recorded");
      assertThat(store.find(id)).isEmpty();
    } finally {
      settings.addMatch(Destinations.outbound(dev.outpost.contracts.Lane.CRITICAL), original);
    }
    // Retrying the same operation later works, and its sequence follows the refused one's.
    HttpResponse<String> retry = post(sale.toString());
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
    findInOutbound(id);
  }

  private JsonNode assertRefused(String body, int status, String slug) throws Exception {
    long rows = ledgerRows();
    long queued = outbound.queued();
    HttpResponse<String> res = post(body);
    assertThat(res.statusCode()).as(body + " -> " + res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = Contracts.mapper().readTree(res.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).isNotBlank();
    assertThat(problem.get("type").asText()).startsWith("https://outpost.dev/problems/");
    if (slug != null) {
      assertThat(problem.get("type").asText()).endsWith("/" + slug);
    }
    assertThat(ledgerRows()).as("ledger rows after " + body).isEqualTo(rows);
    assertThat(outbound.queued()).as("queue depth after " + body).isEqualTo(queued);
    return problem;
  }

  private Message findInOutbound(String operationId) throws Exception {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              for (Message m : browseOutbound(IN_VM_ID)) {
                if (operationId.equals(m.getStringProperty("operationId"))) {
                  return m;
                }
              }
              return null;
            },
            java.util.Objects::nonNull);
  }
}
