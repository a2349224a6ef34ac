package dev.outpost.central.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.CentralApi;
import dev.outpost.central.CentralTestEnv;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.DayFiles;
import dev.outpost.contracts.Fixtures;
import dev.outpost.support.OpenApiContract.Answer;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Central's admin API document (contracts {@code openapi/central-admin-api.yaml}) against the
 * running central (real PostgreSQL, Artemis and Spring Security): Spring MVC's handlers of /api/**
 * and the document's operations are the same (Spring itself routes each documented path and method,
 * and every handler is reached by one), and every answer the document names — each operation's
 * statuses with their media types — is produced here and matches its schema ({@link CentralApi},
 * which central's HTTP tests go through).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminApiContractTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("central-api-contract");
  static final String TERMINAL = "till-api";
  static final String OTHER = "till-api-2";
  static final int MAX_IMPORT_BYTES = 50_000;
  static final AtomicLong SEQ = new AtomicLong();

  /** Documented answers this test cannot give without breaking the central it runs on. */
  static final Map<Integer, String> NOT_DRIVEN_HERE =
      Map.of(
          503,
          "needs PostgreSQL or the broker away while central runs (ApiProblems maps transient"
              + " failures to 503)");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
    r.add("outpost.imports.max-bytes", () -> Integer.toString(MAX_IMPORT_BYTES));
    CentralTestEnv.logins(r, "ops:ops:ops", "viewer:viewer:viewer", "locked:locked-right:ops");
  }

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

  @Test
  void theHandlersAreExactlyTheDocumentedOperations() throws Exception {
    Set<Method> reached = new LinkedHashSet<>();
    List<String> unserved = new ArrayList<>();
    for (String op : CentralApi.DOCUMENT.operations()) {
      String method = op.substring(0, op.indexOf(' '));
      String path = example(op.substring(op.indexOf(' ') + 1));
      MockHttpServletRequest request = new MockHttpServletRequest(method, path);
      ServletRequestPathUtils.parseAndCache(request);
      HandlerExecutionChain chain;
      try {
        chain = mappings.getHandler(request);
      } catch (Exception e) {
        chain = null;
      }
      if (chain != null && chain.getHandler() instanceof HandlerMethod h) {
        reached.add(h.getMethod());
      } else {
        unserved.add(op);
      }
    }
    List<String> undocumented = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> m : mappings.getHandlerMethods().entrySet()) {
      boolean api = m.getKey().getPatternValues().stream().anyMatch(p -> p.startsWith("/api/"));
      if (api && !reached.contains(m.getValue().getMethod())) {
        undocumented.add(m.getKey() + " -> " + m.getValue());
      }
    }
    assertThat(
            Map.of(
                "handlers missing from the document",
                undocumented,
                "documented but no handler",
                unserved))
        .as("central's handlers against %s", CentralApi.DOCUMENT.resource())
        .allSatisfy((what, ops) -> assertThat(ops).as(what).isEmpty());
  }

  @Test
  void everyDocumentedAnswerIsServedAndMatchesItsSchema() throws Exception {
    int mark = CentralApi.DOCUMENT.observed().size();
    String terminal = TERMINAL + ":" + ENV.enrolled(TERMINAL);
    String otherTerminal = OTHER + ":" + ENV.enrolled(OTHER);

    masterData();
    masterDataSync(terminal);
    deadLetters();
    String day = keysAndImports(terminal);
    terminalsAndEnrollment();
    recordsAndConflicts();
    status(200, "GET", "/api/v1/openapi.yaml", "viewer:viewer", null);
    JsonNode json = json(status(200, "GET", "/api/v1/openapi.json", "viewer:viewer", null));
    assertThat(json).isEqualTo(CentralApi.DOCUMENT.document());
    assertThat(day).isNotEmpty();

    // The guards, on every documented operation.
    for (int i = 0; i < 5; i++) {
      status(401, "GET", "/api/v1/terminals", "locked:wrong-" + i, null);
    }
    for (String op : CentralApi.DOCUMENT.operations()) {
      String method = op.substring(0, op.indexOf(' '));
      String path = example(op.substring(op.indexOf(' ') + 1));
      String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
      HttpResponse<String> anonymous = send(method, path, null, body);
      assertThat(anonymous.statusCode()).as(op + " without a login").isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(send(method, path, forbiddenLogin(op, terminal, otherTerminal), body).statusCode())
          .as(op + " with a login whose role may not")
          .isEqualTo(403);
      assertThat(send(method, path, "locked:locked-right", body).statusCode())
          .as(op + " of a locked-out user")
          .isEqualTo(429);
      if (CentralApi.DOCUMENT.document().at(pointer(op) + "/requestBody").isObject()) {
        assertThat(
                CentralApi.send(
                        CentralApi.request(port, method, path, "ops:ops", "text/plain", "x"))
                    .statusCode())
            .as(op + " text/plain")
            .isEqualTo(415);
      }
    }

    List<Answer> seen = CentralApi.DOCUMENT.observed();
    Set<Answer> here = new LinkedHashSet<>(seen.subList(mark, seen.size()));
    Set<Answer> missing = new LinkedHashSet<>(CentralApi.DOCUMENT.answers());
    missing.removeAll(here);
    missing.removeIf(a -> NOT_DRIVEN_HERE.containsKey(a.status()));
    assertThat(missing)
        .as("answers %s names that central did not give", CentralApi.DOCUMENT.resource())
        .isEmpty();
  }

  // --- the endpoints, each with its answers ---

  private void masterData() throws Exception {
    String now = Instant.now().toString();
    Map<String, String[]> sets = new LinkedHashMap<>();
    // set -> id, a valid record, a record refused with 400, one refused with 422 (or null)
    sets.put(
        "products",
        new String[] {
          "api-beer",
          "{\"name\":\"Api Beer\",\"price\":3.50}",
          "{\"name\":\"no price\"}",
          "{\"name\":\"Free\",\"price\":-1}"
        });
    sets.put("members", new String[] {"M-api", "{\"name\":\"Ann\"}", "{\"name\":5}", null});
    sets.put(
        "matches",
        new String[] {
          "match-api",
          "{\"name\":\"Api FC - Others\",\"homeTeam\":\"Api FC\",\"awayTeam\":\"Others\","
              + "\"startsAt\":\"2026-11-23T20:00:00Z\"}",
          "{\"name\":\"no teams\"}",
          null
        });
    sets.put(
        "visits",
        new String[] {
          "V-api",
          "{\"braceletId\":\"B-api\",\"openedAt\":\"" + now + "\"}",
          "{\"braceletId\":\"B-api\",\"openedAt\":\"yesterday\"}",
          "{\"braceletId\":\"B-api\",\"openedAt\":\"" + now + "\",\"memberId\":\"no-such\"}"
        });
    sets.put(
        "accreditations",
        new String[] {
          "QR-api",
          "{\"holder\":\"Pat\",\"matchId\":\"match-api\",\"kind\":\"PRESS\"}",
          "{\"holder\":\"Pat\",\"matchId\":\"match-api\",\"kind\":\"PRESS\",\"revoked\":\"no\"}",
          "{\"holder\":\"Pat\",\"matchId\":\"no-such\",\"kind\":\"PRESS\"}"
        });
    sets.put(
        "players",
        new String[] {
          "P-api",
          "{\"team\":\"Api FC\",\"name\":\"Sev\",\"shirtNumber\":7}",
          "{\"team\":\"Api FC\",\"name\":\"Sev\",\"shirtNumber\":\"seven\"}",
          null
        });
    sets.put(
        "ticket-types",
        new String[] {
          "tt-api",
          "{\"name\":\"Adult\",\"price\":20.00,\"matchId\":\"match-api\"}",
          "[]",
          "{\"name\":\"Adult\",\"price\":20.00,\"matchId\":\"no-such\"}"
        });
    sets.put(
        "operators",
        new String[] {
          "op-api",
          "{\"name\":\"Bo\",\"roles\":\"CASHIER\",\"pin\":\"4321\"}",
          "{\"name\":\"Bo\"}",
          null
        });
    for (Map.Entry<String, String[]> s : sets.entrySet()) {
      String base = "/api/v1/masterdata/" + s.getKey();
      String[] v = s.getValue();
      JsonNode stored = json(status(200, "PUT", base + "/" + v[0], "ops:ops", v[1]));
      assertThat(stored.get("id").asText()).isEqualTo(v[0]);
      status(200, "GET", base, "viewer:viewer", null);
      status(200, "GET", base + "/" + v[0], "viewer:viewer", null);
      status(404, "GET", base + "/no-such-record", "viewer:viewer", null);
      status(400, "PUT", base + "/" + v[0], "ops:ops", v[2]);
      if (v[3] != null) {
        status(422, "PUT", base + "/" + v[0], "ops:ops", v[3]);
      }
      status(204, "DELETE", base + "/" + v[0], "ops:ops", null);
      status(404, "DELETE", base + "/" + v[0], "ops:ops", null);
      status(200, "PUT", base + "/" + v[0], "ops:ops", v[1]);
    }
    assertThat(
            json(status(200, "GET", "/api/v1/masterdata/operators/op-api", "ops:ops", null))
                .get("pinHash")
                .asText())
        .startsWith("pbkdf2-sha256$");
    status(404, "GET", "/api/v1/masterdata/nope", "viewer:viewer", null);
    status(404, "GET", "/api/v1/masterdata/nope/x", "viewer:viewer", null);
    status(404, "PUT", "/api/v1/masterdata/nope/x", "ops:ops", "{}");
    status(404, "DELETE", "/api/v1/masterdata/nope/x", "ops:ops", null);
  }

  private void masterDataSync(String terminal) throws Exception {
    String sync = "/api/v1/masterdata-sync";
    JsonNode snapshot =
        json(status(200, "GET", sync + "/snapshots/players?terminal=" + TERMINAL, terminal, null));
    assertThat(snapshot.get("records").findValuesAsText("id")).contains("P-api");
    status(400, "GET", sync + "/snapshots/players?terminal=Bad_Id", "viewer:viewer", null);
    status(404, "GET", sync + "/snapshots/nope?terminal=" + TERMINAL, terminal, null);
    status(200, "GET", sync + "/checksums?terminal=" + TERMINAL, terminal, null);
    status(400, "GET", sync + "/checksums?visitsSince=yesterday", "viewer:viewer", null);
  }

  private void deadLetters() throws Exception {
    ObjectNode sale = operation("sale.recorded.json", TERMINAL);
    ((ObjectNode) sale.at("/payload/lines/0")).put("productId", "no-such-product");
    ENV.sendAsBridge("outpost.ops.in." + TERMINAL, sale.toString());
    String list = "/api/v1/dead-letters?reason=UNKNOWN_REFERENCE&terminal=" + TERMINAL;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> json(status(200, "GET", list, "viewer:viewer", null)).get("total").asLong() > 0);
    String id = json(status(200, "GET", list, "viewer:viewer", null)).at("/items/0/id").asText();
    String unknown = UUID.randomUUID().toString();
    status(400, "GET", "/api/v1/dead-letters?reason=NOPE", "viewer:viewer", null);
    status(200, "GET", "/api/v1/dead-letters/" + id, "viewer:viewer", null);
    status(400, "GET", "/api/v1/dead-letters/not-an-id", "viewer:viewer", null);
    status(404, "GET", "/api/v1/dead-letters/" + unknown, "viewer:viewer", null);
    status(200, "GET", "/api/v1/dead-letters/" + id + "/body", "viewer:viewer", null);
    status(400, "GET", "/api/v1/dead-letters/not-an-id/body", "viewer:viewer", null);
    status(404, "GET", "/api/v1/dead-letters/" + unknown + "/body", "viewer:viewer", null);

    // Replayed as is it fails again (the product is still unknown): a new dead letter.
    JsonNode again =
        json(status(200, "POST", "/api/v1/dead-letters/" + id + "/replay", "ops:ops", null));
    assertThat(again.get("outcome").asText()).isEqualTo("REJECTED");
    id = again.get("newId").asText();
    status(400, "POST", "/api/v1/dead-letters/" + id + "/replay", "ops:ops", "{\"body\":[");
    status(400, "POST", "/api/v1/dead-letters/not-an-id/replay", "ops:ops", null);
    status(404, "POST", "/api/v1/dead-letters/" + unknown + "/replay", "ops:ops", null);
    JsonNode many =
        json(
            status(
                200,
                "POST",
                "/api/v1/dead-letters/replay",
                "ops:ops",
                "{\"ids\":[\"" + id + "\"]}"));
    id = many.get(0).get("newId").asText();
    status(400, "POST", "/api/v1/dead-letters/replay", "ops:ops", "{}");

    status(400, "POST", "/api/v1/dead-letters/" + id + "/discard", "ops:ops", "{}");
    status(400, "POST", "/api/v1/dead-letters/not-an-id/discard", "ops:ops", "{\"reason\":\"x\"}");
    status(
        200, "POST", "/api/v1/dead-letters/" + id + "/discard", "ops:ops", "{\"reason\":\"test\"}");
    status(
        404, "POST", "/api/v1/dead-letters/" + id + "/discard", "ops:ops", "{\"reason\":\"test\"}");
    JsonNode audit =
        json(
            status(
                200,
                "GET",
                "/api/v1/dead-letters/audit?operationId=" + sale.get("operationId").asText(),
                "viewer:viewer",
                null));
    assertThat(audit.findValuesAsText("action")).contains("REPLAY", "DISCARD");
    status(400, "GET", "/api/v1/dead-letters/audit?operationId=nope", "viewer:viewer", null);
  }

  /** Registers the terminal's key, imports its day files; answers the last import's id. */
  private String keysAndImports(String terminal) throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance(DayFiles.KEY_ALGORITHM).generateKeyPair();
    String key = "{\"publicKey\":\"" + DayFiles.encode(keys.getPublic()) + "\"}";
    String keyPath = "/api/v1/terminals/" + TERMINAL + "/key";
    status(404, "GET", keyPath, "viewer:viewer", null);
    status(200, "PUT", keyPath, terminal, key);
    status(200, "PUT", keyPath, terminal, key);
    KeyPair other = KeyPairGenerator.getInstance(DayFiles.KEY_ALGORITHM).generateKeyPair();
    String otherKey = "{\"publicKey\":\"" + DayFiles.encode(other.getPublic()) + "\"}";
    status(409, "PUT", keyPath, terminal, otherKey);
    status(200, "PUT", keyPath, "ops:ops", key);
    status(400, "PUT", keyPath, "ops:ops", "{}");
    status(400, "PUT", "/api/v1/terminals/Bad_Id/key", "ops:ops", key);
    status(200, "GET", keyPath, "viewer:viewer", null);
    status(400, "GET", "/api/v1/terminals/Bad_Id/key", "viewer:viewer", null);

    JsonNode done =
        json(status(200, "POST", "/api/v1/imports?name=day.json", "ops:ops", dayFile(keys)));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("DONE");
    assertThat(done.get("accepted").asInt()).isEqualTo(1);
    String id =
        json(status(202, "POST", "/api/v1/imports?async=true", "ops:ops", dayFile(keys)))
            .get("id")
            .asText();
    status(400, "POST", "/api/v1/imports", "ops:ops", "");
    status(422, "POST", "/api/v1/imports", "ops:ops", "{}");
    status(
        413,
        "POST",
        "/api/v1/imports",
        "ops:ops",
        "{\"pad\":\"" + "x".repeat(MAX_IMPORT_BYTES) + "\"}");
    status(200, "GET", "/api/v1/imports?limit=5", "viewer:viewer", null);
    status(400, "GET", "/api/v1/imports?limit=many", "viewer:viewer", null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !json(status(200, "GET", "/api/v1/imports/" + id, "viewer:viewer", null))
                    .get("status")
                    .asText()
                    .equals("RUNNING"));
    status(400, "GET", "/api/v1/imports/not-a-uuid", "viewer:viewer", null);
    status(404, "GET", "/api/v1/imports/" + UUID.randomUUID(), "viewer:viewer", null);
    return id;
  }

  private void terminalsAndEnrollment() throws Exception {
    JsonNode fleet = json(status(200, "GET", "/api/v1/terminals", "viewer:viewer", null));
    assertThat(fleet.findValuesAsText("terminal_id")).contains(TERMINAL);
    JsonNode file =
        json(status(201, "POST", "/api/v1/terminals", "ops:ops", "{\"terminalId\":\"api-new\"}"));
    assertThat(file.get("httpUser").asText()).isEqualTo("api-new");
    status(400, "POST", "/api/v1/terminals", "ops:ops", "{}");
    status(200, "GET", "/api/v1/terminals/api-new", "viewer:viewer", null);
    status(404, "GET", "/api/v1/terminals/never-enrolled", "viewer:viewer", null);
    status(200, "POST", "/api/v1/terminals/api-new/revoke", "ops:ops", null);
    status(404, "POST", "/api/v1/terminals/never-enrolled/revoke", "ops:ops", null);
  }

  private void recordsAndConflicts() throws Exception {
    UUID id = UUID.randomUUID();
    // supplier is a MANUAL entity: a change of an old version by another terminal is held.
    sendRecord(TERMINAL, id, "2026-11-23T10:00:00Z", null, "Acme");
    sendRecord(TERMINAL, id, "2026-11-23T10:05:00Z", "2026-11-23T10:00:00Z", "Acme Ltd");
    sendRecord(OTHER, id, "2026-11-23T10:06:00Z", "2026-11-23T10:00:00Z", "ACME S.L.");
    String open = "/api/v1/conflicts?entity=supplier";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> json(status(200, "GET", open, "viewer:viewer", null)).size() > 0);
    long conflict = json(status(200, "GET", open, "viewer:viewer", null)).get(0).get("id").asLong();
    status(200, "GET", "/api/v1/records/supplier/" + id, "viewer:viewer", null);
    status(404, "GET", "/api/v1/records/supplier/" + UUID.randomUUID(), "viewer:viewer", null);
    status(400, "GET", "/api/v1/records/supplier/not-a-uuid", "viewer:viewer", null);
    status(400, "GET", "/api/v1/conflicts?status=NOPE", "viewer:viewer", null);
    status(200, "GET", "/api/v1/conflicts/" + conflict, "viewer:viewer", null);
    status(400, "GET", "/api/v1/conflicts/abc", "viewer:viewer", null);
    status(404, "GET", "/api/v1/conflicts/999999", "viewer:viewer", null);
    String resolve = "/api/v1/conflicts/" + conflict + "/resolve";
    status(400, "POST", resolve, "ops:ops", "{\"choose\":\"MAYBE\"}");
    status(404, "POST", "/api/v1/conflicts/999999/resolve", "ops:ops", "{\"choose\":\"STORED\"}");
    JsonNode resolved = json(status(200, "POST", resolve, "ops:ops", "{\"choose\":\"STORED\"}"));
    assertThat(resolved.get("status").asText()).isEqualTo("RESOLVED");
    status(409, "POST", resolve, "ops:ops", "{\"choose\":\"STORED\"}");
  }

  // --- helpers ---

  /** A concrete path for a documented template. */
  private static String example(String template) {
    return template
        .replace("{set}", "nope")
        .replace("{terminalId}", TERMINAL)
        .replace("{entity}", "supplier")
        .replace("{}", "1")
        .replaceAll("\\{[^}]+}", "1");
  }

  /**
   * A login the operation's security does not admit: a terminal where only people may, a viewer
   * where only ops may; where terminals may, another terminal (not the one the path or query
   * names).
   */
  private static String forbiddenLogin(String op, String terminal, String otherTerminal) {
    List<String> roles = roles(op);
    if (roles.contains("TERMINAL")) {
      return otherTerminal;
    }
    return roles.contains("viewer") ? terminal : "viewer:viewer";
  }

  /** The JSON pointer of a documented operation ("METHOD /path/{}"). */
  private static String pointer(String op) {
    String method = op.substring(0, op.indexOf(' ')).toLowerCase(Locale.ROOT);
    String path = op.substring(op.indexOf(' ') + 1);
    for (var it = CentralApi.DOCUMENT.document().get("paths").fieldNames(); it.hasNext(); ) {
      String p = it.next();
      if (dev.outpost.support.OpenApiContract.anonymous(p).equals(path)) {
        return "/paths/" + p.replace("~", "~0").replace("/", "~1") + "/" + method;
      }
    }
    throw new IllegalArgumentException(op);
  }

  private static List<String> roles(String op) {
    JsonNode doc = CentralApi.DOCUMENT.document();
    JsonNode operation = doc.at(pointer(op));
    JsonNode security = operation.has("security") ? operation.get("security") : doc.get("security");
    List<String> roles = new ArrayList<>();
    security.forEach(req -> req.path("basic").forEach(r -> roles.add(r.asText())));
    return roles;
  }

  private String status(int expected, String method, String path, String login, String body)
      throws Exception {
    HttpResponse<String> res = send(method, path, login, body);
    assertThat(res.statusCode()).as("%s %s: %s", method, path, res.body()).isEqualTo(expected);
    return res.body();
  }

  private HttpResponse<String> send(String method, String path, String login, String body)
      throws Exception {
    return CentralApi.send(CentralApi.request(port, method, path, login, "application/json", body));
  }

  private void sendRecord(String terminal, UUID id, String at, String base, String name)
      throws Exception {
    ObjectNode op = operation("record.upserted.json", terminal);
    ObjectNode payload = (ObjectNode) op.get("payload");
    payload.put("entity", "supplier").put("id", id.toString()).put("updatedAt", at);
    if (base == null) {
      payload.remove("baseUpdatedAt");
    } else {
      payload.put("baseUpdatedAt", base);
    }
    payload.putObject("data").put("name", name);
    ENV.sendAsBridge("outpost.ops.in." + terminal, op.toString());
  }

  private static ObjectNode operation(String fixture, String terminal) {
    ObjectNode op = Fixtures.valid(fixture);
    op.put("operationId", UUID.randomUUID().toString());
    op.put("schemaVersion", 1).put("terminalId", terminal).put("sequence", SEQ.incrementAndGet());
    return op;
  }

  private static String dayFile(KeyPair keys) throws Exception {
    ObjectNode file =
        Fixtures.dayFile(TERMINAL, keys.getPublic(), operation("sale.recorded.json", TERMINAL));
    return Contracts.mapper().writeValueAsString(DayFiles.seal(file, keys.getPrivate()));
  }

  private static JsonNode json(String text) throws Exception {
    return Contracts.mapper().readTree(text);
  }
}
