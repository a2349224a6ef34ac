package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.citrusframework.dsl.JsonPathSupport.jsonPath;
import static org.citrusframework.http.actions.HttpActionBuilder.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Fixtures;
import dev.outpost.system.harness.Acks;
import dev.outpost.system.harness.AppProcess;
import dev.outpost.system.harness.Broker;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.Citrus;
import dev.outpost.system.harness.DeliveryCheck;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.Ops;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.citrusframework.TestCaseRunner;
import org.citrusframework.annotations.CitrusResource;
import org.citrusframework.annotations.CitrusTest;
import org.citrusframework.context.TestContext;
import org.citrusframework.http.client.HttpClient;
import org.citrusframework.junit.jupiter.CitrusSupport;
import org.citrusframework.message.MessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The bad-input catalogue against real processes: each bad request to the edge gets its status code
 * and a problem document naming the field, and nothing is written (the edge's ledger does not know
 * the id, PostgreSQL's counts do not move). Bad messages that reach central's broker directly end
 * in the DLQ with their reason.
 */
@CitrusSupport
class BadInputIT {
  private static final Logger LOG = LoggerFactory.getLogger(BadInputIT.class);
  private static final String TERMINAL = "bad-till-1";
  private static final String PROBLEM = "@startsWith('application/problem+json')@";

  private static Central central;
  private static Edge edge;
  private static HttpClient edgeHttp;
  private static final Acks ACKS = new Acks();

  @BeforeAll
  static void startSystem() {
    central = Central.withEmbeddedDb("BadInputIT-central");
    edge = Edge.create("BadInputIT-edge", TERMINAL, central);
    AppProcess.startTogether(central.process(), edge.process());
    edgeHttp = Citrus.httpClient(edge.baseUrl());
  }

  @AfterAll
  static void stopSystem() {
    if (edge != null) {
      edge.close();
    }
    if (central != null) {
      central.close();
    }
  }

  /** One bad request: its body, extra headers, the answer it must get and the pointers named. */
  record Case(String name, String operationId, String body, int status, List<String> pointers) {}

  private static List<Case> catalogue() {
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "malformed JSON", null, "{\"type\":\"sale.recorded\",\"payload\":{", 400, List.of()));
    cases.add(new Case("empty body", null, "", 400, List.of()));
    cases.add(new Case("JSON array", null, "[]", 400, List.of()));
    cases.add(
        new Case(
            "trailing garbage",
            null,
            Ops.json(Ops.sale(UUID.randomUUID(), 1)) + " x",
            400,
            List.of()));

    // Every invalid fixture of the contracts, each with a fresh operationId where it can carry one.
    for (Map.Entry<String, List<String>> e : Fixtures.invalidIndex().entrySet()) {
      try {
        ObjectNode doc = (ObjectNode) Contracts.mapper().readTree(Fixtures.invalidText(e.getKey()));
        String id = null;
        if (!e.getValue().contains("/operationId")) {
          id = UUID.randomUUID().toString();
          doc.put("operationId", id);
        }
        cases.add(new Case("fixture " + e.getKey(), id, Ops.json(doc), 400, e.getValue()));
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    }

    String id = UUID.randomUUID().toString();
    ObjectNode wrongTerminal = Ops.sale(UUID.fromString(id), 1);
    wrongTerminal.put("terminalId", "other-till");
    cases.add(
        new Case(
            "another terminal's id", id, Ops.json(wrongTerminal), 400, List.of("/terminalId")));

    id = UUID.randomUUID().toString();
    ObjectNode ownSequence = Ops.sale(UUID.fromString(id), 1);
    ownSequence.put("sequence", 1);
    cases.add(
        new Case("client-chosen sequence", id, Ops.json(ownSequence), 400, List.of("/sequence")));

    id = UUID.randomUUID().toString();
    ObjectNode oversize = Ops.sale(UUID.fromString(id), 1);
    ((ObjectNode) oversize.get("payload")).put("observations", "x".repeat(70_000));
    cases.add(new Case("oversize body", id, Ops.json(oversize), 413, List.of()));

    id = UUID.randomUUID().toString();
    String deep = "[".repeat(64) + "]".repeat(64);
    String nested =
        Ops.json(Ops.sale(UUID.fromString(id), 1))
            .replace("\"observations\":\"system test\"", "\"observations\":" + deep);
    cases.add(new Case("deep nesting", id, nested, 400, List.of()));

    id = UUID.randomUUID().toString();
    ObjectNode badVersion = Ops.sale(UUID.fromString(id), 1);
    badVersion.put("schemaVersion", 99);
    cases.add(
        new Case(
            "unknown schema version", id, Ops.json(badVersion), 400, List.of("/schemaVersion")));

    id = UUID.randomUUID().toString();
    ObjectNode stringAmount = Ops.sale(UUID.fromString(id), 1);
    ((ObjectNode) stringAmount.get("payload")).put("total", "3.50");
    cases.add(
        new Case("amount as string", id, Ops.json(stringAmount), 400, List.of("/payload/total")));
    return cases;
  }

  @Test
  @CitrusTest
  void badRequestsGetTheirStatusAndWriteNothing(
      @CitrusResource TestCaseRunner t, @CitrusResource TestContext context) {
    // A good sale first: the path is up, and the counts below are taken after it landed.
    String good = Ops.newId().toString();
    postAccepted(t, context, good, Ops.json(Ops.sale(UUID.fromString(good), 1)), Map.of());
    awaitAllArrived();
    Map<String, Long> pgBefore = central.db().writeCounts();
    JsonNode edgeBefore = edge.client().syncStatus();

    for (Case c : catalogue()) {
      LOG.info("bad input: {}", c.name());
      t.$(
          http()
              .client(edgeHttp)
              .send()
              .post("/api/v1/operations")
              .message()
              .contentType("application/json")
              .body(c.body()));
      t.$(
          http()
              .client(edgeHttp)
              .receive()
              .response(HttpStatus.valueOf(c.status()))
              .message()
              .type(MessageType.JSON)
              .header("Content-Type", PROBLEM)
              .validate(jsonPath().expression("$.status", c.status()))
              .extract(jsonPath().expression("$.errors[*].pointer", "pointers")));
      // Citrus renders the extracted JSON array with escaped slashes.
      String named = context.getVariable("pointers").replace("\\/", "/");
      for (String pointer : c.pointers()) {
        assertThat(named).as("%s names %s", c.name(), pointer).contains(pointer);
      }
      if (c.operationId() != null) {
        t.$(http().client(edgeHttp).send().get("/api/v1/operations/" + c.operationId()));
        t.$(
            http()
                .client(edgeHttp)
                .receive()
                .response(HttpStatus.NOT_FOUND)
                .message()
                .type(MessageType.JSON)
                .header("Content-Type", PROBLEM));
      }
    }
    t.$(http().client(edgeHttp).send().get("/api/v1/operations/not-a-uuid"));
    t.$(
        http()
            .client(edgeHttp)
            .receive()
            .response(HttpStatus.BAD_REQUEST)
            .message()
            .type(MessageType.JSON));

    JsonNode edgeAfter = edge.client().syncStatus();
    for (String counter : List.of("pending", "accepted", "rejected")) {
      assertThat(edgeAfter.path(counter).asLong())
          .as("edge %s after the bad inputs", counter)
          .isEqualTo(edgeBefore.path(counter).asLong());
    }
    await("PostgreSQL untouched by the bad inputs")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> central.db().writeCounts().equals(pgBefore));
  }

  @Test
  @CitrusTest
  void sameIdIsIdempotentAndADifferentPayloadIsAConflict(
      @CitrusResource TestCaseRunner t, @CitrusResource TestContext context) {
    String id = Ops.newId().toString();
    String original = Ops.json(Ops.sale(UUID.fromString(id), 1));
    postAccepted(t, context, id, original, Map.of());
    long sequence = ACKS.acknowledged().get(id);

    // The same operation again (a POS retry): the stored answer, not a second operation.
    postAccepted(t, context, id, original, Map.of());
    assertThat(ACKS.acknowledged().get(id)).isEqualTo(sequence);

    // Same id, other content: 409, and the stored operation is unchanged.
    t.$(
        http()
            .client(edgeHttp)
            .send()
            .post("/api/v1/operations")
            .message()
            .contentType("application/json")
            .body(Ops.json(Ops.sale(UUID.fromString(id), 3))));
    t.$(
        http()
            .client(edgeHttp)
            .receive()
            .response(HttpStatus.CONFLICT)
            .message()
            .type(MessageType.JSON)
            .header("Content-Type", PROBLEM));
    t.$(http().client(edgeHttp).send().get("/api/v1/operations/" + id));
    t.$(
        http()
            .client(edgeHttp)
            .receive()
            .response(HttpStatus.OK)
            .message()
            .type(MessageType.JSON)
            .validate(
                jsonPath()
                    .expression("$.sequence", sequence)
                    .expression("$.payload.lines[0].quantity", 1)));

    awaitAllArrived();
    assertThat(
            central.db().count("select count(*) from sale_lines where operation_id = ?::uuid", id))
        .isEqualTo(1);
    assertThat(
            central
                .db()
                .count(
                    "select coalesce(sum(quantity), 0) from sale_lines where operation_id = ?::uuid",
                    id))
        .isEqualTo(1);
  }

  @Test
  @CitrusTest
  void injectedHeadersChangeNothing(
      @CitrusResource TestCaseRunner t, @CitrusResource TestContext context) {
    // Headers a client could use to steer messaging if the edge passed them on.
    Map<String, String> hostile = new LinkedHashMap<>();
    hostile.put("CamelJmsDestinationName", Destinations.OPS_DLQ);
    hostile.put("JMSXGroupID", "other-till");
    hostile.put("_AMQ_DUPL_ID", "fixed-duplicate-id");
    hostile.put("terminalId", "other-till");
    hostile.put("sequence", "1");
    hostile.put("CamelHttpResponseCode", "200");
    // Case variants (the camel-jms case-variant advisory): the allow-list drops them all.
    hostile.put("camelJmsDestinationName", Destinations.OPS_DLQ);
    hostile.put("CAMELJMSDESTINATIONNAME", Destinations.OPS_DLQ);
    hostile.put("CamelJMSDestinationName", Destinations.OPS_DLQ);
    hostile.put("jmsxgroupid", "other-till");
    hostile.put("_amq_dupl_id", "fixed-duplicate-id");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String id = Ops.newId().toString();
      ids.add(id);
      postAccepted(t, context, id, Ops.json(Ops.sale(UUID.fromString(id), 1)), hostile);
    }
    awaitAllArrived();
    for (String id : ids) {
      assertThat(
              central
                  .db()
                  .count(
                      "select count(*) from operations where operation_id = ?::uuid and terminal_id = ?",
                      id,
                      TERMINAL))
          .as("operation %s stored once, as %s", id, TERMINAL)
          .isEqualTo(1);
    }
    assertThat(central.broker(TERMINAL).browse(Destinations.OPS_DLQ))
        .noneMatch(m -> ids.stream().anyMatch(id -> m.body() != null && m.body().contains(id)));
  }

  @Test
  void schemaInvalidMessageStraightToCentralIsDeadLettered() {
    Broker broker = central.broker(TERMINAL);
    String id = UUID.randomUUID().toString();
    ObjectNode envelope = Contracts.mapper().createObjectNode();
    envelope.put("operationId", id);
    envelope.put("type", "sale.recorded");
    envelope.put("schemaVersion", 1);
    envelope.put("terminalId", TERMINAL);
    envelope.put("sequence", 900_000);
    envelope.put("occurredAt", "2026-11-23T21:15:00Z");
    ObjectNode payload =
        (ObjectNode) Fixtures.valid("sale.recorded.json").get("payload").deepCopy();
    ((ObjectNode) payload.get("lines").get(0)).put("quantity", "two");
    envelope.set("payload", payload);

    broker.sendText(Destinations.opsIn(TERMINAL), Ops.json(envelope), Map.of());

    Broker.Received dead = awaitDeadLetter(broker, id);
    assertThat(dead.property(Destinations.HDR_REASON)).isEqualTo("SCHEMA_INVALID");
    assertThat(dead.property(Destinations.HDR_DETAIL)).isNotBlank();
    assertThat(dead.property(Destinations.HDR_ORIGINAL_ADDRESS))
        .contains(Destinations.OPS_IN_PREFIX);
    assertThat(dead.body()).as("original body kept").contains("\"two\"");
    assertThat(
            central.db().count("select count(*) from operations where operation_id = ?::uuid", id))
        .isZero();
  }

  @Test
  void anotherTerminalsOperationOnThisAddressIsDeadLettered() {
    Broker broker = central.broker(TERMINAL);
    String id = UUID.randomUUID().toString();
    ObjectNode envelope = Contracts.mapper().createObjectNode();
    envelope.put("operationId", id);
    envelope.put("type", "sale.recorded");
    envelope.put("schemaVersion", 1);
    envelope.put("terminalId", "other-till");
    envelope.put("sequence", 1);
    envelope.put("occurredAt", "2026-11-23T21:15:00Z");
    envelope.set("payload", Fixtures.valid("sale.recorded.json").get("payload").deepCopy());

    broker.sendText(Destinations.opsIn(TERMINAL), Ops.json(envelope), Map.of());

    Broker.Received dead = awaitDeadLetter(broker, id);
    assertThat(dead.property(Destinations.HDR_REASON)).isEqualTo("TERMINAL_MISMATCH");
    assertThat(
            central.db().count("select count(*) from operations where operation_id = ?::uuid", id))
        .isZero();
  }

  private static Broker.Received awaitDeadLetter(Broker broker, String operationId) {
    return await("dead letter for " + operationId)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                broker.browse(Destinations.OPS_DLQ).stream()
                    .filter(m -> m.body() != null && m.body().contains(operationId))
                    .findFirst()
                    .orElse(null),
            m -> m != null);
  }

  private static void postAccepted(
      TestCaseRunner t,
      TestContext context,
      String operationId,
      String body,
      Map<String, String> headers) {
    var send =
        http()
            .client(edgeHttp)
            .send()
            .post("/api/v1/operations")
            .message()
            .contentType("application/json")
            .body(body);
    headers.forEach(send::header);
    t.$(send);
    t.$(
        http()
            .client(edgeHttp)
            .receive()
            .response(HttpStatus.ACCEPTED)
            .message()
            .type(MessageType.JSON)
            .validate(jsonPath().expression("$.operationId", operationId))
            .extract(jsonPath().expression("$.sequence", "sequence")));
    ACKS.acknowledged(operationId, Long.parseLong(context.getVariable("sequence")));
  }

  private static void awaitAllArrived() {
    await("every acknowledged operation of " + TERMINAL + " in PostgreSQL")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> DeliveryCheck.of(central.db(), TERMINAL, ACKS).allArrived());
    DeliveryCheck check = DeliveryCheck.of(central.db(), TERMINAL, ACKS);
    LOG.info("checker: {}", check);
    check.assertClean();
  }
}
