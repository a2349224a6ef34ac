package dev.outpost.central.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outpost.central.CentralTestEnv;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Fixtures;
import dev.outpost.contracts.RejectReason;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The bad-input catalogue for messages arriving at central's broker, on its real PostgreSQL and
 * Artemis (security on): the test sends as a terminal's bridge does (logged in as the terminal, to
 * its own {@code outpost.ops.in.<terminal>}, grouped by that address) and checks that each bad
 * message ends in {@code outpost.ops.DLQ} with its documented reason and its body, that nothing of
 * it reached PostgreSQL, and that the next good message is applied (central keeps serving). Nothing
 * a client does here may end as a stuck consumer or a broker-side POISON after its redeliveries.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BrokerBadInputTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("broker-bad-input");
  static final String TILL = "bad-till-a";
  static final String OTHER = "bad-till-b";
  static final AtomicLong SEQUENCE = new AtomicLong();

  /** What "nothing was written" is measured by: every table and counter the ingest writes. */
  static final List<String> WRITES =
      List.of(
          "select count(*) from operations",
          "select count(*) from sales",
          "select count(*) from sale_lines",
          "select count(*) from box_office_sales",
          "select count(*) from access_events",
          "select count(*) from match_events",
          "select count(*) from stock_movements",
          "select count(*) from entity_records",
          "select count(*) from conflicts",
          "select coalesce(sum(consumed), 0) from visits",
          "select coalesce(sum(quantity), 0) from stock_levels",
          "select coalesce(sum(last_sequence), 0) || '/' || count(*) from terminals");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
    // One consumer, so the mixed batch below is provably one batch (each terminal's order holds
    // with any number, message groups pin a terminal to one consumer).
    r.add("outpost.ingest.consumers", () -> 1);
  }

  @Autowired ConnectionFactory cf;
  @Autowired JdbcTemplate jdbc;
  @Autowired InboundBatchConsumer consumer;

  /** Enrolled before anything is counted: enrolling writes the terminal's row. */
  @BeforeEach
  void enrolled() throws Exception {
    ENV.enrolled(TILL);
    ENV.enrolled(OTHER);
  }

  // ---------------------------------------------------------------------------------------------
  // The catalogue: each is dead-lettered with its reason, writes nothing, and central goes on.

  static Stream<Arguments> rejected() {
    List<Arguments> c = new ArrayList<>();
    // Text encoding. A bridge forwards the terminal's JMS text messages; central takes
    // operations as text only, so any other body type is refused, its bytes kept as UTF-8 text
    // in the dead letter (replayable once fixed).
    c.add(
        rejects(
            "invalid UTF-8 inside a JSON string (BytesMessage)",
            Sent.bytes(withRawBytes(sale(TILL), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF})),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "well-formed JSON as a BytesMessage",
            Sent.bytes(sale(TILL).toString().getBytes(StandardCharsets.UTF_8)),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "UTF-8 BOM before the JSON (text)",
            Sent.text("\uFEFF" + sale(TILL)),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "UTF-8 BOM before the JSON (bytes)",
            Sent.bytes(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, sale(TILL))),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "U+0000 inside a JSON string",
            Sent.text(raw(sale(TILL), "/payload/observations", "\"table\\u00004\"")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "an unpaired surrogate inside a JSON string",
            Sent.text(raw(sale(TILL), "/payload/observations", "\"table \\ud800 4\"")),
            RejectReason.SCHEMA_INVALID));

    // Numbers.
    c.add(
        rejects(
            "total 1e999999999",
            Sent.text(raw(sale(TILL), "/payload/total", "1e999999999")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "quantity 1e999999999",
            Sent.text(raw(sale(TILL), "/payload/lines/0/quantity", "1e999999999")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a 40-digit quantity",
            Sent.text(raw(sale(TILL), "/payload/lines/0/quantity", "1".repeat(40))),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a 40-digit total",
            Sent.text(raw(sale(TILL), "/payload/total", "9".repeat(40) + ".00")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a unit price with 40 decimals",
            Sent.text(raw(sale(TILL), "/payload/lines/0/unitPrice", "3." + "5".repeat(40))),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a 40-digit stock delta",
            Sent.text(raw(stock(TILL), "/payload/delta", "-" + "1".repeat(40))),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a number where a string is expected (braceletId)",
            Sent.text(raw(sale(TILL), "/payload/braceletId", "1001")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a number where a string is expected (terminalId)",
            Sent.text(raw(sale(TILL), "/terminalId", "42")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a string where a number is expected (quantity)",
            Sent.text(raw(sale(TILL), "/payload/lines/0/quantity", "\"2\"")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a string where a number is expected (total)",
            Sent.text(raw(sale(TILL), "/payload/total", "\"7.00\"")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a string where a number is expected (sequence)",
            Sent.text(raw(sale(TILL), "/sequence", "\"1\"")),
            RejectReason.SCHEMA_INVALID));

    // Operation ids: v7 or v4 only (docs/semantics.md "Identity of an operation").
    c.add(
        rejects(
            "nil UUID as operationId",
            Sent.text(raw(sale(TILL), "/operationId", "\"00000000-0000-0000-0000-000000000000\"")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "max UUID as operationId",
            Sent.text(raw(sale(TILL), "/operationId", "\"ffffffff-ffff-ffff-ffff-ffffffffffff\"")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "v1 UUID as operationId",
            Sent.text(raw(sale(TILL), "/operationId", "\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\"")),
            RejectReason.SCHEMA_INVALID));

    // Time that is not a time at all (a real but odd instant is applied, see below).
    c.add(
        rejects(
            "occurredAt without an offset",
            Sent.text(raw(sale(TILL), "/occurredAt", "\"2026-11-23T21:15:00\"")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "occurredAt on 30 February",
            Sent.text(raw(sale(TILL), "/occurredAt", "\"2026-02-30T21:15:00Z\"")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "occurredAt in the year 10000",
            Sent.text(raw(sale(TILL), "/occurredAt", "\"+10000-01-01T00:00:00Z\"")),
            RejectReason.SCHEMA_INVALID));

    // Versions and types.
    c.add(
        rejects(
            "unknown schemaVersion",
            Sent.text(raw(sale(TILL), "/schemaVersion", "2")),
            RejectReason.UNSUPPORTED_VERSION));
    c.add(
        rejects(
            "schemaVersion out of range",
            Sent.text(raw(sale(TILL), "/schemaVersion", "1001")),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "unknown type",
            Sent.text(raw(sale(TILL), "/type", "\"coffee.brewed\"")),
            RejectReason.SCHEMA_INVALID));

    // Not an operation at all.
    c.add(rejects("a JSON array", Sent.text("[]"), RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a good operation inside an array",
            Sent.text("[" + sale(TILL) + "]"),
            RejectReason.SCHEMA_INVALID));
    c.add(rejects("a JSON string", Sent.text("\"sale\""), RejectReason.SCHEMA_INVALID));
    c.add(rejects("JSON null", Sent.text("null"), RejectReason.SCHEMA_INVALID));
    c.add(rejects("a JSON number", Sent.text("42"), RejectReason.SCHEMA_INVALID));
    c.add(rejects("an empty body", Sent.text(""), RejectReason.SCHEMA_INVALID));
    c.add(rejects("a text message without a body", Sent.text(null), RejectReason.SCHEMA_INVALID));
    c.add(rejects("not JSON", Sent.text("sale: 7.00"), RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a good operation followed by trailing garbage",
            Sent.text(sale(TILL) + " x"),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "two good operations in one body",
            Sent.text(sale(TILL).toString() + sale(TILL)),
            RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "a key twice",
            Sent.text(sale(TILL).toString().replaceFirst("\\{", "{\"sequence\":1,")),
            RejectReason.SCHEMA_INVALID));
    c.add(rejects("100,000 [", Sent.text("[".repeat(100_000)), RejectReason.SCHEMA_INVALID));
    c.add(
        rejects(
            "100,000 nested arrays inside a good operation",
            Sent.text(
                raw(
                    sale(TILL),
                    "/payload/observations",
                    "[".repeat(100_000) + "]".repeat(100_000))),
            RejectReason.SCHEMA_INVALID));

    // Who wrote it.
    c.add(
        rejects(
            "another terminal's terminalId",
            Sent.text(sale(OTHER).toString()),
            RejectReason.TERMINAL_MISMATCH));
    c.add(
        rejects(
            "a terminalId that is no terminal id",
            Sent.text(raw(sale(TILL), "/terminalId", "\"../" + TILL + "\"")),
            RejectReason.SCHEMA_INVALID));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void isDeadLetteredWithItsReasonWritesNothingAndCentralGoesOn(
      String name, Sent sent, RejectReason reason) throws Exception {
    List<String> before = writes();

    send(TILL, sent);

    Message dead = nextDeadLetter();
    assertThat(dead.getStringProperty(Destinations.HDR_REASON))
        .as("%s: %s", name, dead.getStringProperty(Destinations.HDR_DETAIL))
        .isEqualTo(reason.name());
    assertThat(bodyOf(dead)).as("the body, kept").isEqualTo(sent.asText());
    assertThat(dead.getStringProperty(Destinations.HDR_ORIGINAL_ADDRESS))
        .isEqualTo(Destinations.opsIn(TILL));
    assertThat(dead.getStringProperty(Destinations.HDR_SOURCE)).isEqualTo("bridge");
    assertThat(dead.getIntProperty(Destinations.HDR_DELIVERY_COUNT))
        .as("refused at once, not after redeliveries")
        .isEqualTo(1);
    // The dead letter is sent in the transaction PostgreSQL committed before: all is written.
    assertThat(writes()).as("nothing written for " + name).isEqualTo(before);

    assertApplied(TILL, sendGood(TILL));
  }

  // ---------------------------------------------------------------------------------------------
  // Time: central does not refuse by time (docs/semantics.md "Time"); the terminal did.

  static Stream<Arguments> oddButRealInstants() {
    return Stream.of(
        Arguments.of("1970-01-01T00:00:00Z"),
        Arguments.of("2999-12-31T23:59:59Z"),
        Arguments.of("9999-12-31T23:59:59Z"),
        Arguments.of("9999-12-31T23:59:59-12:00"));
  }

  @ParameterizedTest(name = "occurredAt {0}")
  @MethodSource("oddButRealInstants")
  void anOddOccurredAtIsAppliedAsItCame(String occurredAt) throws Exception {
    ObjectNode sale = sale(TILL).put("occurredAt", occurredAt);
    send(TILL, Sent.text(sale.toString()));

    String id = sale.get("operationId").asText();
    assertApplied(TILL, id);
    OffsetDateTime stored =
        jdbc.queryForObject(
            "select occurred_at from operations where operation_id = ?::uuid",
            OffsetDateTime.class,
            id);
    assertThat(stored.toInstant()).isEqualTo(OffsetDateTime.parse(occurredAt).toInstant());
    assertNoDeadLetter();
  }

  // ---------------------------------------------------------------------------------------------
  // One operation id, two contents (docs/semantics.md "Exactly once": BUSINESS_RULE).

  @Test
  void theSameOperationIdWithOtherContentIsRefusedAndTheStoredOneStays() throws Exception {
    ObjectNode original = sale("conflict-till-a");
    String id = original.get("operationId").asText();
    send("conflict-till-a", Sent.text(original.toString()));
    assertApplied("conflict-till-a", id);
    ENV.enrolled("conflict-till-b");
    List<String> before = writes();

    ObjectNode changed = original.deepCopy();
    ((ObjectNode) changed.at("/payload/lines/0")).put("quantity", 3);
    ((ObjectNode) changed.get("payload")).put("total", new BigDecimal("10.50"));
    send("conflict-till-a", Sent.text(changed.toString()));
    Message dead = nextDeadLetter();
    assertThat(dead.getStringProperty(Destinations.HDR_REASON)).isEqualTo("BUSINESS_RULE");
    assertThat(dead.getStringProperty(Destinations.HDR_OPERATION_ID)).isEqualTo(id);

    // Another terminal reusing the id: not its operation either.
    ObjectNode elsewhere = original.deepCopy().put("terminalId", "conflict-till-b");
    send("conflict-till-b", Sent.text(elsewhere.toString()));
    dead = nextDeadLetter();
    assertThat(dead.getStringProperty(Destinations.HDR_REASON)).isEqualTo("BUSINESS_RULE");
    assertThat(dead.getStringProperty(Destinations.HDR_TERMINAL_ID)).isEqualTo("conflict-till-b");

    // The same operation again is a duplicate, not a rejection.
    send("conflict-till-a", Sent.text(original.toString()));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> receipts("conflict-till-a").stream().anyMatch(r -> isDuplicate(r, id)));
    assertThat(writes()).isEqualTo(before);
    assertThat(
            jdbc.queryForObject(
                "select quantity from sale_lines where operation_id = ?::uuid", Integer.class, id))
        .isEqualTo(2);
    assertNoDeadLetter();
  }

  // ---------------------------------------------------------------------------------------------
  // Forged internal headers change nothing: the good one applied, the bad one refused as without.

  static Stream<Arguments> forgedHeaders() {
    String other = Destinations.opsIn(OTHER);
    Map<String, String> all = new LinkedHashMap<>();
    List<Arguments> c = new ArrayList<>();
    for (Map<String, String> h :
        List.of(
            // The ingest route's own Camel header (set by IngestCycle, never from a message).
            Map.of(IngestBatchRoute.ALSO_IN_TRANSACTION, "x"),
            // Dead-letter headers central writes itself.
            Map.of(
                Destinations.HDR_REASON, "POISON",
                Destinations.HDR_DETAIL, "forged",
                Destinations.HDR_SOURCE, "import",
                Destinations.HDR_ORIGINAL_ADDRESS, other,
                Destinations.HDR_DELIVERY_COUNT, "49",
                Destinations.HDR_REPLAY_COUNT, "7",
                Destinations.HDR_FAILED_AT, "1970-01-01T00:00:00Z",
                Destinations.HDR_FIRST_FAILED_AT, "1970-01-01T00:00:00Z"),
            // Operation headers naming someone else.
            Map.of(
                Destinations.HDR_OPERATION_ID,
                UUID.randomUUID().toString(),
                Destinations.HDR_TERMINAL_ID,
                OTHER,
                Destinations.HDR_TYPE,
                "record.deleted",
                Destinations.HDR_SEQUENCE,
                "1"),
            // The broker's: the sender (central compares it with the envelope), group, duplicate
            // id, delivery count, the address a broker dead letter came from.
            Map.of("_AMQ_VALIDATED_USER", OTHER),
            Map.of("_AMQ_GROUP_ID", other, "JMSXGroupID", other),
            Map.of("_AMQ_DUPL_ID", UUID.randomUUID().toString()),
            Map.of("JMSXDeliveryCount", "50", "_AMQ_ORIG_ADDRESS", Destinations.OPS_DLQ),
            // Camel's JMS steering headers (central reads no message through camel-jms).
            Map.of("CamelJmsDestinationName", Destinations.OPS_DLQ))) {
      c.add(Arguments.of(String.join(", ", h.keySet()), h));
      all.putAll(h);
    }
    all.put("_AMQ_DUPL_ID", UUID.randomUUID().toString());
    c.add(Arguments.of("all of them at once", all));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgedHeaders")
  void forgedHeadersChangeNothing(String name, Map<String, String> forged) throws Exception {
    ObjectNode good = sale(TILL);
    send(TILL, Sent.text(good.toString()).with(forged));
    String id = good.get("operationId").asText();
    assertApplied(TILL, id);
    assertThat(
            jdbc.queryForObject(
                "select terminal_id || '/' || source from operations where operation_id = ?::uuid",
                String.class,
                id))
        .isEqualTo(TILL + "/bridge");
    assertNoDeadLetter();

    List<String> before = writes();
    ObjectNode bad = sale(TILL);
    ((ObjectNode) bad.at("/payload/lines/0")).put("quantity", "two");
    send(TILL, Sent.text(bad.toString()).with(forged));
    Message dead = nextDeadLetter();
    assertThat(dead.getStringProperty(Destinations.HDR_REASON)).isEqualTo("SCHEMA_INVALID");
    assertThat(dead.getStringProperty(Destinations.HDR_SOURCE)).isEqualTo("bridge");
    assertThat(dead.getStringProperty(Destinations.HDR_TERMINAL_ID)).isEqualTo(TILL);
    assertThat(dead.getStringProperty(Destinations.HDR_OPERATION_ID))
        .isEqualTo(bad.get("operationId").asText());
    assertThat(dead.getStringProperty(Destinations.HDR_ORIGINAL_ADDRESS))
        .isEqualTo(Destinations.opsIn(TILL));
    assertThat(dead.getIntProperty(Destinations.HDR_DELIVERY_COUNT)).isEqualTo(1);
    assertThat(dead.getIntProperty(Destinations.HDR_REPLAY_COUNT)).isZero();

    // Writing as the terminal the forged headers name is still writing as another.
    ObjectNode asOther = sale(OTHER);
    send(TILL, Sent.text(asOther.toString()).with(forged));
    dead = nextDeadLetter();
    assertThat(dead.getStringProperty(Destinations.HDR_REASON)).isEqualTo("TERMINAL_MISMATCH");
    assertThat(writes()).isEqualTo(before);
  }

  @Test
  void theSameDuplicateIdFromTwoTerminalsDropsNeither() throws Exception {
    String dupl = UUID.randomUUID().toString();
    ObjectNode mine = sale(TILL);
    ObjectNode theirs = sale(OTHER);
    send(TILL, new Sent(mine.toString(), null, Map.of("_AMQ_DUPL_ID", dupl)));
    send(OTHER, new Sent(theirs.toString(), null, Map.of("_AMQ_DUPL_ID", dupl)));
    assertApplied(TILL, mine.get("operationId").asText());
    assertApplied(OTHER, theirs.get("operationId").asText());
    assertNoDeadLetter();
  }

  // ---------------------------------------------------------------------------------------------
  // Bad ones in one batch with good ones of the same and another terminal.

  @Test
  void inAMixedBatchOnlyTheBadOnesAreRejectedAndEveryGoodOneIsAppliedOnce() throws Exception {
    String a = "mix-till-a";
    String b = "mix-till-b";
    ObjectNode a1 = sale(a);
    ObjectNode a2 = sale(a);
    ObjectNode a3 = sale(a);
    ObjectNode b1 = sale(b);
    ObjectNode b2 = sale(b);
    ObjectNode unknownBracelet = sale(a);
    ((ObjectNode) unknownBracelet.get("payload")).put("braceletId", "B-NOPE");
    ObjectNode schemaInvalid = sale(a);
    ((ObjectNode) schemaInvalid.at("/payload/lines/0")).put("quantity", "two");
    ObjectNode reusedId = a1.deepCopy();
    ((ObjectNode) reusedId.get("payload")).put("observations", "another sale");
    ObjectNode asB = sale(b);
    ObjectNode nilId = sale(b).put("operationId", "00000000-0000-0000-0000-000000000000");
    ObjectNode bytes = sale(a);

    Map<String, String> expectedReasons = new LinkedHashMap<>();
    expectedReasons.put(schemaInvalid.toString(), "SCHEMA_INVALID");
    expectedReasons.put(unknownBracelet.toString(), "UNKNOWN_REFERENCE");
    expectedReasons.put(reusedId.toString(), "BUSINESS_RULE");
    expectedReasons.put(asB.toString(), "TERMINAL_MISMATCH");
    expectedReasons.put("not json", "SCHEMA_INVALID");
    expectedReasons.put(bytes.toString(), "SCHEMA_INVALID");
    expectedReasons.put(nilId.toString(), "SCHEMA_INVALID");
    BigDecimal consumedBefore = consumed();

    // Held back while both terminals' messages are put on the queue, so one batch takes them all.
    consumer.stop();
    try {
      send(
          a,
          Sent.text(a1.toString()),
          Sent.text(schemaInvalid.toString()),
          Sent.text(a2.toString()),
          Sent.text(unknownBracelet.toString()),
          Sent.text(a1.toString()), // a redelivery: DUPLICATE, not a rejection
          Sent.text(reusedId.toString()),
          Sent.bytes(bytes.toString().getBytes(StandardCharsets.UTF_8)),
          Sent.text("not json"),
          Sent.text(asB.toString()),
          Sent.text(a3.toString()));
      send(b, Sent.text(b1.toString()), Sent.text(nilId.toString()), Sent.text(b2.toString()));
    } finally {
      consumer.start();
    }

    Map<String, String> reasons = new LinkedHashMap<>();
    for (int i = 0; i < expectedReasons.size(); i++) {
      Message dead = nextDeadLetter();
      reasons.put(bodyOf(dead), dead.getStringProperty(Destinations.HDR_REASON));
    }
    assertThat(reasons).isEqualTo(expectedReasons);
    assertNoDeadLetter();
    for (ObjectNode good : List.of(a1, a2, a3, b1, b2)) {
      String id = good.get("operationId").asText();
      String terminal = good.get("terminalId").asText();
      assertThat(count("select count(*) from operations where operation_id = ?::uuid", id))
          .isEqualTo(1);
      assertThat(count("select count(*) from sales where operation_id = ?::uuid", id))
          .as("applied once: %s of %s", id, terminal)
          .isEqualTo(1);
    }
    assertThat(consumed()).isEqualByComparingTo(consumedBefore.add(new BigDecimal("35.00")));

    // One receipt message per terminal: the batch was one, and every operation with a readable
    // id got its answer (the body that is not JSON names none).
    List<JsonNode> ofA = receipts(a);
    assertThat(ofA).hasSize(1);
    assertThat(outcomes(ofA.get(0)))
        .containsExactly(
            a1.get("operationId").asText() + " ACCEPTED",
            schemaInvalid.get("operationId").asText() + " REJECTED SCHEMA_INVALID",
            a2.get("operationId").asText() + " ACCEPTED",
            unknownBracelet.get("operationId").asText() + " REJECTED UNKNOWN_REFERENCE",
            a1.get("operationId").asText() + " DUPLICATE",
            a1.get("operationId").asText() + " REJECTED BUSINESS_RULE",
            bytes.get("operationId").asText() + " REJECTED SCHEMA_INVALID",
            asB.get("operationId").asText() + " REJECTED TERMINAL_MISMATCH",
            a3.get("operationId").asText() + " ACCEPTED");
    List<JsonNode> ofB = receipts(b);
    assertThat(ofB).hasSize(1);
    assertThat(outcomes(ofB.get(0)))
        .containsExactly(
            b1.get("operationId").asText() + " ACCEPTED",
            "00000000-0000-0000-0000-000000000000 REJECTED SCHEMA_INVALID",
            b2.get("operationId").asText() + " ACCEPTED");

    assertApplied(a, sendGood(a));
  }

  // ---------------------------------------------------------------------------------------------
  // Messages as the test sends them.

  /** One message as a bridge could deliver it: a text body (null: none), or raw bytes. */
  record Sent(String text, byte[] bytes, Map<String, String> headers) {
    static Sent text(String body) {
      return new Sent(body, null, Map.of());
    }

    static Sent bytes(byte[] body) {
      return new Sent(null, body, Map.of());
    }

    /**
     * With these headers; a forged {@code _AMQ_DUPL_ID} is made fresh for each message, since the
     * broker drops a terminal's second message carrying an id it has already seen.
     */
    Sent with(Map<String, String> forged) {
      Map<String, String> h = new LinkedHashMap<>(forged);
      h.computeIfPresent("_AMQ_DUPL_ID", (k, v) -> v + "-" + UUID.randomUUID());
      return new Sent(text, bytes, h);
    }

    /** The body as central keeps it in a dead letter: bytes read as UTF-8. */
    String asText() {
      return bytes == null ? text : new String(bytes, StandardCharsets.UTF_8);
    }

    ClientMessage toMessage(ClientSession session, String terminal) {
      byte type =
          bytes == null
              ? org.apache.activemq.artemis.api.core.Message.TEXT_TYPE
              : org.apache.activemq.artemis.api.core.Message.BYTES_TYPE;
      ClientMessage m = CentralTestEnv.asBridgeSends(session, terminal, type);
      if (bytes == null) {
        m.getBodyBuffer().writeNullableSimpleString(text == null ? null : SimpleString.of(text));
      } else {
        m.getBodyBuffer().writeBytes(bytes);
      }
      headers.forEach(m::putStringProperty);
      return m;
    }

    @Override
    public String toString() {
      String s = asText();
      return s == null ? "(no body)" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
  }

  private static void send(String terminal, Sent... messages) throws Exception {
    ENV.sendAsBridge(
        terminal,
        (session, producer) -> {
          for (Sent s : messages) {
            producer.send(s.toMessage(session, terminal));
          }
        });
  }

  private String sendGood(String terminal) throws Exception {
    ObjectNode good = sale(terminal);
    send(terminal, Sent.text(good.toString()));
    return good.get("operationId").asText();
  }

  private static Arguments rejects(String name, Sent sent, RejectReason reason) {
    return Arguments.of(name, sent, reason);
  }

  static ObjectNode sale(String terminal) {
    return envelope("sale.recorded.json", terminal);
  }

  static ObjectNode stock(String terminal) {
    return envelope("stock.adjusted.json", terminal);
  }

  private static ObjectNode envelope(String fixture, String terminal) {
    ObjectNode doc = Fixtures.valid(fixture);
    doc.put("operationId", UUID.randomUUID().toString());
    doc.put("terminalId", terminal);
    doc.put("sequence", SEQUENCE.incrementAndGet());
    doc.put("schemaVersion", 1);
    return doc;
  }

  /** The document as text with the value at {@code pointer} replaced by raw JSON text. */
  static String raw(ObjectNode doc, String pointer, String rawJson) {
    String marker = "@@raw-" + UUID.randomUUID() + "@@";
    int slash = pointer.lastIndexOf('/');
    JsonNode parent =
        pointer.substring(0, slash).isEmpty() ? doc : doc.at(pointer.substring(0, slash));
    String field = pointer.substring(slash + 1);
    if (parent.isArray()) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) parent)
          .set(Integer.parseInt(field), TextNode.valueOf(marker));
    } else {
      ((ObjectNode) parent).put(field, marker);
    }
    return doc.toString().replace("\"" + marker + "\"", rawJson);
  }

  /** The document as UTF-8 with {@code bad} bytes in the middle of its observations string. */
  static byte[] withRawBytes(ObjectNode doc, byte[] bad) {
    String[] parts = raw(doc, "/payload/observations", "\"table @@bytes@@ 4\"").split("@@bytes@@");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(parts[0].getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bad);
    out.writeBytes(parts[1].getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static byte[] concat(byte[] prefix, ObjectNode doc) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(prefix);
    out.writeBytes(doc.toString().getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  // ---------------------------------------------------------------------------------------------
  // What central did.

  private Message nextDeadLetter() throws Exception {
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer dlq = s.createConsumer(s.createQueue(Destinations.OPS_DLQ));
      Message m = dlq.receive(20_000);
      assertThat(m).as("a dead letter").isNotNull();
      bodyOf(m); // read before the session closes
      return m;
    }
  }

  private void assertNoDeadLetter() throws Exception {
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      var e = s.createBrowser(s.createQueue(Destinations.OPS_DLQ)).getEnumeration();
      assertThat(e.hasMoreElements() ? bodyOf((Message) e.nextElement()) : "none")
          .as("dead letters")
          .isEqualTo("none");
    }
  }

  private static String bodyOf(Message m) throws Exception {
    if (m instanceof TextMessage t) {
      return t.getText();
    }
    if (m instanceof BytesMessage b) {
      b.reset();
      byte[] bytes = new byte[(int) b.getBodyLength()];
      b.readBytes(bytes);
      return "(bytes) " + new String(bytes, StandardCharsets.UTF_8);
    }
    return "(" + m.getClass().getSimpleName() + ")";
  }

  /** Every receipt message waiting for the terminal, each a receipt batch. */
  private List<JsonNode> receipts(String terminal) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer q = s.createConsumer(s.createQueue(Destinations.receipts(terminal)));
      for (Message m = q.receive(10_000); m != null; m = q.receive(500)) {
        out.add(Contracts.mapper().readTree(((TextMessage) m).getText()));
      }
    }
    return out;
  }

  private static boolean isDuplicate(JsonNode batch, String id) {
    for (JsonNode r : batch.get("receipts")) {
      if (r.get("operationId").asText().equals(id)
          && "DUPLICATE".equals(r.get("outcome").asText())) {
        return true;
      }
    }
    return false;
  }

  private static List<String> outcomes(JsonNode batch) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : batch.get("receipts")) {
      String reason = r.path("reason").isTextual() ? " " + r.get("reason").asText() : "";
      out.add(r.get("operationId").asText() + " " + r.get("outcome").asText() + reason);
    }
    return out;
  }

  private void assertApplied(String terminal, String id) {
    await("applied: " + id)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                count(
                        "select count(*) from sales s join operations o using (operation_id)"
                            + " where o.operation_id = ?::uuid and o.terminal_id = '"
                            + terminal
                            + "'",
                        id)
                    == 1);
  }

  private List<String> writes() {
    return WRITES.stream().map(sql -> jdbc.queryForObject(sql, String.class)).toList();
  }

  private BigDecimal consumed() {
    return jdbc.queryForObject(
        "select consumed from visits where bracelet_id = 'B-1001' and closed_at is null",
        BigDecimal.class);
  }

  private int count(String sql, String id) {
    Integer n = jdbc.queryForObject(sql, Integer.class, id);
    return n == null ? 0 : n;
  }
}
