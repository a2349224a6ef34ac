package dev.outpost.central.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.CentralTestEnv;
import dev.outpost.central.ingest.InboundMessage;
import dev.outpost.central.ingest.IngestResult;
import dev.outpost.central.ingest.OperationApplier;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Outcome;
import dev.outpost.contracts.RejectReason;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The semantics of generic records and stock on real PostgreSQL, through the real ingest path
 * (OperationApplier, as the broker consumer calls it). Property-style: the same set of operations
 * delivered in random orders, with duplicates and late arrivals, must end in the state a single
 * ordered delivery gives, for LAST_WRITE_WINS, MERGE and stock deltas; the guarded policies give
 * their documented result.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RecordSemanticsTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("central-records");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
    r.add(
        "outpost.conflicts.policies",
        () ->
            "customer=LAST_WRITE_WINS,customer-note=MERGE,supplier=MANUAL,price-override=REJECT,vendor=CENTRAL_WINS");
  }

  @Autowired OperationApplier applier;
  @Autowired JdbcTemplate jdbc;
  @Autowired TestRestTemplate http;

  private static final String[] TERMINALS = {"till-a", "till-b", "till-c"};
  private static final String[] FIELDS = {"name", "phone", "city"};

  /** One generated change of a logical record (0..2), independent of the trial's ids. */
  record Change(
      int record,
      int terminal,
      boolean delete,
      long atSecond,
      Map<String, String> data,
      int index) {}

  @Test
  void lastWriteWinsEndsTheSameWhateverTheArrivalOrder() {
    propertyHolds("customer", 1);
  }

  @Test
  void mergeEndsTheSameWhateverTheArrivalOrder() {
    propertyHolds("customer-note", 2);
  }

  private void propertyHolds(String entity, long seed) {
    Random random = new Random(seed);
    List<Change> changes = generate(random, 40);
    // Reference: a single delivery in version order.
    List<Change> ordered = new ArrayList<>(changes);
    ordered.sort(
        Comparator.comparingLong(Change::atSecond)
            .thenComparing(c -> TERMINALS[c.terminal()])
            .thenComparingInt(Change::index));
    Map<Integer, String> expected = runTrial(entity, 0, ordered);
    for (int trial = 1; trial <= 6; trial++) {
      List<Change> delivery = new ArrayList<>(changes);
      Collections.shuffle(delivery, random);
      // Duplicates (a redelivery) and late arrivals (an old change again at the end).
      for (int d = 0; d < 5; d++) {
        delivery.add(random.nextInt(delivery.size()), changes.get(random.nextInt(changes.size())));
        delivery.add(changes.get(random.nextInt(changes.size())));
      }
      if (trial == 1) {
        Collections.reverse(delivery); // the latest first, everything else late
      }
      assertThat(runTrial(entity, trial, delivery))
          .as(entity + " trial " + trial)
          .isEqualTo(expected);
    }
  }

  /**
   * Applies the changes in the given order with this trial's ids; returns each record's final
   * state.
   */
  private Map<Integer, String> runTrial(String entity, int trial, List<Change> delivery) {
    long msb = 0x7000_0000_0000_0000L | ((long) (trial + 1) << 32) | (entity.hashCode() & 0xffffL);
    int batchSize = 1 + trial % 4; // batches of different sizes, as the consumer makes them
    for (int i = 0; i < delivery.size(); i += batchSize) {
      List<InboundMessage> batch = new ArrayList<>();
      for (Change c : delivery.subList(i, Math.min(delivery.size(), i + batchSize))) {
        batch.add(message(entity, msb, c));
      }
      applier
          .applyBatch(batch)
          .forEach(r -> assertThat(r.rejected()).as(String.valueOf(r.detail())).isFalse());
    }
    Map<Integer, String> state = new LinkedHashMap<>();
    for (int record = 0; record < 3; record++) {
      List<Map<String, Object>> rows =
          jdbc.queryForList(
              "select data::text as data, deleted from entity_records where entity = ? and id = ?",
              entity,
              recordId(msb, record));
      state.put(
          record,
          rows.isEmpty()
              ? "absent"
              : canonical((String) rows.get(0).get("data"))
                  + " deleted="
                  + rows.get(0).get("deleted"));
    }
    return state;
  }

  private List<Change> generate(Random random, int count) {
    List<Change> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean delete = random.nextInt(6) == 0;
      Map<String, String> data = new LinkedHashMap<>();
      if (!delete) {
        for (String f : FIELDS) {
          if (random.nextBoolean()) {
            data.put(f, f + "-" + random.nextInt(100));
          }
        }
        if (data.isEmpty()) {
          data.put("name", "n-" + i);
        }
      }
      // Few distinct seconds, so equal timestamps happen and the tie-break is exercised.
      out.add(
          new Change(
              random.nextInt(3),
              random.nextInt(TERMINALS.length),
              delete,
              random.nextInt(12),
              data,
              i));
    }
    return out;
  }

  private InboundMessage message(String entity, long msb, Change c) {
    String terminal = TERMINALS[c.terminal()];
    ObjectNode payload = Contracts.mapper().createObjectNode();
    payload.put("entity", entity);
    payload.put("id", recordId(msb, c.record()).toString());
    payload.put(
        "updatedAt", Instant.parse("2026-11-23T10:00:00Z").plusSeconds(c.atSecond()).toString());
    if (!c.delete()) {
      ObjectNode data = payload.putObject("data");
      c.data().forEach(data::put);
    }
    ObjectNode env = Contracts.mapper().createObjectNode();
    // A v7 id with the RFC variant (the contract refuses others); the entity's hash bits that
    // the version digit covers move to the low half, so ids stay unique per entity.
    UUID operationId =
        new UUID(
            (msb & ~0xF000L) | 0x7000L,
            0x8000_0000_0000_0000L | ((msb & 0xffffL) << 32) | (1000 + c.index()));
    env.put("operationId", operationId.toString());
    env.put("type", c.delete() ? "record.deleted" : "record.upserted");
    env.put("schemaVersion", 1);
    env.put("terminalId", terminal);
    env.put("sequence", 1 + c.index());
    env.put("occurredAt", "2026-11-23T10:00:00Z");
    env.set("payload", payload);
    return new InboundMessage(env.toString(), "outpost.ops.in." + terminal, null, 1, "bridge");
  }

  private static UUID recordId(long msb, int record) {
    return new UUID(msb, record);
  }

  private static String canonical(String json) {
    try {
      JsonNode n = Contracts.mapper().readTree(json);
      Map<String, String> sorted = new java.util.TreeMap<>();
      n.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
      return sorted.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void stockDeltasMergeToTheSameLevelInAnyOrder() {
    Random random = new Random(7);
    long expected = 0;
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      long delta = random.nextInt(41) - 20;
      if (delta == 0) {
        delta = 5;
      }
      expected += delta;
      bodies.add(
          envelope(
              "stock.adjusted",
              "till-s",
              i + 1,
              "{\"productId\":\"water\",\"location\":\"cellar\",\"delta\":" + delta + "}"));
    }
    List<String> delivery = new ArrayList<>(bodies);
    Collections.shuffle(delivery, random);
    delivery.addAll(bodies.subList(0, 10)); // redelivered
    for (String b : delivery) {
      applier.applyBatch(
          List.of(new InboundMessage(b, "outpost.ops.in.till-s", null, 1, "bridge")));
    }
    assertThat(
            jdbc.queryForObject(
                "select quantity from stock_levels where product_id = 'water' and location = 'cellar'",
                Long.class))
        .isEqualTo(expected);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from stock_movements where terminal_id = 'till-s'", Long.class))
        .isEqualTo(30L);
  }

  @Test
  void aLateOperationOlderThanTheStoredVersionChangesNothingAndIsReceiptedAsSuperseded() {
    UUID id = UUID.randomUUID();
    IngestResult newer =
        applyOne(
            record(
                "customer", id, "till-a", 1, "2026-11-23T12:00:00Z", null, "{\"name\":\"new\"}"));
    IngestResult late =
        applyOne(
            record(
                "customer", id, "till-b", 1, "2026-11-23T11:00:00Z", null, "{\"name\":\"old\"}"));
    assertThat(newer.receipt().outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(late.receipt().outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(late.receipt().detail()).startsWith("SUPERSEDED");
    assertThat(dataOf("customer", id)).contains("\"new\"");
  }

  @Test
  void manualPolicyHoldsAConcurrentChangeUntilAPersonChooses() {
    UUID id = UUID.randomUUID();
    applyOne(
        record("supplier", id, "till-a", 1, "2026-11-23T10:00:00Z", null, "{\"name\":\"Acme\"}"));
    // Edits of the stored version fast-forward.
    IngestResult followUp =
        applyOne(
            record(
                "supplier",
                id,
                "till-a",
                2,
                "2026-11-23T10:05:00Z",
                "2026-11-23T10:00:00Z",
                "{\"name\":\"Acme Ltd\"}"));
    assertThat(followUp.receipt().outcome()).isEqualTo(Outcome.ACCEPTED);
    // Another terminal edited the old version meanwhile: a conflict.
    IngestResult concurrent =
        applyOne(
            record(
                "supplier",
                id,
                "till-b",
                1,
                "2026-11-23T10:06:00Z",
                "2026-11-23T10:00:00Z",
                "{\"name\":\"ACME S.L.\"}"));
    assertThat(concurrent.receipt().outcome()).isEqualTo(Outcome.FLAGGED);
    assertThat(dataOf("supplier", id)).contains("Acme Ltd");
    Long conflictId =
        jdbc.queryForObject(
            "select id from conflicts where record_id = ? and status = 'OPEN'", Long.class, id);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from conflicts where record_id = ?", Long.class, id))
        .isEqualTo(1L);

    ResponseEntity<String> resolved =
        decide(
            "/api/v1/conflicts/" + conflictId + "/resolve",
            "{\"choose\":\"INCOMING\",\"note\":\"legal name\"}");
    assertThat(resolved.getStatusCode().value()).as(resolved.getBody()).isEqualTo(200);
    assertThat(dataOf("supplier", id)).contains("ACME S.L.");
    assertThat(
            jdbc.queryForObject(
                "select status || ':' || resolution from conflicts where id = ?",
                String.class,
                conflictId))
        .isEqualTo("RESOLVED:INCOMING");
  }

  @Test
  void aPersonMayDecideAManualConflictWithTheirOwnMerge() {
    UUID id = UUID.randomUUID();
    applyOne(
        record(
            "supplier",
            id,
            "till-a",
            1,
            "2026-11-23T10:00:00Z",
            null,
            "{\"name\":\"Acme\",\"phone\":\"1\"}"));
    applyOne(
        record(
            "supplier",
            id,
            "till-a",
            2,
            "2026-11-23T10:05:00Z",
            "2026-11-23T10:00:00Z",
            "{\"name\":\"Acme Ltd\",\"phone\":\"1\"}"));
    applyOne(
        record(
            "supplier",
            id,
            "till-b",
            1,
            "2026-11-23T10:06:00Z",
            "2026-11-23T10:00:00Z",
            "{\"name\":\"ACME S.L.\",\"phone\":\"2\"}"));
    Long conflictId =
        jdbc.queryForObject(
            "select id from conflicts where record_id = ? and status = 'OPEN'", Long.class, id);
    String path = "/api/v1/conflicts/" + conflictId + "/resolve";

    assertThat(decide(path, "{\"choose\":\"MERGED\",\"note\":\"no data\"}").getBody())
        .contains("MERGED needs data");
    assertThat(decide(path, "{\"choose\":\"STORED\",\"data\":{\"name\":\"x\"}}").getBody())
        .contains("data goes only with MERGED");
    assertThat(decide(path, "{\"choose\":\"MERGED\",\"data\":[1]}").getBody())
        .contains("JSON object");
    assertThat(dataOf("supplier", id)).contains("Acme Ltd");

    ResponseEntity<String> merged =
        decide(
            path,
            "{\"choose\":\"MERGED\",\"note\":\"legal name, new phone\","
                + "\"data\":{\"name\":\"Acme Ltd\",\"phone\":\"2\"}}");
    assertThat(merged.getStatusCode().value()).as(merged.getBody()).isEqualTo(200);
    assertThat(dataOf("supplier", id)).contains("\"Acme Ltd\"", "\"2\"");
    assertThat(
            jdbc.queryForObject(
                "select status || ':' || resolution || ':' || resolved_by || ':' || note"
                    + " from conflicts where id = ?",
                String.class,
                conflictId))
        .isEqualTo("RESOLVED:MERGED:ops:legal name, new phone");
    assertThat(
            jdbc.queryForObject(
                "select updated_by_terminal from entity_records where entity = 'supplier' and id = ?",
                String.class,
                id))
        .as("a person's decision is a central version")
        .isEqualTo("central");
  }

  private ResponseEntity<String> decide(String path, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.setBasicAuth("ops", "ops");
    ResponseEntity<String> answer =
        http.postForEntity(path, new HttpEntity<>(body, headers), String.class);
    assertThat(answer.getStatusCode().value()).as(answer.getBody()).isIn(200, 400);
    return answer;
  }

  @Test
  void rejectPolicyDeadLettersAConcurrentChangeAsConflict() {
    UUID id = UUID.randomUUID();
    applyOne(
        record(
            "price-override",
            id,
            "till-a",
            1,
            "2026-11-23T10:00:00Z",
            null,
            "{\"price\":\"3.00\"}"));
    IngestResult concurrent =
        applyOne(
            record(
                "price-override",
                id,
                "till-b",
                1,
                "2026-11-23T10:01:00Z",
                null,
                "{\"price\":\"2.00\"}"));
    assertThat(concurrent.reason()).isEqualTo(RejectReason.CONFLICT);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from operations where operation_id = ?::uuid",
                Long.class,
                concurrent.operationId()))
        .isZero();
    assertThat(dataOf("price-override", id)).contains("3.00");
  }

  @Test
  void centralWinsKeepsTheStoredVersionOfAConcurrentChange() {
    UUID id = UUID.randomUUID();
    applyOne(
        record(
            "vendor",
            id,
            "till-a",
            1,
            "2026-11-23T10:00:00Z",
            null,
            "{\"name\":\"Central Name\"}"));
    IngestResult concurrent =
        applyOne(
            record(
                "vendor",
                id,
                "till-b",
                1,
                "2026-11-23T10:01:00Z",
                null,
                "{\"name\":\"Till Name\"}"));
    assertThat(concurrent.receipt().outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(concurrent.receipt().detail()).startsWith("CONFLICT_CENTRAL_WINS");
    assertThat(dataOf("vendor", id)).contains("Central Name");
  }

  private static final java.util.concurrent.atomic.AtomicLong SEQ =
      new java.util.concurrent.atomic.AtomicLong(100);

  private String record(
      String entity, UUID id, String terminal, int unused, String at, String base, String data) {
    String payload =
        "{\"entity\":\""
            + entity
            + "\",\"id\":\""
            + id
            + "\",\"updatedAt\":\""
            + at
            + "\""
            + (base == null ? "" : ",\"baseUpdatedAt\":\"" + base + "\"")
            + ",\"data\":"
            + data
            + "}";
    return envelope("record.upserted", terminal, SEQ.incrementAndGet(), payload);
  }

  /**
   * A batch is first applied without savepoints; a refused operation in it makes central apply the
   * batch again with one savepoint per operation: the others are applied once, the refused one not.
   */
  @Test
  void aRefusedOperationInABatchLeavesTheOthersAppliedOnce() {
    jdbc.update(
        "insert into products (id, name, price) values ('opt-beer', 'Beer', 3.50)"
            + " on conflict do nothing");
    jdbc.update("insert into visits (id, bracelet_id, opened_at) values ('v-opt', 'B-OPT', now())");
    String line = "\"lines\":[{\"productId\":\"%s\",\"quantity\":2,\"unitPrice\":3.50}],";
    String good =
        "{\"braceletId\":\"B-OPT\","
            + line.formatted("opt-beer")
            + "\"total\":7.00,\"paid\":false}";
    String unknown =
        "{\"braceletId\":\"B-OPT\"," + line.formatted("no-beer") + "\"total\":7.00,\"paid\":false}";

    List<IngestResult> results =
        applier.applyBatch(
            List.of(
                message(envelope("sale.recorded", "till-opt", 1, good), "till-opt"),
                message(envelope("sale.recorded", "till-opt", 2, unknown), "till-opt"),
                message(envelope("sale.recorded", "till-opt", 3, good), "till-opt")));

    assertThat(results)
        .extracting(r -> r.receipt().outcome())
        .containsExactly(Outcome.ACCEPTED, Outcome.REJECTED, Outcome.ACCEPTED);
    assertThat(results.get(1).reason()).isEqualTo(RejectReason.UNKNOWN_REFERENCE);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from operations where terminal_id = 'till-opt'", Long.class))
        .isEqualTo(2);
    assertThat(
            jdbc.queryForObject("select consumed from visits where id = 'v-opt'", BigDecimal.class))
        .isEqualByComparingTo("14.00");
  }

  @Test
  void aCounterThatCannotBeWrittenRejectsOnlyTheOperationAtFault() {
    jdbc.update(
        "insert into products (id, name, price) values ('ovf-beer', 'Beer', 3.50)"
            + " on conflict do nothing");
    jdbc.update(
        "insert into visits (id, bracelet_id, opened_at) values ('v-ovf-ok', 'B-OVF-OK', now()),"
            + " ('v-ovf-full', 'B-OVF-FULL', now())");
    // numeric(12,2) ends at 9,999,999,999.99: one more sale on this visit overflows it.
    jdbc.update("update visits set consumed = 9999999999.00 where id = 'v-ovf-full'");
    String line = "\"lines\":[{\"productId\":\"ovf-beer\",\"quantity\":2,\"unitPrice\":3.50}],";
    String ok =
        envelope(
            "sale.recorded",
            "till-ovf-a",
            1,
            "{\"braceletId\":\"B-OVF-OK\"," + line + "\"total\":7.00,\"paid\":false}");
    String overflowing =
        envelope(
            "sale.recorded",
            "till-ovf-b",
            1,
            "{\"braceletId\":\"B-OVF-FULL\"," + line + "\"total\":7.00,\"paid\":false}");
    String stock =
        envelope(
            "stock.adjusted",
            "till-ovf-c",
            1,
            "{\"productId\":\"ovf-beer\",\"location\":\"ovf\",\"delta\":5}");

    List<IngestResult> results =
        applier.applyBatch(
            List.of(
                message(ok, "till-ovf-a"),
                message(overflowing, "till-ovf-b"),
                message(stock, "till-ovf-c")));

    assertThat(results.get(0).receipt().outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(results.get(1).receipt().outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(results.get(1).reason()).isEqualTo(RejectReason.POISON);
    assertThat(results.get(2).receipt().outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(
            jdbc.queryForObject(
                "select consumed from visits where id = 'v-ovf-ok'", BigDecimal.class))
        .isEqualByComparingTo("7.00");
    assertThat(
            jdbc.queryForObject(
                "select consumed from visits where id = 'v-ovf-full'", BigDecimal.class))
        .isEqualByComparingTo("9999999999.00");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from operations where terminal_id = 'till-ovf-b'", Long.class))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "select quantity from stock_levels where product_id = 'ovf-beer' and location ="
                    + " 'ovf'",
                Long.class))
        .isEqualTo(5);
  }

  @Test
  void aSaleIsJudgedByWhenItHappenedNotByWhenItArrived() {
    jdbc.update(
        "insert into products (id, name, price) values ('ovf-beer', 'Beer', 3.50)"
            + " on conflict do nothing");
    jdbc.update(
        "insert into visits (id, bracelet_id, opened_at, closed_at) values ('v-late',"
            + " 'B-LATE', '2026-11-23T08:00:00Z', '2026-11-23T12:00:00Z')");
    String payload =
        "{\"braceletId\":\"B-LATE\",\"lines\":[{\"productId\":\"ovf-beer\",\"quantity\":1,"
            + "\"unitPrice\":3.50}],\"total\":3.50,\"paid\":false}";
    // Happened at 10:00 while the visit was open, arrives after central closed it at 12:00.
    String whileOpen = envelope("sale.recorded", "till-late", 1, payload);
    String afterClosing =
        envelope("sale.recorded", "till-late", 2, payload)
            .replace("2026-11-23T10:00:00Z", "2026-11-23T13:00:00Z");

    assertThat(applyOne(whileOpen).receipt().outcome()).isEqualTo(Outcome.ACCEPTED);
    IngestResult late = applyOne(afterClosing);
    assertThat(late.receipt().outcome()).isEqualTo(Outcome.FLAGGED);
    assertThat(late.receipt().detail()).startsWith("VISIT_CLOSED");
    assertThat(
            jdbc.queryForObject(
                "select consumed from visits where id = 'v-late'", BigDecimal.class))
        .isEqualByComparingTo("7.00");
  }

  private static InboundMessage message(String body, String terminal) {
    return new InboundMessage(body, "outpost.ops.in." + terminal, null, 1, "bridge");
  }

  private static String envelope(String type, String terminal, long seq, String payload) {
    return "{\"operationId\":\""
        + UUID.randomUUID()
        + "\",\"type\":\""
        + type
        + "\",\"schemaVersion\":1,"
        + "\"terminalId\":\""
        + terminal
        + "\",\"sequence\":"
        + seq
        + ",\"occurredAt\":\"2026-11-23T10:00:00Z\","
        + "\"payload\":"
        + payload
        + "}";
  }

  private IngestResult applyOne(String body) {
    String terminal;
    try {
      terminal = Contracts.mapper().readTree(body).get("terminalId").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return applier
        .applyBatch(
            List.of(new InboundMessage(body, "outpost.ops.in." + terminal, null, 1, "bridge")))
        .get(0);
  }

  private String dataOf(String entity, UUID id) {
    return jdbc.queryForObject(
        "select data::text from entity_records where entity = ? and id = ?",
        String.class,
        entity,
        id);
  }
}
