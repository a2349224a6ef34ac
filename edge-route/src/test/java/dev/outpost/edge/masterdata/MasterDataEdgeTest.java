package dev.outpost.edge.masterdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataChange;
import dev.outpost.contracts.MasterDataChanges;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.edge.broker.TerminalDeadLetters;
import dev.outpost.edge.support.EdgeTestSupport;
import dev.outpost.edge.support.SecuredCentral;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The terminal's master-data cache on real Derby, fed by changes on a real central Artemis: reads
 * with data age, offline validation (422, nothing written), anti-passback, last-version-wins,
 * deletes and visit pruning. Central's HTTP API is absent here, so the cache is loaded the way a
 * snapshot loads it, through the store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MasterDataEdgeTest extends EdgeTestSupport {
  @Autowired TerminalDeadLetters deadLetters;

  static final String TERMINAL = "till-md";
  static final Path DATA = tempDataDir("masterdata");
  static final int CENTRAL_PORT = freePort();
  static final String IN_VM = "30";
  static final AtomicLong VERSION = new AtomicLong(1000);
  static final String CASHIER_PIN_HASH = dev.outpost.contracts.PinHash.hash("1234");

  @RegisterExtension
  static final SecuredCentral central =
      new SecuredCentral(DATA.resolve("central"), CENTRAL_PORT, "31");

  static final String SECRET = unchecked(() -> central.enroll(TERMINAL));

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    unchecked(
        () -> {
          central.registerEdge(r, TERMINAL, SECRET, DATA.resolve("edge"), IN_VM);
          return null;
        });
    r.add("outpost.central.http-url", () -> "http://127.0.0.1:" + freePort());
  }

  @Autowired MasterDataStore cache;
  @Autowired dev.outpost.edge.sync.CentralClock centralClock;

  /** The demo master data, loaded as a snapshot of every set. */
  @BeforeEach
  void loadDemoSnapshot() {
    Instant now = Instant.now();
    String today = now.toString();
    load(
        MasterDataSets.PRODUCTS,
        rec("beer", "{\"name\":\"Beer 33cl\",\"price\":3.50,\"available\":true}"),
        rec("water", "{\"name\":\"Water 50cl\",\"price\":1.50,\"available\":true}"),
        rec("gone-cola", "{\"name\":\"Cola\",\"price\":2.50,\"available\":false}"));
    load(MasterDataSets.MEMBERS, rec("M-100", "{\"name\":\"Ana Member\",\"active\":true}"));
    load(
        MasterDataSets.VISITS,
        rec(
            "V-1001",
            "{\"braceletId\":\"B-1001\",\"memberId\":\"M-100\",\"openedAt\":\""
                + today
                + "\",\"closedAt\":null,\"consumed\":10.00}"),
        rec(
            "V-9999",
            "{\"braceletId\":\"B-9999\",\"openedAt\":\""
                + today
                + "\",\"closedAt\":\""
                + today
                + "\",\"consumed\":0}"));
    load(
        MasterDataSets.MATCHES,
        rec(
            "demo-match",
            "{\"name\":\"Demo\",\"homeTeam\":\"Demo FC\",\"awayTeam\":\"Sample United\",\"startsAt\":\""
                + today
                + "\"}"),
        rec(
            "other-match",
            "{\"name\":\"Other\",\"homeTeam\":\"A\",\"awayTeam\":\"B\",\"startsAt\":\""
                + today
                + "\"}"));
    load(
        MasterDataSets.ACCREDITATIONS,
        rec(
            "QR-0001",
            "{\"holder\":\"Press\",\"matchId\":\"demo-match\",\"kind\":\"PRESS\",\"revoked\":false}"),
        rec(
            "QR-0002",
            "{\"holder\":\"Steward\",\"matchId\":\"demo-match\",\"kind\":\"STAFF\",\"revoked\":true}"),
        rec(
            "QR-0003",
            "{\"holder\":\"Other\",\"matchId\":\"other-match\",\"kind\":\"STAFF\",\"revoked\":false}"),
        rec(
            "QR-0004",
            "{\"holder\":\"Fan\",\"matchId\":\"demo-match\",\"kind\":\"FAN\",\"revoked\":false}"));
    load(
        MasterDataSets.PLAYERS,
        rec("P-9", "{\"team\":\"Demo FC\",\"name\":\"Nina\",\"shirtNumber\":9}"),
        rec("P-21", "{\"team\":\"Sample United\",\"name\":\"Tom\",\"shirtNumber\":21}"),
        rec("P-14", "{\"team\":\"Sample United\",\"name\":\"Ivo\",\"shirtNumber\":14}"));
    load(
        MasterDataSets.TICKET_TYPES,
        rec("general", "{\"name\":\"General\",\"price\":20.00,\"available\":true}"));
    load(
        MasterDataSets.OPERATORS,
        rec(
            "cashier-1",
            "{\"name\":\"Cara\",\"roles\":\"CASHIER\",\"pinHash\":\""
                + CASHIER_PIN_HASH
                + "\",\"active\":true}"));
  }

  @Test
  void readsCarryTheAgeOfTheDataAndTheTerminalIsReady() throws Exception {
    JsonNode catalog = json(get("/api/v1/catalog").body());
    assertThat(catalog.get("readyForOffline").asBoolean()).isTrue();
    assertThat(catalog.get("dataAgeSeconds").asLong()).isBetween(0L, 60L);
    assertThat(catalog.get("items").findValuesAsText("id")).contains("beer", "water");
    assertThat(json(get("/api/v1/members/M-100").body()).get("name").asText())
        .isEqualTo("Ana Member");
    assertThat(get("/api/v1/members/M-404").statusCode()).isEqualTo(404);
    JsonNode match = json(get("/api/v1/matches/demo-match").body());
    assertThat(match.at("/rosters/home").findValuesAsText("id")).containsExactly("P-9");
    assertThat(match.at("/rosters/away").findValuesAsText("id"))
        .containsExactlyInAnyOrder("P-21", "P-14");
    assertThat(json(get("/api/v1/ticket-types").body()).get("items").findValuesAsText("id"))
        .contains("general");
    assertThat(json(get("/api/v1/accreditations/QR-0002").body()).get("revoked").asBoolean())
        .isTrue();
    JsonNode status = json(get("/api/v1/sync/status").body());
    assertThat(status.at("/masterData/readyForOffline").asBoolean()).isTrue();
    assertThat(status.at("/masterData/sets/products/lastPull").asText()).isNotBlank();
    assertThat(status.get("alerts").toString()).doesNotContain(MasterDataState.ALERT_STALE);
  }

  @Test
  void aChangeOnTheBrokerReachesTheCatalogAndAnOlderOneDoesNot() throws Exception {
    long v = VERSION.addAndGet(10);
    publish(
        new MasterDataChange(
            MasterDataSets.PRODUCTS,
            "beer",
            v,
            false,
            data("{\"id\":\"beer\",\"name\":\"Beer 33cl\",\"price\":4.25,\"available\":true}")));
    await().atMost(Duration.ofSeconds(30)).until(() -> priceOf("beer").equals("4.25"));
    // A late, older change (redelivery, reordering) loses against the version already applied.
    publish(
        new MasterDataChange(
            MasterDataSets.PRODUCTS,
            "beer",
            v - 5,
            false,
            data("{\"id\":\"beer\",\"name\":\"Beer\",\"price\":1.00}")));
    publish(
        new MasterDataChange(MasterDataSets.PRODUCTS, "water", VERSION.addAndGet(1), true, null));
    await().atMost(Duration.ofSeconds(30)).until(() -> !catalogIds().contains("water"));
    assertThat(priceOf("beer")).isEqualTo("4.25");
    assertThat(get("/api/v1/catalog").statusCode()).isEqualTo(200);
  }

  /**
   * The queue redelivers forever (max-delivery-attempts -1) and one consumer reads it in order: a
   * change that were retried instead of dropped would hold back every change behind it.
   */
  @Test
  void unreadableOrUnknownChangesGoToTheTerminalDlqAndTheNextOneStillLands() throws Exception {
    long kept = deadLetters.depth();
    publishText("{not json");
    publishText("");
    publish(new MasterDataChange("no-such-set", "x", VERSION.addAndGet(1), false, null));
    publish(
        new MasterDataChange(
            MasterDataSets.PRODUCTS,
            "lemonade",
            VERSION.addAndGet(1),
            false,
            data("{\"id\":\"lemonade\",\"name\":\"Lemonade\",\"price\":2.50}")));
    await().atMost(Duration.ofSeconds(30)).until(() -> catalogIds().contains("lemonade"));
    assertThat(priceOf("lemonade")).isEqualTo("2.50");
    // Kept, not dropped: on the terminal's own DLQ, counted and alerted in the sync status.
    assertThat(deadLetters.depth()).isEqualTo(kept + 3);
    JsonNode status = json(get("/api/v1/sync/status").body());
    assertThat(status.get("deadLetters").asLong()).isEqualTo(kept + 3);
    assertThat(status.get("alerts").toString()).contains(TerminalDeadLetters.ALERT);
  }

  /**
   * Central sends each outbox batch as one message: its known changes land, an unknown one is kept.
   */
  @Test
  void aBatchOfChangesLandsTogetherAndItsUnknownChangeGoesToTheDlq() throws Exception {
    long kept = deadLetters.depth();
    publishText(
        Contracts.mapper()
            .writeValueAsString(
                new MasterDataChanges(
                    List.of(
                        new MasterDataChange(
                            MasterDataSets.PRODUCTS,
                            "cola",
                            VERSION.addAndGet(1),
                            false,
                            data("{\"id\":\"cola\",\"name\":\"Cola\",\"price\":3.10}")),
                        new MasterDataChange("no-such-set", "y", VERSION.addAndGet(1), false, null),
                        new MasterDataChange(
                            MasterDataSets.PRODUCTS,
                            "tonic",
                            VERSION.addAndGet(1),
                            false,
                            data("{\"id\":\"tonic\",\"name\":\"Tonic\",\"price\":2.90}"))))));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> catalogIds().containsAll(List.of("cola", "tonic")));
    assertThat(priceOf("tonic")).isEqualTo("2.90");
    await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.depth() == kept + 1);
  }

  @Test
  void everyOfflineRuleRefusesWith422AndWritesNothing() throws Exception {
    List<ObjectNode> refused = new ArrayList<>();
    refused.add(sale(p -> p.put("braceletId", "B-NOPE")));
    refused.add(sale(p -> p.put("braceletId", "B-9999")));
    refused.add(sale(p -> ((ObjectNode) p.get("lines").get(0)).put("productId", "nope")));
    refused.add(sale(p -> ((ObjectNode) p.get("lines").get(0)).put("productId", "gone-cola")));
    refused.add(memberSale("M-404"));
    refused.add(scan("QR-NOPE", "demo-match", "IN"));
    refused.add(scan("QR-0002", "demo-match", "IN"));
    refused.add(scan("QR-0003", "demo-match", "IN"));
    refused.add(scan("QR-0001", "no-match", "IN"));
    refused.add(event("no-match", "home", "P-9"));
    refused.add(event("demo-match", "home", "P-21"));
    refused.add(stock("nope"));
    long rows = ledgerRows();
    for (ObjectNode op : refused) {
      HttpResponse<String> res = post(op.toString());
      assertThat(res.statusCode()).as(op + " -> " + res.body()).isEqualTo(422);
      assertThat(res.headers().firstValue("Content-Type").orElse(""))
          .contains("application/problem+json");
      assertThat(json(res.body()).get("errors").get(0).get("pointer").asText())
          .startsWith("/payload/");
    }
    assertThat(ledgerRows()).isEqualTo(rows);
    // None of them reached an outbound lane (the bridge may forward earlier messages meanwhile, so
    // the lanes' depth proves nothing; their ids do).
    List<String> refusedIds = refused.stream().map(op -> op.get("operationId").asText()).toList();
    for (jakarta.jms.Message m : browseOutbound(IN_VM)) {
      assertThat(m.getStringProperty("_AMQ_DUPL_ID")).isNotIn(refusedIds);
    }

    assertThat(post(sale(p -> {}).toString()).statusCode()).isEqualTo(202);
    assertThat(post(memberSale("M-100").toString()).statusCode()).isEqualTo(202);
    assertThat(post(event("demo-match", "away", "P-21").toString()).statusCode()).isEqualTo(202);
    assertThat(post(freshValid("access.recorded-denied.json").toString()).statusCode())
        .isEqualTo(202);
    // Counting a product that is not for sale is allowed; an unknown one is not.
    assertThat(post(stock("gone-cola").toString()).statusCode()).isEqualTo(202);
  }

  private static ObjectNode stock(String productId) {
    ObjectNode op = freshValid("stock.adjusted.json");
    ((ObjectNode) op.get("payload")).put("productId", productId);
    return op;
  }

  @Test
  void antiPassbackRefusesASecondEntryWithoutAnExit() throws Exception {
    assertThat(post(scan("QR-0004", "demo-match", "IN").toString()).statusCode()).isEqualTo(202);
    assertThat(json(get("/api/v1/accreditations/QR-0004").body()).get("inside").asBoolean())
        .isTrue();
    long rows = ledgerRows();
    HttpResponse<String> again = post(scan("QR-0004", "demo-match", "IN").toString());
    assertThat(again.statusCode()).isEqualTo(422);
    assertThat(json(again.body()).get("type").asText()).endsWith("/anti-passback");
    assertThat(ledgerRows()).isEqualTo(rows);
    assertThat(post(scan("QR-0004", "demo-match", "OUT").toString()).statusCode()).isEqualTo(202);
    assertThat(post(scan("QR-0004", "demo-match", "IN").toString()).statusCode()).isEqualTo(202);
  }

  @Test
  void consumptionShownOfflineIsCentralsFigurePlusPendingSales() throws Exception {
    JsonNode before = json(get("/api/v1/visits?bracelet=B-1001").body());
    assertThat(before.get("consumedCentral").decimalValue()).isEqualByComparingTo("10.00");
    assertThat(post(sale(p -> {}).toString()).statusCode()).isEqualTo(202);
    JsonNode after = json(get("/api/v1/visits?bracelet=B-1001").body());
    assertThat(after.get("consumed").decimalValue())
        .isEqualByComparingTo(
            before.get("consumed").decimalValue().add(new java.math.BigDecimal("7.00")));
    assertThat(json(get("/api/v1/visits?bracelet=B-9999").body()).get("active").asBoolean())
        .isFalse();
  }

  @Test
  void visitsOlderThanTheScopeArePruned() throws Exception {
    String old = Instant.now().minus(Duration.ofDays(4)).toString();
    cache.applyAll(
        List.of(
            new MasterDataChange(
                MasterDataSets.VISITS,
                "V-OLD",
                VERSION.incrementAndGet(),
                false,
                data(
                    "{\"id\":\"V-OLD\",\"braceletId\":\"B-OLD\",\"openedAt\":\""
                        + old
                        + "\",\"closedAt\":null,\"consumed\":0}"))),
        Instant.now());
    assertThat(get("/api/v1/visits?bracelet=B-OLD").statusCode()).isEqualTo(200);
    if (centralClock.centralNow().isEmpty()) {
      assertThat(syncNow().statusCode()).isEqualTo(200);
      assertThat(get("/api/v1/visits?bracelet=B-OLD").statusCode())
          .as("never pruned by a clock not compared with central's yet")
          .isEqualTo(200);
    }
    centralClock.stampedBeforeNow(Instant.now()); // a receipt from central
    assertThat(syncNow().statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/visits?bracelet=B-OLD").statusCode()).isEqualTo(404);
  }

  // --- helpers ---

  @Test
  void staffSignInOfflineAgainstTheSyncedPinHash() throws Exception {
    HttpResponse<String> ok = signIn("{\"operatorId\":\"cashier-1\",\"pin\":\"1234\"}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(json(ok.body()).get("roles").get(0).asText()).isEqualTo("CASHIER");
    assertThat(signIn("{\"operatorId\":\"cashier-1\",\"pin\":\"9999\"}").statusCode())
        .isEqualTo(401);
    assertThat(signIn("{\"operatorId\":\"nobody\",\"pin\":\"1234\"}").statusCode()).isEqualTo(401);
    assertThat(signIn("{\"operatorId\":\"cashier-1\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void wrongPinsAreThrottledUntilAnOpsLoginLiftsTheLockout() throws Exception {
    load(
        MasterDataSets.OPERATORS,
        rec(
            "cashier-9",
            "{\"name\":\"Nico\",\"roles\":\"CASHIER\",\"pinHash\":\""
                + CASHIER_PIN_HASH
                + "\",\"active\":true}"));
    String wrong = "{\"operatorId\":\"cashier-9\",\"pin\":\"0000\"}";
    String right = "{\"operatorId\":\"cashier-9\",\"pin\":\"1234\"}";
    int firstRefusal = -1;
    for (int attempt = 1; attempt <= 30 && firstRefusal < 0; attempt++) {
      HttpResponse<String> r = signIn(wrong);
      if (r.statusCode() == 429) {
        firstRefusal = attempt;
        assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()))
            .isPositive();
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
            .startsWith("application/problem+json");
        assertThat(json(r.body()).path("status").asInt()).isEqualTo(429);
      } else {
        assertThat(r.statusCode()).isEqualTo(401);
      }
    }
    assertThat(firstRefusal).as("429 long before the 30th wrong PIN").isBetween(2, 10);
    assertThat(signIn(right).statusCode()).as("the right PIN during the lockout").isEqualTo(429);

    assertThat(liftLockout("cashier-9", null).statusCode()).as("no login").isEqualTo(401);
    assertThat(liftLockout("cashier-9", "viewer:viewer").statusCode())
        .as("viewer login")
        .isEqualTo(403);
    assertThat(signIn(right).statusCode()).isEqualTo(429);
    assertThat(liftLockout("cashier-9", "ops:ops").statusCode()).isEqualTo(204);
    HttpResponse<String> ok = signIn(right);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }

  private HttpResponse<String> liftLockout(String operatorId, String login) throws Exception {
    java.net.http.HttpRequest.Builder b =
        java.net.http.HttpRequest.newBuilder(uri("/api/v1/operators/" + operatorId + "/lockout"))
            .DELETE();
    if (login != null) {
      b.header(
          "Authorization",
          "Basic " + java.util.Base64.getEncoder().encodeToString(login.getBytes()));
    }
    return send(b.build());
  }

  private HttpResponse<String> signIn(String body) throws Exception {
    return send(
        java.net.http.HttpRequest.newBuilder(uri("/api/v1/operators/sign-in"))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> syncNow() throws Exception {
    return send(
        java.net.http.HttpRequest.newBuilder(uri("/api/v1/masterdata/sync"))
            .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private String priceOf(String id) throws Exception {
    for (JsonNode p : json(get("/api/v1/catalog").body()).get("items")) {
      if (p.get("id").asText().equals(id)) {
        return p.get("price").asText();
      }
    }
    return "";
  }

  private List<String> catalogIds() throws Exception {
    return json(get("/api/v1/catalog").body()).get("items").findValuesAsText("id");
  }

  private void load(String set, MasterDataChange... records) {
    List<MasterDataChange> list = new ArrayList<>();
    for (MasterDataChange r : records) {
      list.add(new MasterDataChange(set, r.id(), r.version(), false, r.data()));
    }
    cache.replaceSet(set, list, Instant.now(), Instant.now());
  }

  private static MasterDataChange rec(String id, String json) {
    ObjectNode d = data(json);
    d.put("id", id);
    return new MasterDataChange(null, id, VERSION.incrementAndGet(), false, d);
  }

  private static ObjectNode data(String json) {
    try {
      return (ObjectNode) Contracts.mapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode sale(java.util.function.Consumer<ObjectNode> edit) {
    ObjectNode op = freshValid("sale.recorded.json");
    edit.accept((ObjectNode) op.get("payload"));
    return op;
  }

  private static ObjectNode memberSale(String member) {
    ObjectNode op = freshValid("sale.recorded-member.json");
    ((ObjectNode) op.get("payload")).put("memberId", member);
    return op;
  }

  private static ObjectNode scan(String qr, String match, String direction) {
    ObjectNode op = freshValid("access.recorded.json");
    ((ObjectNode) op.get("payload"))
        .put("qrCode", qr)
        .put("matchId", match)
        .put("direction", direction);
    return op;
  }

  private static ObjectNode event(String match, String team, String player) {
    ObjectNode op = freshValid("match-event.recorded.json");
    ((ObjectNode) op.get("payload"))
        .put("matchId", match)
        .put("team", team)
        .put("playerId", player);
    return op;
  }

  private static void publish(MasterDataChange change) throws Exception {
    publishText(Contracts.mapper().writeValueAsString(change));
  }

  private static void publishText(String text) throws Exception {
    try (ActiveMQConnectionFactory cf = central.serviceConnectionFactory();
        Connection c = cf.createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue("outpost.masterdata." + TERMINAL));
      p.send(s.createTextMessage(text));
    }
  }
}
