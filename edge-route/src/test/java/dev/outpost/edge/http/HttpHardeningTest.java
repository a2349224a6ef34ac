package dev.outpost.edge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.edge.support.EdgeTestSupport;
import jakarta.jms.Message;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The terminal's hardened HTTP surface against the real app (Derby, embedded Artemis, Jolokia,
 * Spring Security): Jolokia's per-role policy, Host (DNS rebinding), Origin, JSON-only bodies, the
 * per-client in-flight limit, the login throttle, and header injection with case variants. Every
 * refused operation is checked to be absent from the ledger.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HttpHardeningTest extends EdgeTestSupport {
  static final String TERMINAL = "till-http";
  static final String IN_VM_ID = "33";
  static final Path DATA = tempDataDir("http-hardening");
  static final int MAX_IN_FLIGHT = 2;
  static final String MBEAN =
      "dev.outpost.test:type=Counter,name=edge-" + UUID.randomUUID().toString().substring(0, 8);
  static final Counter COUNTER = new Counter();

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("outpost.terminal-id", () -> TERMINAL);
    r.add("outpost.data-dir", DATA::toString);
    r.add("outpost.broker.in-vm-id", () -> IN_VM_ID);
    r.add("outpost.central.broker-url", () -> "tcp://127.0.0.1:" + freePort());
    r.add("outpost.http.max-in-flight-per-client", () -> MAX_IN_FLIGHT);
    r.add("outpost.http.allowed-hosts", () -> "till-7.example");
    r.add("spring.jmx.unique-names", () -> "true");
    // The sandbox logins plus one the throttle test may lock out.
    r.add("outpost.security.users[0].name", () -> "ops");
    r.add("outpost.security.users[0].password", () -> "ops");
    r.add("outpost.security.users[0].role", () -> "ops");
    r.add("outpost.security.users[1].name", () -> "viewer");
    r.add("outpost.security.users[1].password", () -> "viewer");
    r.add("outpost.security.users[1].role", () -> "viewer");
    r.add("outpost.security.users[2].name", () -> "guessed");
    r.add("outpost.security.users[2].password", () -> "right-password");
    r.add("outpost.security.users[2].role", () -> "viewer");
  }

  @BeforeAll
  static void registerCounter() throws Exception {
    ManagementFactory.getPlatformMBeanServer().registerMBean(COUNTER, new ObjectName(MBEAN));
  }

  @AfterAll
  static void unregisterCounter() throws Exception {
    ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(MBEAN));
  }

  @Autowired ClientLimitFilter clientLimit;

  // ---------------------------------------------------------------- Jolokia, per role

  @Test
  void viewerCannotExecOrWriteWhateverTheRequestForm() throws Exception {
    String enc = URLEncoder.encode(MBEAN, StandardCharsets.UTF_8);
    List<HttpResponse<String>> refused = new ArrayList<>();
    refused.add(jolokiaGet("viewer", "/actuator/jolokia/exec/" + MBEAN + "/increment"));
    refused.add(jolokiaGet("viewer", "/actuator/jolokia?p=/exec/" + enc + "/increment"));
    refused.add(jolokiaGet("viewer", "/actuator/jolokia/?p=/exec/" + enc + "/increment"));
    refused.add(jolokiaGet("viewer", "/actuator/jolokia/%65xec/" + enc + "/increment"));
    refused.add(jolokiaGet("viewer", "/actuator/jolokia/EXEC/" + MBEAN + "/increment"));
    refused.add(jolokiaGet("viewer", "/actuator/jolokia/write/" + MBEAN + "/Value/42"));
    refused.add(jolokiaGet("viewer", "/actuator/jolokia?p=/write/" + enc + "/Value/42"));
    refused.add(
        jolokiaPost(
            "viewer",
            "{\"type\":\"exec\",\"mbean\":\"" + MBEAN + "\",\"operation\":\"increment\"}"));
    refused.add(
        jolokiaPost(
            "viewer",
            "{\"type\":\"write\",\"mbean\":\""
                + MBEAN
                + "\",\"attribute\":\"Value\",\"value\":42}"));
    for (HttpResponse<String> r : refused) {
      assertThat(refusedByJolokia(r))
          .as("%s answered %s %s", r.uri(), r.statusCode(), r.body())
          .isTrue();
    }

    // A bulk request: the read inside is served, the exec is refused on its own.
    HttpResponse<String> bulk =
        jolokiaPost(
            "viewer",
            "[{\"type\":\"read\",\"mbean\":\""
                + MBEAN
                + "\",\"attribute\":\"Value\"},"
                + "{\"type\":\"exec\",\"mbean\":\""
                + MBEAN
                + "\",\"operation\":\"increment\"}]");
    assertThat(bulk.statusCode()).as(bulk.body()).isIn(200, 403);
    if (bulk.statusCode() == 200) {
      JsonNode answers = json(bulk.body());
      assertThat(answers.get(0).path("status").asInt()).isEqualTo(200);
      assertThat(answers.get(1).path("status").asInt()).as(bulk.body()).isEqualTo(403);
    }

    assertThat(COUNTER.getCalls()).as("no exec of the viewer ran").isZero();
    assertThat(COUNTER.getValue()).as("no write of the viewer took").isEqualTo(7);

    HttpResponse<String> read = jolokiaGet("viewer", "/actuator/jolokia/read/" + MBEAN + "/Value");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read.body()).path("value").asInt()).isEqualTo(7);
    assertThat(
            json(jolokiaGet("viewer", "/actuator/jolokia/version").body()).path("status").asInt())
        .isEqualTo(200);
    assertThat(
            json(jolokiaGet("viewer", "/actuator/jolokia/search/dev.outpost.test:*").body())
                .path("status")
                .asInt())
        .isEqualTo(200);
  }

  @Test
  void opsCanExecButNotTheJvmDiagnostics() throws Exception {
    int before = COUNTER.getCalls();
    HttpResponse<String> exec =
        jolokiaPost(
            "ops", "{\"type\":\"exec\",\"mbean\":\"" + MBEAN + "\",\"operation\":\"increment\"}");
    assertThat(json(exec.body()).path("status").asInt()).as(exec.body()).isEqualTo(200);
    assertThat(COUNTER.getCalls()).isEqualTo(before + 1);

    HttpResponse<String> diag =
        jolokiaPost(
            "ops",
            "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\",\"operation\":\"vmVersion\"}");
    assertThat(refusedByJolokia(diag)).as(diag.body()).isTrue();
  }

  @Test
  void jolokiaStillRefusesForeignBrowserOrigins() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(uri("/actuator/jolokia/version"))
                .header("Authorization", basic("ops", "ops"))
                .header("Origin", "http://evil.example")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(r.body()).contains("https://outpost.dev/problems/foreign-origin");
  }

  // ---------------------------------------------------------------- Host (DNS rebinding)

  @Test
  void foreignHostIsMisdirectedAndRecordsNothing() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    String answer =
        RawHttp.exchange(
            port,
            RawHttp.request(
                "POST",
                "/api/v1/operations",
                "evil.example:" + port,
                "application/json",
                sale.toString()));
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(421);
    assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
    assertThat(json(RawHttp.body(answer)).path("status").asInt()).isEqualTo(421);
    assertThat(store.find(sale.get("operationId").asText())).isEmpty();

    String member =
        RawHttp.exchange(
            port,
            RawHttp.request("GET", "/api/v1/members/M-100", "rebind.attacker.test", null, null));
    assertThat(RawHttp.status(member)).isEqualTo(421);
    assertThat(
            RawHttp.status(
                RawHttp.exchange(
                    port, RawHttp.request("GET", "/actuator/health", "evil.example", null, null))))
        .isEqualTo(421);
  }

  @Test
  void ownNamesAreServed() throws Exception {
    for (String host :
        List.of(
            "127.0.0.1:" + port,
            "localhost:" + port,
            "LOCALHOST",
            "[::1]:" + port,
            "till-7.example:" + port)) {
      String answer =
          RawHttp.exchange(port, RawHttp.request("GET", "/actuator/health", host, null, null));
      assertThat(RawHttp.status(answer)).as(host).isEqualTo(200);
    }
  }

  // ---------------------------------------------------------------- Origin (cross-site requests)

  @Test
  void foreignOriginCannotRecordOrPause() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    for (String origin :
        List.of(
            "http://evil.example", "http://evil.example:" + port, "null", "http://127.0.0.1:1")) {
      HttpResponse<String> r =
          postWith(
              "/api/v1/operations", "application/json", sale.toString(), Map.of("Origin", origin));
      assertThat(r.statusCode()).as(origin).isEqualTo(403);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(Problems.MEDIA_TYPE);
    }
    assertThat(store.find(sale.get("operationId").asText())).isEmpty();

    boolean pausedBefore = json(get("/api/v1/sync/status").body()).path("paused").asBoolean();
    HttpResponse<String> pause =
        postWith("/api/v1/sync/pause", null, null, Map.of("Origin", "http://evil.example"));
    assertThat(pause.statusCode()).isEqualTo(403);
    HttpResponse<String> resume =
        postWith("/api/v1/sync/resume", null, null, Map.of("Origin", "http://evil.example"));
    assertThat(resume.statusCode()).isEqualTo(403);
    assertThat(json(get("/api/v1/sync/status").body()).path("paused").asBoolean())
        .isEqualTo(pausedBefore);
  }

  @Test
  void theOperatorPageOwnOriginStillWorks() throws Exception {
    // What operator.js sends from http://127.0.0.1:<port>/: a bodyless POST carrying its origin.
    for (String origin : List.of("http://127.0.0.1:" + port, "http://localhost:" + port)) {
      HttpResponse<String> pause =
          postWith("/api/v1/sync/pause", null, null, Map.of("Origin", origin));
      assertThat(pause.statusCode()).as(pause.body()).isEqualTo(200);
      assertThat(json(pause.body()).path("paused").asBoolean()).isTrue();
    }
    // Resuming right after a pause, while central is unreachable, meets bridges still stopping:
    // the terminal waits for them to settle and answers 200 (it used to answer 500).
    HttpResponse<String> resume =
        postWith("/api/v1/sync/resume", null, null, Map.of("Origin", "http://127.0.0.1:" + port));
    assertThat(resume.statusCode()).as(resume.body()).isEqualTo(200);
    assertThat(json(resume.body()).path("paused").asBoolean()).isFalse();
    ObjectNode sale = freshValid("sale.recorded.json");
    HttpResponse<String> posted =
        postWith(
            "/api/v1/operations",
            "application/json",
            sale.toString(),
            Map.of("Origin", "http://127.0.0.1:" + port));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- JSON bodies only

  @Test
  void nonJsonBodiesAre415AndRecordNothing() throws Exception {
    ObjectNode sale = freshValid("sale.recorded.json");
    for (String type :
        List.of(
            "text/plain",
            "text/plain;charset=UTF-8",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonx",
            "not a type")) {
      HttpResponse<String> r = postWith("/api/v1/operations", type, sale.toString(), Map.of());
      assertThat(r.statusCode()).as(type).isEqualTo(415);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(Problems.MEDIA_TYPE);
      assertThat(json(r.body()).path("status").asInt()).isEqualTo(415);
    }
    HttpResponse<String> none = postWith("/api/v1/operations", null, sale.toString(), Map.of());
    assertThat(none.statusCode()).as("a body without Content-Type").isEqualTo(415);
    HttpResponse<String> signIn =
        postWith(
            "/api/v1/operators/sign-in",
            "text/plain",
            "{\"operatorId\":\"x\",\"pin\":\"1\"}",
            Map.of());
    assertThat(signIn.statusCode()).isEqualTo(415);
    assertThat(store.find(sale.get("operationId").asText())).isEmpty();

    HttpResponse<String> charset =
        postWith(
            "/api/v1/operations", "application/json; charset=utf-8", sale.toString(), Map.of());
    assertThat(charset.statusCode()).as(charset.body()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- flood: in flight per client

  @Test
  void aFloodingClientGets429AndTheRefusedOperationIsNotRecorded() throws Exception {
    // MAX_IN_FLIGHT requests whose bodies stall half-way hold their slots.
    List<RawHttp> stalled = new ArrayList<>();
    List<String> rests = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_IN_FLIGHT; i++) {
        String body = freshValid("sale.recorded.json").toString();
        String full =
            RawHttp.request(
                "POST", "/api/v1/operations", "127.0.0.1:" + port, "application/json", body);
        int cut = full.length() - body.length() / 2;
        stalled.add(new RawHttp(port).write(full.substring(0, cut)));
        rests.add(full.substring(cut));
      }
      await("both slow requests in flight")
          .atMost(Duration.ofSeconds(10))
          .until(() -> clientLimit.inFlight("127.0.0.1") == MAX_IN_FLIGHT);

      ObjectNode sale = freshValid("sale.recorded.json");
      HttpResponse<String> flood =
          postWith("/api/v1/operations", "application/json", sale.toString(), Map.of());
      assertThat(flood.statusCode()).isEqualTo(429);
      assertThat(flood.headers().firstValue("Retry-After")).contains("1");
      assertThat(flood.headers().firstValue("Content-Type").orElse(""))
          .startsWith(Problems.MEDIA_TYPE);
      assertThat(store.find(sale.get("operationId").asText())).isEmpty();

      for (int i = 0; i < stalled.size(); i++) {
        String answer = stalled.get(i).write(rests.get(i)).readAll();
        assertThat(RawHttp.status(answer)).as(answer).isEqualTo(202);
      }
    } finally {
      for (RawHttp s : stalled) {
        s.close();
      }
    }
    await("slots released")
        .atMost(Duration.ofSeconds(10))
        .until(() -> clientLimit.inFlight("127.0.0.1") == 0);
    ObjectNode after = freshValid("sale.recorded.json");
    assertThat(post(after.toString()).statusCode()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- actuator login throttle

  @Test
  void repeatedWrongActuatorLoginsGet429EvenWithTheRightPassword() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(actuator("guessed", "wrong-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> locked = actuator("guessed", "right-password");
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1L, 60L);
    assertThat(locked.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(actuator("GUESSED", "right-password").statusCode())
        .as("same user, other case")
        .isEqualTo(429);
    assertThat(actuator("viewer", "viewer").statusCode())
        .as("other users unaffected")
        .isEqualTo(200);
  }

  // ---------------------------------------------------------------- header injection, case
  // variants

  @Test
  void caseVariantsOfMessagingHeadersHaveNoEffect() throws Exception {
    Map<String, String> forged = new LinkedHashMap<>();
    forged.put("CamelJmsDestinationName", "evil");
    forged.put("camelJmsDestinationName", "evil-2");
    forged.put("CAMELJMSDESTINATIONNAME", "evil-3");
    forged.put("CamelJMSDestinationName", "evil-4");
    forged.put("cAmelJmsDestinationName", "evil-5");
    forged.put("JMSXGroupID", "other-terminal");
    forged.put("jmsxgroupid", "other-terminal-2");
    forged.put("JMSXGROUPID", "other-terminal-3");
    forged.put("_AMQ_DUPL_ID", "forged");
    forged.put("_amq_dupl_id", "forged-2");
    forged.put("_Amq_Dupl_Id", "forged-3");
    forged.put("camelhttpresponsecode", "200");
    forged.put("JMSPriority", "9");
    forged.put("jmsdeliverymode", "1");
    ObjectNode sale = freshValid("sale.recorded.json");
    String id = sale.get("operationId").asText();
    HttpResponse<String> res =
        postWith("/api/v1/operations", "application/json", sale.toString(), forged);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);

    List<Message> copies =
        await().atMost(Duration.ofSeconds(10)).until(() -> withId(id), l -> !l.isEmpty());
    assertThat(copies).as("exactly one message, in the terminal's own outbound lane").hasSize(1);
    Message m = copies.get(0);
    assertThat(m.getStringProperty("JMSXGroupID")).isEqualTo(TERMINAL + ":critical");
    assertThat(m.getStringProperty("_AMQ_DUPL_ID")).isEqualTo(id);
    assertThat(m.getJMSDestination().toString()).doesNotContain("evil");
    for (String name : Collections.list((java.util.Enumeration<String>) m.getPropertyNames())) {
      String value = String.valueOf(m.getObjectProperty(name));
      assertThat(value)
          .as("property %s", name)
          .doesNotContain("evil")
          .doesNotContain("forged")
          .doesNotContain("other-terminal");
    }
  }

  // ---------------------------------------------------------------- helpers

  private List<Message> withId(String id) throws Exception {
    List<Message> found = new ArrayList<>();
    for (Message m : browseOutbound(IN_VM_ID)) {
      if (id.equals(m.getStringProperty("operationId"))) {
        found.add(m);
      }
    }
    return found;
  }

  /** Refused by Jolokia's policy: HTTP 403, or Jolokia's JSON answer with status 403. */
  private static boolean refusedByJolokia(HttpResponse<String> r) throws Exception {
    if (r.statusCode() == 403) {
      return true;
    }
    if (r.statusCode() != 200 || r.body().isBlank()) {
      return false;
    }
    JsonNode doc = json(r.body());
    return doc.path("status").asInt() == 403;
  }

  private HttpResponse<String> jolokiaGet(String user, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path)).header("Authorization", basic(user, user)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> jolokiaPost(String user, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri("/actuator/jolokia"))
            .header("Authorization", basic(user, user))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> actuator(String user, String password) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri("/actuator/jolokia/version"))
            .header("Authorization", basic(user, password))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postWith(
      String path, String contentType, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    return send(b.build());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
