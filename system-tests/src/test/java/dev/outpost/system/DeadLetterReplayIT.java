package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.citrusframework.dsl.JsonPathSupport.jsonPath;
import static org.citrusframework.http.actions.HttpActionBuilder.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import dev.outpost.system.harness.Broker;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.CentralAdmin;
import dev.outpost.system.harness.Citrus;
import dev.outpost.system.harness.Ops;
import java.math.BigDecimal;
import java.time.Duration;
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
import org.springframework.http.HttpStatus;

/**
 * Dead-letter repair end to end on a real central: a bad operation lands in the DLQ, ops find it
 * over REST by its reason, fix its body and replay it; it is applied once, audited, and its receipt
 * goes to the terminal. A replay that fails again is back in the DLQ with the new reason; a discard
 * needs a written reason and is audited too.
 */
@CitrusSupport
class DeadLetterReplayIT {
  private static final String TERMINAL = "dlq-till-1";
  private static Central central;
  private static HttpClient centralHttp;
  private static CentralAdmin admin;

  @BeforeAll
  static void startCentral() {
    central = Central.withEmbeddedDb("DeadLetterReplayIT-central").start();
    centralHttp = Citrus.httpClient(central.process().baseUrl());
    admin = new CentralAdmin(central.process().baseUrl(), CentralAdmin.OPS_AUTH);
  }

  @AfterAll
  static void stopCentral() {
    if (central != null) {
      central.close();
    }
  }

