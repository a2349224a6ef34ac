package dev.outpost.central.masterdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.central.CentralApi;
import dev.outpost.central.CentralTestEnv;
import dev.outpost.contracts.Contracts;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Change capture and publication on central's real embedded PostgreSQL and Artemis: a change made
 * by plain SQL (not through Outpost) reaches a registered terminal's queue; the admin API writes;
 * snapshots and checksums.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MasterDataCentralTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("central-md");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
    r.add("outpost.masterdata.publish-interval-ms", () -> "100");
  }

  @LocalServerPort int port;
  @Autowired ConnectionFactory cf;
  @Autowired JdbcTemplate jdbc;

  @Test
  void priceChangedByPlainSqlReachesTheRegisteredTerminalsQueue() throws Exception {
    JsonNode snapshot = json(get("/api/v1/masterdata-sync/snapshots/products?terminal=till-md1"));
    assertThat(snapshot.get("records").findValuesAsText("id")).contains("beer", "water");

    jdbc.update("update products set price = 4.25 where id = 'beer'");

    // Earlier changes of beer (the demo seed) may come first; wait for the new price.
    JsonNode change =
        nextChange("till-md1", "beer", c -> c.at("/data/price").asText().equals("4.25"));
    assertThat(change.get("set").asText()).isEqualTo("products");
    assertThat(change.get("deleted").asBoolean()).isFalse();
    assertThat(change.get("data").get("price").decimalValue()).isEqualByComparingTo("4.25");
    assertThat(change.get("version").asLong()).isGreaterThan(versionIn(snapshot, "beer"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                jdbc.queryForObject("select count(*) from masterdata_outbox", Integer.class) == 0);
  }

  /**
   * Terminals keep the highest version: older changes of a record in the same batch are dropped.
   */
  @Test
  void aRecordChangedThriceInOneBatchTravelsOnceAtItsLatestVersion() throws Exception {
    get("/api/v1/masterdata-sync/snapshots/products?terminal=till-md3");
    // One implicit transaction: the three outbox rows commit together, so one batch reads them.
    jdbc.execute(
        "update products set price = 5.01 where id = 'water';"
            + " update products set price = 5.02 where id = 'water';"
            + " update products set price = 5.03 where id = 'water'");
    JsonNode change =
        nextChange("till-md3", "water", c -> c.at("/data/price").asText().startsWith("5.0"));
    assertThat(change.at("/data/price").asText()).isEqualTo("5.03");
  }

  @Test
  void adminApiWritesAreCapturedAndDeletesTravelAsTombstones() throws Exception {
    get("/api/v1/masterdata-sync/snapshots/players?terminal=till-md2");
    long before =
        json(get("/api/v1/masterdata-sync/checksums?terminal=till-md2"))
            .at("/sets/players/count")
            .asLong();

    HttpResponse<String> put =
        send(
            "PUT",
            "/api/v1/masterdata/players/P-77",
            "{\"team\":\"Demo FC\",\"name\":\"Sev Seven\",\"shirtNumber\":77}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(json(put.body()).get("shirtNumber").asInt()).isEqualTo(77);
    assertThat(nextChange("till-md2", "P-77").at("/data/name").asText()).isEqualTo("Sev Seven");
    assertThat(
            json(get("/api/v1/masterdata-sync/checksums?terminal=till-md2"))
                .at("/sets/players/count")
                .asLong())
        .isEqualTo(before + 1);
    assertThat(json(get("/api/v1/masterdata/players")).get("items").findValuesAsText("id"))
        .contains("P-77");

    assertThat(send("DELETE", "/api/v1/masterdata/players/P-77", null).statusCode()).isEqualTo(204);
    assertThat(nextChange("till-md2", "P-77").get("deleted").asBoolean()).isTrue();
    assertThat(send("DELETE", "/api/v1/masterdata/players/P-77", null).statusCode()).isEqualTo(404);

    jdbc.update("insert into players (id, team, name) values ('P-78', 'Demo FC', 'Hard Delete')");
    nextChange("till-md2", "P-78");
    jdbc.update("delete from players where id = 'P-78'");
    JsonNode tombstone = nextChange("till-md2", "P-78");
    assertThat(tombstone.get("deleted").asBoolean()).isTrue();
    assertThat(tombstone.has("data")).isFalse();
  }

  @Test
  void badAdminRequestsAreRefusedWithProblems() throws Exception {
    assertThat(send("PUT", "/api/v1/masterdata/products/x", "{\"name\":\"no price\"}").statusCode())
        .isEqualTo(400);
    assertThat(send("PUT", "/api/v1/masterdata/nope/x", "{}").statusCode()).isEqualTo(404);
    assertThat(
            send("GET", "/api/v1/masterdata-sync/snapshots/products?terminal=Bad_Id", null)
                .statusCode())
        .isEqualTo(400);
    HttpResponse<String> op =
        send(
            "PUT",
            "/api/v1/masterdata/operators/bar-3",
            "{\"name\":\"Bo\",\"roles\":\"CASHIER\",\"pin\":\"4321\"}");
    assertThat(op.statusCode()).as(op.body()).isEqualTo(200);
    assertThat(json(op.body()).get("pinHash").asText())
        .startsWith("pbkdf2-sha256$")
        .doesNotContain("4321");
    assertThat(
            dev.outpost.contracts.PinHash.matches("4321", json(op.body()).get("pinHash").asText()))
        .isTrue();
  }

  /** The next change for this record on the terminal's queue (others are skipped). */
  private JsonNode nextChange(String terminal, String id) throws Exception {
    return nextChange(terminal, id, c -> true);
  }

  private JsonNode nextChange(
      String terminal, String id, java.util.function.Predicate<JsonNode> wanted) throws Exception {
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue("outpost.masterdata." + terminal));
      List<String> seen = new ArrayList<>();
      long until = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < until) {
        TextMessage m = (TextMessage) consumer.receive(1_000);
        if (m == null) {
          continue;
        }
        // One message per outbox batch: {"changes": [...]}, each record once.
        JsonNode batch = Contracts.mapper().readTree(m.getText());
        assertThat(m.getIntProperty(OutboxPublisher.HDR_CHANGE_COUNT))
            .isEqualTo(batch.get("changes").size());
        List<String> ids = new ArrayList<>();
        batch
            .get("changes")
            .forEach(ch -> ids.add(ch.get("set").asText() + "/" + ch.get("id").asText()));
        assertThat(ids).doesNotHaveDuplicates();
        for (JsonNode doc : batch.get("changes")) {
          if (doc.get("id").asText().equals(id) && wanted.test(doc)) {
            return doc;
          }
        }
        seen.addAll(ids);
      }
      throw new AssertionError("no change for " + id + " on " + terminal + "; saw " + seen);
    }
  }

  private static long versionIn(JsonNode snapshot, String id) {
    for (JsonNode r : snapshot.get("records")) {
      if (r.get("id").asText().equals(id)) {
        return r.get("version").asLong();
      }
    }
    throw new AssertionError(id + " not in snapshot");
  }

  private String get(String path) throws Exception {
    HttpResponse<String> res = send("GET", path, null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return res.body();
  }

  /** As central's sandbox ops login; the answer is checked against the admin API document. */
  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return CentralApi.send(
        CentralApi.request(port, method, path, "ops:ops", "application/json", body));
  }

  private static JsonNode json(String text) throws IOException {
    return Contracts.mapper().readTree(text);
  }
}
