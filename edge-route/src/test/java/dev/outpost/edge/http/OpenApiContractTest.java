package dev.outpost.edge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.broker.EmbeddedBroker;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Lane;
import dev.outpost.contracts.MasterDataChange;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.contracts.PinHash;
import dev.outpost.edge.masterdata.MasterDataStore;
import dev.outpost.edge.support.EdgeTestSupport;
import dev.outpost.edge.sync.StatusStreamClient;
import dev.outpost.support.OpenApiContract;
import dev.outpost.support.OpenApiContract.Answer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.core.settings.HierarchicalRepository;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The terminal's OpenAPI document (contracts {@code openapi/edge-api.yaml}) against the running
 * terminal (real Derby and Artemis, central unreachable): the REST routes Camel holds and the
 * document's operations are the same set, and every answer the document names (path, method,
 * status, media type) is produced here and matches its schema ({@link OpenApiContract}, which every
 * edge test's HTTP calls go through).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OpenApiContractTest extends EdgeTestSupport {
  static final String TERMINAL = "till-contract";
  static final Path DATA = tempDataDir("openapi-contract");
  static final int MAX_BODY = 4096;
  static final int MAX_IN_FLIGHT = 3;
  static final AtomicLong VERSION = new AtomicLong();

  /**
   * Documented answers this test cannot produce without breaking the terminal it runs on, each with
   * the test that proves it.
   */
  static final Map<Answer, String> PROVEN_ELSEWHERE =
      Map.of(
          new Answer("POST", "/api/v1/operations", 507, "application/problem+json"),
          "needs a nearly full disk: DiskGuardTest.refusesWith507AndWarnsWhenFreeSpaceIsBelowTheLimits");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("outpost.terminal-id", () -> TERMINAL);
    r.add("outpost.data-dir", DATA::toString);
    r.add("outpost.broker.in-vm-id", () -> "36");
    // Nobody listens there: the terminal is offline for this whole class.
    r.add("outpost.central.broker-url", () -> "tcp://127.0.0.1:" + freePort());
    r.add("outpost.central.http-url", () -> "http://127.0.0.1:" + freePort());
    r.add("outpost.ingest.max-body-bytes", () -> Integer.toString(MAX_BODY));
    r.add("outpost.http.max-in-flight-per-client", () -> Integer.toString(MAX_IN_FLIGHT));
    r.add("spring.jmx.unique-names", () -> "true");
    // One status stream at a time: the second is the documented 503.
    r.add("outpost.operator.streams-max", () -> "1");
  }

  @Autowired CamelContext camel;
  @Autowired MasterDataStore cache;
  @Autowired EmbeddedBroker broker;
  @Autowired ClientLimitFilter clientLimit;

  @Test
  void theRestRoutesAreExactlyTheDocumentedOperations() {
    Set<String> routes = new LinkedHashSet<>();
    for (RestDefinition rest :
        camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
      for (VerbDefinition verb : rest.getVerbs()) {
        String path =
            (rest.getPath() == null ? "" : rest.getPath())
                + (verb.getPath() == null ? "" : verb.getPath());
        routes.add(
            verb.asVerb().toUpperCase() + " " + OpenApiContract.anonymous(path.replace("//", "/")));
      }
    }
    Set<String> documented = API.operations();
    Set<String> undocumented = new LinkedHashSet<>(routes);
    undocumented.removeAll(documented);
    Set<String> unserved = new LinkedHashSet<>(documented);
    unserved.removeAll(routes);
    assertThat(
            Map.of(
                "REST routes missing from the document",
                undocumented,
                "documented but no route",
                unserved))
        .as("the terminal's REST routes against %s", API.resource())
        .allSatisfy((what, ops) -> assertThat(ops).as(what).isEmpty());
  }

  @Test
  void everyDocumentedAnswerIsServedAndMatchesItsSchema() throws Exception {
    int mark = API.observed().size();
    loadMasterData();

    // ingest
    ObjectNode sale = freshValid("sale.recorded.json");
    assertThat(post(sale.toString()).statusCode()).isEqualTo(202);
    String id = sale.get("operationId").asText();
    assertThat(post(sale.toString()).statusCode()).isEqualTo(202);
    ((ObjectNode) sale.get("payload")).put("observations", "other content");
    assertThat(post(sale.toString()).statusCode()).isEqualTo(409);
    assertThat(post("{").statusCode()).isEqualTo(400);
    ObjectNode unknownProduct = freshValid("sale.recorded.json");
    ((ObjectNode) unknownProduct.at("/payload/lines/0")).put("productId", "no-such-product");
    assertThat(post(unknownProduct.toString()).statusCode()).isEqualTo(422);
    queueRefuses(
        () ->
            assertThat(post(freshValid("sale.recorded.json").toString()).statusCode())
                .isEqualTo(503));
    assertThat(get("/api/v1/operations/" + id).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/operations/not-a-uuid").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/operations/0193a1f0-7c2e-7a10-8b00-00000000dead").statusCode())
        .isEqualTo(404);
    assertThat(
            get("/api/v1/operations?status=QUEUED&from=2026-11-23&to=2026-11-23&limit=1")
                .statusCode())
        .isEqualTo(200);
    assertThat(get("/api/v1/operations?status=LOST&limit=5000").statusCode()).isEqualTo(400);

    // master data reads
    String tooLong = "x".repeat(201);
    assertThat(get("/api/v1/catalog").statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/ticket-types").statusCode()).isEqualTo(200);
    for (String path : List.of("/api/v1/members/", "/api/v1/accreditations/", "/api/v1/matches/")) {
      String known =
          path.contains("members") ? "M-1" : path.contains("matches") ? "MATCH-1" : "QR-1";
      assertThat(get(path + known).statusCode()).as(path).isEqualTo(200);
      assertThat(get(path + "unknown").statusCode()).as(path).isEqualTo(404);
      assertThat(get(path + tooLong).statusCode()).as(path).isEqualTo(400);
    }
    assertThat(get("/api/v1/visits?bracelet=B-1001").statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/visits?bracelet=B-none").statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/visits").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/masterdata/checksums").statusCode()).isEqualTo(200);
    assertThat(postJson("/api/v1/masterdata/sync", null, Map.of()).statusCode()).isEqualTo(200);

    // sign-in and lockout
    assertThat(
            postJson(
                    "/api/v1/operators/sign-in",
                    "{\"operatorId\":\"cashier-1\",\"pin\":\"1234\"}",
                    Map.of())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            postJson(
                    "/api/v1/operators/sign-in",
                    "{\"operatorId\":\"cashier-1\",\"pin\":\"0000\"}",
                    Map.of())
                .statusCode())
        .isEqualTo(401);
    assertThat(postJson("/api/v1/operators/sign-in", "{}", Map.of()).statusCode()).isEqualTo(400);
    assertThat(delete("/api/v1/operators/cashier-1/lockout", null, Map.of()).statusCode())
        .isEqualTo(401);
    assertThat(
            delete("/api/v1/operators/cashier-1/lockout", "viewer:viewer", Map.of()).statusCode())
        .isEqualTo(403);
    assertThat(delete("/api/v1/operators/cashier-1/lockout", "ops:ops", Map.of()).statusCode())
        .isEqualTo(204);

    // sync, export, key, the document itself
    assertThat(get("/api/v1/sync/status").statusCode()).isEqualTo(200);
    URI stream = uri("/api/v1/sync/status/stream");
    try (StatusStreamClient open = StatusStreamClient.open(HTTP, stream);
        StatusStreamClient refused = StatusStreamClient.open(HTTP, stream)) {
      assertThat(open.status()).isEqualTo(200);
      API.check("GET", stream, 200, open.header("Content-Type"), open.next(Duration.ofSeconds(10)));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.endedWithin(Duration.ofSeconds(10))).isTrue();
      API.check("GET", stream, 503, refused.header("Content-Type"), refused.raw());
    }
    for (String action : List.of("pause", "resume", "now")) {
      assertThat(postJson("/api/v1/sync/" + action, null, Map.of()).statusCode()).isEqualTo(200);
    }
    assertThat(get("/api/v1/export?day=" + LocalDate.now()).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/export").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/terminal/key").statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/openapi.yaml").statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/openapi.json").statusCode()).isEqualTo(200);

    // the guards, on every documented operation that they apply to
    for (String op : API.operations()) {
      String method = op.substring(0, op.indexOf(' '));
      String path = example(op.substring(op.indexOf(' ') + 1));
      String answer =
          RawHttp.exchange(port, RawHttp.request(method, path, "evil.example", null, null));
      assertThat(RawHttp.status(answer)).as(op + " with a foreign Host").isEqualTo(421);
      API.check(method, uri(path), 421, header(answer, "Content-Type"), RawHttp.body(answer));
      if (!method.equals("GET")) {
        Map<String, String> foreign = Map.of("Origin", "http://evil.example");
        HttpResponse<String> r =
            method.equals("DELETE")
                ? delete(path, "ops:ops", foreign)
                : postJson(path, "{}", foreign);
        assertThat(r.statusCode()).as(op + " from a foreign origin").isEqualTo(403);
      }
      if (method.equals("POST")) {
        assertThat(postWith(path, "text/plain", "x").statusCode())
            .as(op + " text/plain")
            .isEqualTo(415);
        String big = "{\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}";
        assertThat(postWith(path, "application/json", big).statusCode())
            .as(op + " too large")
            .isEqualTo(413);
      }
    }
    whileClientHasMaxInFlight(
        () -> {
          for (String op : API.operations()) {
            String method = op.substring(0, op.indexOf(' '));
            String path = example(op.substring(op.indexOf(' ') + 1));
            HttpResponse<String> r =
                switch (method) {
                  case "GET" -> get(path);
                  case "DELETE" -> delete(path, "ops:ops", Map.of());
                  default -> postJson(path, "{}", Map.of());
                };
            assertThat(r.statusCode()).as(op + " beyond the in-flight limit").isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
          }
        });

    List<Answer> seen = API.observed();
    Set<Answer> here = new LinkedHashSet<>(seen.subList(mark, seen.size()));
    Set<Answer> missing = new LinkedHashSet<>(API.answers());
    missing.removeAll(here);
    missing.removeAll(PROVEN_ELSEWHERE.keySet());
    assertThat(missing)
        .as("answers %s names that the terminal did not give", API.resource())
        .isEmpty();
  }

  @Test
  void theApiPageIsServedWithItsScriptAndLinkedFromTheOperatorPage() throws Exception {
    HttpResponse<String> page = get("/operator/api.html");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/operator/api.js").doesNotContain("https://");
    HttpResponse<String> script = get("/operator/api.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("/api/v1/openapi.json").doesNotContain("https://");
    assertThat(get("/").body()).contains("/operator/api.html");
    JsonNode doc = json(get("/api/v1/openapi.json").body());
    assertThat(doc).isEqualTo(API.document());
  }

  // --- helpers ---

  interface Step {
    void run() throws Exception;
  }

  private void queueRefuses(Step step) throws Exception {
    HierarchicalRepository<AddressSettings> settings =
        broker.server().getAddressSettingsRepository();
    String critical = Destinations.outbound(Lane.CRITICAL);
    AddressSettings original = settings.getMatch(critical);
    settings.addMatch(
        critical,
        new AddressSettings()
            .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL)
            .setMaxSizeBytes(1));
    try {
      step.run();
    } finally {
      settings.addMatch(critical, original);
    }
  }

  /** Holds MAX_IN_FLIGHT requests open (headers sent, body stalled) while {@code step} runs. */
  private void whileClientHasMaxInFlight(Step step) throws Exception {
    List<RawHttp> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_IN_FLIGHT; i++) {
        stalled.add(
            new RawHttp(port)
                .write(
                    "POST /api/v1/operations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{"));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> clientLimit.inFlight("127.0.0.1") >= MAX_IN_FLIGHT);
      step.run();
    } finally {
      for (RawHttp r : stalled) {
        r.close();
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> clientLimit.inFlight("127.0.0.1") == 0);
  }

  /** A concrete path for a documented template. */
  private static String example(String template) {
    return template.replace("{}", "cashier-1");
  }

  private static String header(String raw, String name) {
    for (String line : raw.substring(0, Math.max(0, raw.indexOf("\r\n\r\n"))).split("\r\n")) {
      if (line.toLowerCase().startsWith(name.toLowerCase() + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  private HttpResponse<String> postJson(String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
    if (body == null) {
      b.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    headers.forEach(b::header);
    return send(b.build());
  }

  private HttpResponse<String> postWith(String path, String contentType, String body)
      throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> delete(String path, String login, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).DELETE();
    if (login != null) {
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)));
    }
    headers.forEach(b::header);
    return send(b.build());
  }

  private void loadMasterData() {
    load(
        MasterDataSets.PRODUCTS,
        rec("beer", "{\"name\":\"Beer\",\"price\":3.50,\"available\":true}"));
    load(
        MasterDataSets.TICKET_TYPES,
        rec("adult", "{\"name\":\"Adult\",\"price\":20.00,\"available\":true}"));
    load(MasterDataSets.MEMBERS, rec("M-1", "{\"name\":\"Ann\",\"active\":true}"));
    load(
        MasterDataSets.VISITS,
        rec(
            "V-1",
            "{\"braceletId\":\"B-1001\",\"openedAt\":\""
                + Instant.now()
                + "\",\"consumed\":0.00}"));
    load(MasterDataSets.MATCHES, rec("MATCH-1", "{\"homeTeam\":\"Reds\",\"awayTeam\":\"Blues\"}"));
    load(MasterDataSets.ACCREDITATIONS, rec("QR-1", "{\"matchId\":\"MATCH-1\",\"holder\":\"Bo\"}"));
    load(
        MasterDataSets.OPERATORS,
        rec(
            "cashier-1",
            "{\"name\":\"Cat\",\"roles\":\"cashier\",\"active\":true,\"pinHash\":\""
                + PinHash.hash("1234")
                + "\"}"));
  }

  private void load(String set, MasterDataChange record) {
    MasterDataChange r =
        new MasterDataChange(set, record.id(), record.version(), false, record.data());
    cache.replaceSet(set, List.of(r), Instant.now(), Instant.now());
  }

  private static MasterDataChange rec(String id, String json) {
    try {
      ObjectNode d = (ObjectNode) Contracts.mapper().readTree(json);
      d.put("id", id);
      return new MasterDataChange(null, id, VERSION.incrementAndGet(), false, d);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
