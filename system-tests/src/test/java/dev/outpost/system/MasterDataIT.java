package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Fixtures;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.Edge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Master data from central down to a terminal, with both apps as real processes: bootstrap, changes
 * made by plain SQL, deletes, 1,000 changes while the terminal was down, and offline validation
 * from the cache alone once central is stopped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MasterDataIT {
  static final String TERMINAL = "md-till-1";
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static Central central;
  static Edge edge;

  @BeforeAll
  static void start() {
    central = Central.withEmbeddedDb("MasterDataIT-central").start();
    edge = Edge.create("MasterDataIT-edge", TERMINAL, central);
    edge.process().env().put("OUTPOST_CENTRAL_HTTP_URL", central.process().baseUrl());
    edge.process().env().put("OUTPOST_MASTERDATA_CHECK_MS", "1000");
    edge.start();
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
    if (central != null) {
      central.close();
    }
  }

  @Test
  @Order(1)
  void aNewTerminalBootstrapsAndReportsReady() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> edge.client().syncStatus().at("/masterData/readyForOffline").asBoolean());
    JsonNode status = edge.client().syncStatus();
    assertThat(status.at("/masterData/sets/products/lastPull").asText()).isNotBlank();
    assertThat(status.get("alerts").toString()).doesNotContain("MASTERDATA_STALE");
    assertThat(price("beer")).isEqualTo("3.50");
  }

  @Test
  @Order(2)
  void aPriceChangedWithPlainSqlReachesTheTerminalsCatalog() {
    central.db().jdbc().update("update products set price = 4.25 where id = 'beer'");
    await().atMost(Duration.ofSeconds(30)).until(() -> price("beer").equals("4.25"));
  }

  @Test
  @Order(3)
  void aRowDeletedCentrallyDisappearsFromTheTerminal() {
    central
        .db()
        .jdbc()
        .update("insert into products (id, name, price) values ('temp-x', 'Temp', 1.00)");
    await().atMost(Duration.ofSeconds(30)).until(() -> price("temp-x").equals("1.00"));
    central.db().jdbc().update("delete from products where id = 'temp-x'");
    await().atMost(Duration.ofSeconds(30)).until(() -> price("temp-x").isEmpty());
  }

  @Test
  @Order(4)
  void aTerminalOfflineWhile1000RecordsChangedConvergesAndChecksumsMatch() {
    edge.process().stop();
    central
        .db()
        .jdbc()
        .update(
            "insert into products (id, name, price) select 'bulk-' || g, 'Bulk ' || g, 1.00 from generate_series(1, 600) g");
    central
        .db()
        .jdbc()
        .update("update products set price = 2.00 where id like 'bulk-%' and id <= 'bulk-4'");
    central
        .db()
        .jdbc()
        .update(
            "insert into members (id, name) select 'BM-' || g, 'Bulk member ' || g from generate_series(1, 100) g");
    edge.start();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                checksums(edge.baseUrl() + "/api/v1/masterdata/checksums")
                    .equals(centralChecksums()));
    assertThat(price("bulk-1")).isEqualTo("2.00");
    assertThat(price("bulk-600")).isEqualTo("1.00");
  }

  @Test
  @Order(5)
  void withCentralStoppedTheTerminalValidatesFromItsCacheAlone() {
    central.process().stop();
    assertThat(post(sale("B-1001")).status()).isEqualTo(202);
    assertThat(post(sale("B-9999")).status()).isEqualTo(422);
    assertThat(post(scan("QR-0001", "IN")).status()).isEqualTo(202);
    assertThat(post(scan("QR-0001", "IN")).status()).isEqualTo(422); // anti-passback
    assertThat(post(scan("QR-0002", "IN")).status()).isEqualTo(422); // revoked
    ObjectNode goal = fresh("match-event.recorded.json");
    assertThat(post(goal.toString()).status()).isEqualTo(202);
    ((ObjectNode) goal.get("payload")).put("playerId", "P-21"); // an away player scoring for home
    goal.put("operationId", UUID.randomUUID().toString());
    assertThat(post(goal.toString()).status()).isEqualTo(422);
    JsonNode visit = getJson(edge.baseUrl() + "/api/v1/visits?bracelet=B-1001");
    assertThat(visit.get("consumedPending").decimalValue()).isEqualByComparingTo("7.00");
  }

  // --- helpers ---

  private static dev.outpost.system.harness.EdgeClient.Response post(String body) {
    return edge.client().postOperation(body);
  }

  private static String sale(String bracelet) {
    ObjectNode op = fresh("sale.recorded.json");
    ((ObjectNode) op.get("payload")).put("braceletId", bracelet);
    return op.toString();
  }

  private static String scan(String qr, String direction) {
    ObjectNode op = fresh("access.recorded.json");
    ((ObjectNode) op.get("payload")).put("qrCode", qr).put("direction", direction);
    return op.toString();
  }

  private static ObjectNode fresh(String fixture) {
    ObjectNode op = Fixtures.valid(fixture);
    op.put("operationId", UUID.randomUUID().toString());
    return op;
  }

  private static String price(String productId) {
    for (JsonNode p : getJson(edge.baseUrl() + "/api/v1/catalog").get("items")) {
      if (p.get("id").asText().equals(productId)) {
        return p.get("price").asText();
      }
    }
    return "";
  }

  private static String centralChecksums() {
    return checksums(
        central.process().baseUrl()
            + "/api/v1/masterdata-sync/checksums?visitsSince="
            + getJson(edge.baseUrl() + "/api/v1/masterdata/checksums").get("visitsSince").asText());
  }

  private static String checksums(String url) {
    return getJson(url).get("sets").toString();
  }

  private static JsonNode getJson(String url) {
    try {
      HttpResponse<String> res =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url))
                  // Central's sandbox viewer login (the edge ignores it).
                  .header(
                      "Authorization",
                      "Basic "
                          + java.util.Base64.getEncoder()
                              .encodeToString("viewer:viewer".getBytes()))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        throw new AssertionError(url + " -> " + res.statusCode() + " " + res.body());
      }
      return Contracts.mapper().readTree(res.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
