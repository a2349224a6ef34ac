package dev.outpost.system;

import static dev.outpost.system.harness.Citrus.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.citrusframework.actions.ExecuteSQLQueryAction.Builder.query;
import static org.citrusframework.dsl.JsonPathSupport.jsonPath;
import static org.citrusframework.http.actions.HttpActionBuilder.http;

import dev.outpost.system.harness.Acks;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.Citrus;
import dev.outpost.system.harness.DeliveryCheck;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.EdgeClient;
import dev.outpost.system.harness.LinkProxy;
import dev.outpost.system.harness.Ops;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.citrusframework.TestCaseRunner;
import org.citrusframework.annotations.CitrusResource;
import org.citrusframework.annotations.CitrusTest;
import org.citrusframework.context.TestContext;
import org.citrusframework.http.client.HttpClient;
import org.citrusframework.junit.jupiter.CitrusSupport;
import org.citrusframework.message.MessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The store-and-forward path end to end on real processes: one terminal's edge-route bridged
 * (through a TCP proxy the test controls) to central-route with its embedded broker and PostgreSQL.
 * The tests share the two processes and run in order; every test ends with the checker over the
 * terminal's whole history, so a later test also re-proves the earlier ones.
 */
@CitrusSupport
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreAndForwardIT {
  private static final Logger LOG = LoggerFactory.getLogger(StoreAndForwardIT.class);
  private static final String TERMINAL = "sf-till-1";
  private static final Duration ARRIVAL_TIMEOUT = Duration.ofMinutes(2);

  private static Central central;
  private static LinkProxy link;
  private static Edge edge;
  private static HttpClient edgeHttp;
  private static final Acks ACKS = new Acks();

  @BeforeAll
  static void startEdgeWithCentralDown() {
    central = Central.withEmbeddedDb("StoreAndForwardIT-central");
    link = new LinkProxy(central.brokerPort());
    edge = Edge.create("StoreAndForwardIT-edge", TERMINAL, central, link.url()).start();
    edgeHttp = Citrus.httpClient(edge.baseUrl());
  }

  @AfterAll
  static void stopAll() {
    if (edge != null) {
      edge.close();
    }
    if (link != null) {
      link.close();
    }
    if (central != null) {
      central.close();
    }
  }

  private static void ensureCentralUp() {
    if (!central.process().isAlive()) {
      central.start();
    }
  }

  /** POSTs one operation with Citrus, expects 202 QUEUED and records the promised sequence. */
  private static void postAccepted(
      TestCaseRunner t, TestContext context, String operationId, String body) {
    t.$(
        http()
            .client(edgeHttp)
            .send()
            .post("/api/v1/operations")
            .message()
            .contentType("application/json")
            .body(body));
    t.$(
        http()
            .client(edgeHttp)
            .receive()
            .response(HttpStatus.ACCEPTED)
            .message()
            .type(MessageType.JSON)
            .validate(
                jsonPath()
                    .expression("$.operationId", operationId)
                    .expression("$.status", "QUEUED"))
            .extract(jsonPath().expression("$.sequence", "sequence")));
    ACKS.acknowledged(operationId, Long.parseLong(context.getVariable("sequence")));
  }

  private static DeliveryCheck awaitAllArrived() {
    await("every acknowledged operation of " + TERMINAL + " in PostgreSQL")
        .atMost(ARRIVAL_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> DeliveryCheck.of(central.db(), TERMINAL, ACKS).allArrived());
    DeliveryCheck check = DeliveryCheck.of(central.db(), TERMINAL, ACKS);
    LOG.info("checker: {}", check);
    return check.assertClean();
  }

  @Test
  @Order(1)
  @CitrusTest
  void offlineThenBack(@CitrusResource TestCaseRunner t, @CitrusResource TestContext context) {
    assertThat(central.process().isAlive()).as("central not started yet").isFalse();

    for (int i = 0; i < 200; i++) {
      String id = Ops.newId().toString();
      postAccepted(t, context, id, Ops.json(Ops.sale(UUID.fromString(id), 1 + i % 3)));
    }
    assertThat(ACKS.size()).isEqualTo(200);

    t.$(
        poll(
            10,
            http().client(edgeHttp).send().get("/api/v1/sync/status"),
            http()
                .client(edgeHttp)
                .receive()
                .response(HttpStatus.OK)
                .message()
                .type(MessageType.JSON)
                .validate(
                    jsonPath()
                        .expression("$.terminalId", TERMINAL)
                        .expression("$.online", false)
                        .expression("$.pending", 200))));

    central.start();

    t.$(
        poll(
            120,
            query(central.db().dataSource())
                .statement(
                    "select count(*) as CNT from operations where terminal_id = '" + TERMINAL + "'")
                .validate("CNT", "200")));
    DeliveryCheck check = awaitAllArrived();
    assertThat(check.arrived()).isEqualTo(200);

    t.$(
        poll(
            60,
            http().client(edgeHttp).send().get("/api/v1/sync/status"),
            http()
                .client(edgeHttp)
                .receive()
                .response(HttpStatus.OK)
                .message()
                .type(MessageType.JSON)
                .validate(jsonPath().expression("$.pending", 0).expression("$.online", true))));
  }

  @Test
  @Order(2)
  @CitrusTest
  void onlineSaleLandsOnceAndLedgerShowsAccepted(
      @CitrusResource TestCaseRunner t, @CitrusResource TestContext context) {
    ensureCentralUp();
    BigDecimal consumedBefore = central.db().consumed(Ops.ACTIVE_BRACELET);
    String id = Ops.newId().toString();

    postAccepted(t, context, id, Ops.json(Ops.sale(UUID.fromString(id), 2)));

    t.$(
        poll(
            60,
            query(central.db().dataSource())
                .statement(
                    "select count(*) as CNT, max(terminal_id) as TERMINAL, max(type) as TYPE"
                        + " from operations where operation_id = '"
                        + id
                        + "'")
                .validate("CNT", "1")
                .validate("TERMINAL", TERMINAL)
                .validate("TYPE", "sale.recorded")));
    t.$(
        query(central.db().dataSource())
            .statement(
                "select count(*) as CNT, max(bracelet_id) as BRACELET, max(total) as TOTAL"
                    + " from sales where operation_id = '"
                    + id
                    + "'")
            .validate("CNT", "1")
            .validate("BRACELET", Ops.ACTIVE_BRACELET)
            .validate("TOTAL", "7.00"));
    t.$(
        query(central.db().dataSource())
            .statement(
                "select count(*) as CNT, sum(quantity) as QTY from sale_lines where operation_id = '"
                    + id
                    + "'")
            .validate("CNT", "1")
            .validate("QTY", "2"));

    t.$(
        poll(
            60,
            http().client(edgeHttp).send().get("/api/v1/operations/" + id),
            http()
                .client(edgeHttp)
                .receive()
                .response(HttpStatus.OK)
                .message()
                .type(MessageType.JSON)
                .validate(
                    jsonPath()
                        .expression("$.operationId", id)
                        .expression("$.status", "ACCEPTED")
                        .expression("$.sequence", ACKS.acknowledged().get(id)))));

    assertThat(central.db().consumed(Ops.ACTIVE_BRACELET))
        .isEqualByComparingTo(consumedBefore.add(new BigDecimal("7.00")));
    awaitAllArrived();
  }

  @Test
  @Order(3)
  void edgeKilledWhileBacklogDrains() throws Exception {
    ensureCentralUp();
    EdgeClient client = edge.client();

    // Build a backlog with the link cut, so there is something to drain.
    link.cut();
    await("edge sees the link down")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> !client.syncStatus().path("online").asBoolean(true));
    long before = central.db().operations(TERMINAL);
    for (int i = 0; i < 300; i++) {
      postAndRecord(client);
    }

    // Keep posting while the backlog drains; kill -9 the edge as soon as the drain is under way.
    AtomicBoolean posting = new AtomicBoolean(true);
    AtomicBoolean killed = new AtomicBoolean(false);
    AtomicLong postedDuringDrain = new AtomicLong();
    AtomicReference<Throwable> failureBeforeKill = new AtomicReference<>();
    Thread poster =
        new Thread(
            () -> {
              while (posting.get() && postedDuringDrain.get() < 500) {
                try {
                  postAndRecord(client);
                  postedDuringDrain.incrementAndGet();
                } catch (RuntimeException | AssertionError e) {
                  if (!killed.get()) {
                    failureBeforeKill.set(e);
                  }
                  return; // after the kill: an unanswered POST promised nothing
                }
              }
            },
            "pos-app");
    link.restore();
    poster.start();
    await("the drain has started")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> central.db().operations(TERMINAL) > before);
    killed.set(true);
    edge.process().kill9();
    long atKill = central.db().operations(TERMINAL) - before;
    posting.set(false);
    poster.join(30_000);
    assertThat(failureBeforeKill.get()).as("POSTs before the kill").isNull();
    LOG.info(
        "edge killed with {} of {} acknowledged operations delivered ({} posted during the drain)",
        atKill,
        ACKS.size() - before,
        postedDuringDrain.get());
    assertThat(atKill).as("killed while the backlog was draining").isLessThan(ACKS.size() - before);

    edge.process().start();
    DeliveryCheck check = awaitAllArrived();
    assertThat(check.arrived()).isGreaterThanOrEqualTo(ACKS.size());
    awaitNothingPending(client);
  }

  /** The ledger catches up with central's receipts; on failure, names the rows still open. */
  private static void awaitNothingPending(EdgeClient client) {
    try {
      await("the edge shows nothing pending")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> client.syncStatus().path("pending").asLong(-1) == 0);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      java.util.List<String> open = new java.util.ArrayList<>();
      for (String id : ACKS.acknowledged().keySet()) {
        EdgeClient.Response r = client.getOperation(id);
        if (r.status() != 200 || !"ACCEPTED".equals(r.json().path("status").asText())) {
          open.add(id + " -> " + r.status() + " " + r.body().replaceAll("\"payload\":\\{.*", ""));
        }
        if (open.size() >= 10) {
          break;
        }
      }
      throw new AssertionError(
          "pending never reached 0; sync status " + client.syncStatus() + "; not ACCEPTED: " + open,
          e);
    }
  }

  private static void postAndRecord(EdgeClient client) {
    UUID id = Ops.newId();
    ACKS.sent(id.toString());
    EdgeClient.Response r = client.postOperation(Ops.json(Ops.sale(id, 1)));
    if (r.status() != 202) {
      throw new AssertionError("expected 202, got " + r.status() + ": " + r.body());
    }
    ACKS.acknowledged(r.json());
  }
}