  /** A sale for an unknown product, as the terminal's bridge would deliver it. */
  private static ObjectNode badSale(UUID id, long sequence, String product) {
    ObjectNode op = Ops.sale(id, 2);
    op.put("schemaVersion", 1);
    op.put("terminalId", TERMINAL);
    op.put("sequence", sequence);
    op.put(
        "occurredAt",
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    ((ObjectNode) op.get("payload").get("lines").get(0)).put("productId", product);
    return op;
  }

  @Test
  @CitrusTest
  void badOperationIsListedFixedReplayedOnceAndAudited(
      @CitrusResource TestCaseRunner t, @CitrusResource TestContext context) {
    Broker broker = central.broker(TERMINAL);
    UUID id = Ops.newId();
    ObjectNode bad = badSale(id, 1, "absinthe");
    BigDecimal consumedBefore = central.db().consumed(Ops.ACTIVE_BRACELET);
    broker.sendText(Destinations.opsIn(TERMINAL), Ops.json(bad), Map.of());

    // Listed over REST with its reason (poll: the consumer dead-letters it asynchronously).
    t.$(
        Citrus.poll(
            60,
            http()
                .client(centralHttp)
                .send()
                .get("/api/v1/dead-letters")
                .queryParam("reason", "UNKNOWN_REFERENCE")
                .queryParam("terminal", TERMINAL)
                .message()
                .header("Authorization", CentralAdmin.OPS_AUTH),
            http()
                .client(centralHttp)
                .receive()
                .response(HttpStatus.OK)
                .message()
                .type(MessageType.JSON)
                .validate(
                    jsonPath()
                        .expression("$.total", 1)
                        .expression("$.items[0].operationId", id.toString())
                        .expression("$.items[0].reason", "UNKNOWN_REFERENCE")
                        .expression("$.items[0].terminalId", TERMINAL))
                .extract(jsonPath().expression("$.items[0].id", "deadLetterId"))));
    String dlId = context.getVariable("deadLetterId");

    // Inspect: original body, detail, delivery count, first failure time.
    t.$(
        http()
            .client(centralHttp)
            .send()
            .get("/api/v1/dead-letters/" + dlId)
            .message()
            .header("Authorization", CentralAdmin.OPS_AUTH));
    t.$(
        http()
            .client(centralHttp)
            .receive()
            .response(HttpStatus.OK)
            .message()
            .type(MessageType.JSON)
            .validate(
                jsonPath()
                    .expression("$.reason", "UNKNOWN_REFERENCE")
                    .expression("$.detail", "@contains('absinthe')@")
                    .expression("$.deliveryCount", 1)
                    .expression("$.firstFailedAt", "@notEmpty()@")
                    .expression("$.body", "@contains('absinthe')@")));

    // Edit the body (the product was mistyped) and replay it.
    ObjectNode fixed = bad.deepCopy();
    ((ObjectNode) fixed.get("payload").get("lines").get(0)).put("productId", "beer");
    ObjectNode request = Contracts.mapper().createObjectNode();
    request.set("body", fixed);
    t.$(
        http()
            .client(centralHttp)
            .send()
            .post("/api/v1/dead-letters/" + dlId + "/replay")
            .message()
            .header("Authorization", CentralAdmin.OPS_AUTH)
            .contentType("application/json")
            .body(Ops.json(request)));
    t.$(
        http()
            .client(centralHttp)
            .receive()
            .response(HttpStatus.OK)
            .message()
            .type(MessageType.JSON)
            .validate(
                jsonPath()
                    .expression("$.outcome", "ACCEPTED")
                    .expression("$.operationId", id.toString())));

    // Applied exactly once, as a replay; the visit's consumption moved by the sale's total once.
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from operations where operation_id = ?::uuid and source = 'replay'",
                    id.toString()))
        .isEqualTo(1);
    assertThat(
            central
                .db()
                .count("select count(*) from sales where operation_id = ?::uuid", id.toString()))
        .isEqualTo(1);
    assertThat(central.db().consumed(Ops.ACTIVE_BRACELET))
        .isEqualByComparingTo(consumedBefore.add(Ops.saleTotal(2)));
    assertThat(broker.browse(Destinations.OPS_DLQ))
        .noneMatch(m -> m.body() != null && m.body().contains(id.toString()));
    assertThat(broker.browse(Destinations.receipts(TERMINAL)))
        .anyMatch(m -> m.body().contains(id.toString()) && m.body().contains("ACCEPTED"));
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from dead_letter_audit where operation_id = ?::uuid and action = 'EDIT_REPLAY'"
                        + " and outcome = 'ACCEPTED' and actor = 'ops' and old_reason = 'UNKNOWN_REFERENCE' and edited_body like '%beer%'",
                    id.toString()))
        .isEqualTo(1);

    // The same dead letter cannot be replayed twice: it left the DLQ.
    t.$(
        http()
            .client(centralHttp)
            .send()
            .post("/api/v1/dead-letters/" + dlId + "/replay")
            .message()
            .header("Authorization", CentralAdmin.OPS_AUTH));
    t.$(
        http()
            .client(centralHttp)
            .receive()
            .response(HttpStatus.NOT_FOUND)
            .message()
            .type(MessageType.JSON));
    assertThat(
            central
                .db()
                .count("select count(*) from sales where operation_id = ?::uuid", id.toString()))
        .isEqualTo(1);
  }

  @Test
  void replayThatFailsAgainReturnsToTheDlqWithTheNewReasonAndDiscardIsAudited() {
    Broker broker = central.broker(TERMINAL);
    UUID id = Ops.newId();
    ObjectNode bad = badSale(id, 2, "mead");
    broker.sendText(Destinations.opsIn(TERMINAL), Ops.json(bad), Map.of());
    String first = awaitDeadLetter(id, "UNKNOWN_REFERENCE");

    // Replayed as is: still unknown, back in the DLQ (a new entry, no loop), replay counted.
    JsonNode again = admin.post("/api/v1/dead-letters/" + first + "/replay", "").json();
    assertThat(again.path("outcome").asText()).isEqualTo("REJECTED");
    assertThat(again.path("reason").asText()).isEqualTo("UNKNOWN_REFERENCE");
    String second = again.path("newId").asText();
    assertThat(second).isNotBlank().isNotEqualTo(first);
    assertThat(admin.get("/api/v1/dead-letters/" + first).status()).isEqualTo(404);
    JsonNode secondView = admin.get("/api/v1/dead-letters/" + second).json();
    assertThat(secondView.path("replayCount").asInt()).isEqualTo(1);

    // Edited into something that breaks the schema: back with the new reason.
    ObjectNode broken = bad.deepCopy();
    ((ObjectNode) broken.get("payload").get("lines").get(0)).put("quantity", "two");
    ObjectNode request = Contracts.mapper().createObjectNode();
    request.set("body", broken);
    JsonNode third =
        admin.post("/api/v1/dead-letters/" + second + "/replay", Ops.json(request)).json();
    assertThat(third.path("outcome").asText()).isEqualTo("REJECTED");
    assertThat(third.path("reason").asText()).isEqualTo("SCHEMA_INVALID");
    JsonNode listed =
        admin.get("/api/v1/dead-letters?reason=SCHEMA_INVALID&terminal=" + TERMINAL).json();
    assertThat(listed.path("items").findValuesAsText("id")).contains(third.path("newId").asText());
    JsonNode thirdView = admin.get("/api/v1/dead-letters/" + third.path("newId").asText()).json();
    assertThat(thirdView.path("reason").asText()).isEqualTo("SCHEMA_INVALID");
    assertThat(thirdView.path("firstFailedAt").asText())
        .isEqualTo(secondView.path("firstFailedAt").asText());
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from operations where operation_id = ?::uuid", id.toString()))
        .isZero();

    // Discard needs a written reason; then it is gone and audited.
    String last = third.path("newId").asText();
    assertThat(admin.post("/api/v1/dead-letters/" + last + "/discard", "{}").status())
        .isEqualTo(400);
    JsonNode discarded =
        admin
            .post(
                "/api/v1/dead-letters/" + last + "/discard",
                "{\"reason\":\"test sale, never happened\"}")
            .json();
    assertThat(discarded.path("outcome").asText()).isEqualTo("DISCARDED");
    assertThat(admin.get("/api/v1/dead-letters/" + last).status()).isEqualTo(404);
    assertThat(broker.browse(Destinations.OPS_DLQ))
        .noneMatch(m -> m.body() != null && m.body().contains(id.toString()));
    JsonNode audit = admin.get("/api/v1/dead-letters/audit?operationId=" + id).json();
    assertThat(audit.findValuesAsText("action"))
        .containsExactly("DISCARD", "EDIT_REPLAY", "REPLAY");
    assertThat(audit.findValuesAsText("new_reason"))
        .contains("SCHEMA_INVALID", "UNKNOWN_REFERENCE");
    assertThat(audit.get(0).path("detail").asText()).isEqualTo("test sale, never happened");
  }

  private static String awaitDeadLetter(UUID operationId, String reason) {
    return await("dead letter for " + operationId)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              JsonNode page =
                  admin
                      .get(
                          "/api/v1/dead-letters?reason="
                              + reason
                              + "&terminal="
                              + TERMINAL
                              + "&limit=500")
                      .json();
              for (JsonNode item : page.path("items")) {
                if (operationId.toString().equals(item.path("operationId").asText())) {
                  return item.path("id").asText();
                }
              }
              return null;
            },
            v -> v != null);
  }
}
