package dev.outpost.central.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.CentralApi;
import dev.outpost.central.CentralTestEnv;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.DayFiles;
import dev.outpost.contracts.Fixtures;
import dev.outpost.contracts.RejectReason;
import dev.outpost.support.PrometheusScrape;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Prometheus series the README lists for central, scraped from {@code /actuator/prometheus}
 * (viewer login) while real operations go through the real ingest (PostgreSQL, Artemis): accepted,
 * duplicate, flagged and rejected operations by source (bridge, import, replay), one transient
 * failure (the ingest's PostgreSQL connection killed while its batch waits on a lock: the batch is
 * retried, not dead-lettered), the DLQ depth by reason, the batch-duration histogram, and the
 * README's error rate computed from the scraped values.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Spring Boot's tests turn metric export off unless asked; the app has it on.
@AutoConfigureObservability
class CentralMetricsTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("central-metrics");
  static final String TERMINAL = "till-metrics";
  static final String INBOX = "outpost.ops.in." + TERMINAL;
  static final String OPS = "outpost_central_ingest_operations_total";
  static final String FAILURES = "outpost_central_ingest_batch_failures_total";
  static final String DURATION = "outpost_central_ingest_batch_duration_seconds";
  static final String DLQ = "outpost_central_dlq_depth";
  static final AtomicLong SEQ = new AtomicLong();

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
    r.add("outpost.metrics.dlq-sample-ms", () -> "200");
    r.add("outpost.ingest.retry-max-backoff", () -> "500ms");
  }

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired CamelContext camel;

  @Test
  void theReadmeSeriesCountWhatWasDrivenAndGiveTheErrorRate() throws Exception {
    assertThat(scrape(null).statusCode()).isEqualTo(401);
    PrometheusScrape before = scrape();

    // 3 accepted, one redelivered (duplicate), one against a closed visit (flagged).
    ObjectNode first = sale("B-1001", "beer");
    send(first);
    send(sale("B-1001", "water"));
    send(sale("B-1001", "beer"));
    awaitOps("ACCEPTED", "bridge", before, 3);
    send(first);
    awaitOps("DUPLICATE", "bridge", before, 1);
    send(sale("B-9999", "beer"));
    awaitOps("FLAGGED", "bridge", before, 1);

    // One rejection (unknown product): dead-lettered, counted, and in the DLQ gauge.
    ObjectNode unknown = sale("B-1001", "no-such-product");
    send(unknown);
    awaitOps("REJECTED", "bridge", before, 1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> scrape().value(DLQ, Map.of("reason", "UNKNOWN_REFERENCE")) == 1);

    // A replay that fails again counts under source=replay; the DLQ still holds one.
    String dlqId =
        json(get("/api/v1/dead-letters?reason=UNKNOWN_REFERENCE", "viewer:viewer"))
            .at("/items/0/id")
            .asText();
    HttpResponse<String> replay =
        CentralApi.send(
            CentralApi.request(
                port, "POST", "/api/v1/dead-letters/" + dlqId + "/replay", "ops:ops", null, null));
    assertThat(json(replay.body()).get("outcome").asText()).isEqualTo("REJECTED");
    awaitOps("REJECTED", "replay", before, 1);

    // A day file's operation counts under source=import.
    KeyPair keys = KeyPairGenerator.getInstance(DayFiles.KEY_ALGORITHM).generateKeyPair();
    HttpResponse<String> key =
        CentralApi.send(
            CentralApi.request(
                port,
                "PUT",
                "/api/v1/terminals/" + TERMINAL + "/key",
                "ops:ops",
                "application/json",
                "{\"publicKey\":\"" + DayFiles.encode(keys.getPublic()) + "\"}"));
    assertThat(key.statusCode()).as(key.body()).isEqualTo(200);
    HttpResponse<String> imported =
        CentralApi.send(
            CentralApi.request(
                port, "POST", "/api/v1/imports", "ops:ops", "application/json", dayFile(keys)));
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    awaitOps("ACCEPTED", "import", before, 1);

    // One transient failure: the batch waits on a lock, its connection is killed, it is retried.
    String db = "jdbc:postgresql://127.0.0.1:" + ENV.dbPort() + "/outpost";
    try (Connection lock = DriverManager.getConnection(db, "outpost", "outpost")) {
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("lock table sales in access exclusive mode");
      }
      send(sale("B-1001", "beer"));
      String waiting =
          "select pid from pg_stat_activity where datname = 'outpost' and wait_event_type = 'Lock'"
              + " and query ilike '%sales%'";
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !jdbc.queryForList(waiting, Integer.class).isEmpty());
      for (Integer pid : jdbc.queryForList(waiting, Integer.class)) {
        jdbc.queryForObject("select pg_terminate_backend(?)", Boolean.class, pid);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> scrape().value(FAILURES, Map.of()) - before.value(FAILURES, Map.of()) == 1);
      assertThat(scrape().value(OPS, Map.of("outcome", "ACCEPTED", "source", "bridge")))
          .as("nothing applied while the lock is held")
          .isEqualTo(before.value(OPS, Map.of("outcome", "ACCEPTED", "source", "bridge")) + 3);
      lock.rollback();
    }
    awaitOps("ACCEPTED", "bridge", before, 4);

    PrometheusScrape after = scrape();
    assertThat(after.delta(before, OPS, Map.of("source", "bridge"))).isEqualTo(4 + 1 + 1 + 1);
    assertThat(after.delta(before, OPS, Map.of("source", "import"))).isEqualTo(1);
    assertThat(after.delta(before, OPS, Map.of())).isEqualTo(9);
    assertThat(after.delta(before, FAILURES, Map.of())).isEqualTo(1);
    assertThat(after.value(DLQ, Map.of("reason", "UNKNOWN_REFERENCE"))).isEqualTo(1);
    for (RejectReason r : RejectReason.values()) {
      assertThat(after.has(DLQ, Map.of("reason", r.name()))).as("dlq gauge of " + r).isTrue();
    }
    long batches =
        camel
            .getCamelContextExtension()
            .getContextPlugin(ManagedCamelContext.class)
            .getManagedRoute(IngestMetrics.ROUTE)
            .getExchangesTotal();
    assertThat(after.value(DURATION + "_count", Map.of()))
        .as("one duration per batch the ingest route ran (failed ones too)")
        .isEqualTo(batches);
    assertThat(after.delta(before, DURATION + "_count", Map.of())).isGreaterThanOrEqualTo(8);
    assertThat(after.value(DURATION + "_sum", Map.of())).isPositive();
    assertThat(after.value(DURATION + "_bucket", Map.of("le", "+Inf")))
        .isEqualTo(after.value(DURATION + "_count", Map.of()));
    assertThat(after.series())
        .as("every series carries the application tag")
        .filteredOn(s -> s.startsWith("outpost_central_"))
        .allMatch(s -> s.contains("application=\"outpost-central\""));

    // The README's alert figures over this window (what increase()/rate() give over it).
    double rejected = after.delta(before, OPS, Map.of("outcome", "REJECTED"));
    double handled = after.delta(before, OPS, Map.of());
    assertThat(rejected / handled).as("rejected share of handled operations").isEqualTo(2.0 / 9);
    double failedBatches = after.delta(before, FAILURES, Map.of());
    double allBatches = after.delta(before, DURATION + "_count", Map.of());
    assertThat(failedBatches / allBatches)
        .as("failed share of batches")
        .isEqualTo(1.0 / allBatches)
        .isGreaterThan(0);
  }

  // --- helpers ---

  private void awaitOps(String outcome, String source, PrometheusScrape before, long n) {
    Map<String, String> tags = Map.of("outcome", outcome, "source", source);
    await().atMost(Duration.ofSeconds(30)).until(() -> scrape().delta(before, OPS, tags) == n);
  }

  private ObjectNode sale(String bracelet, String product) {
    ObjectNode op = Fixtures.valid("sale.recorded.json");
    op.put("operationId", UUID.randomUUID().toString()).put("schemaVersion", 1);
    op.put("terminalId", TERMINAL).put("sequence", SEQ.incrementAndGet());
    ((ObjectNode) op.get("payload")).put("braceletId", bracelet);
    ((ObjectNode) op.at("/payload/lines/0")).put("productId", product);
    return op;
  }

  private void send(ObjectNode op) throws Exception {
    ENV.sendAsBridge(INBOX, op.toString());
  }

  private String get(String path, String login) throws Exception {
    HttpResponse<String> res =
        CentralApi.send(CentralApi.request(port, "GET", path, login, null, null));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return res.body();
  }

  private HttpResponse<String> scrape(String login) throws Exception {
    return CentralApi.send(
        CentralApi.request(port, "GET", "/actuator/prometheus", login, null, null));
  }

  private PrometheusScrape scrape() throws Exception {
    HttpResponse<String> res = scrape("viewer:viewer");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return PrometheusScrape.parse(res.body());
  }

  private String dayFile(KeyPair keys) throws Exception {
    ObjectNode file = Fixtures.dayFile(TERMINAL, keys.getPublic(), sale("B-1001", "beer"));
    return Contracts.mapper().writeValueAsString(DayFiles.seal(file, keys.getPrivate()));
  }

  private static JsonNode json(String text) throws Exception {
    return Contracts.mapper().readTree(text);
  }
}
