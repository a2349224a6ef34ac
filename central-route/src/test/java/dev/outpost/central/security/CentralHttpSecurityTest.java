package dev.outpost.central.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.central.CentralApi;
import dev.outpost.central.CentralTestEnv;
import dev.outpost.contracts.Contracts;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Central's HTTP surface on the real app (PostgreSQL, Artemis, Jolokia, Spring Security): Jolokia's
 * per-role policy on the dead-letter MBean Hawtio uses, JSON-only bodies, the login throttle, an
 * enrolled terminal's login (only as itself) and the loopback default bind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CentralHttpSecurityTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("central-http-security");
  static final String DLQ_MBEAN = "dev.outpost:type=DeadLetters";

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
    CentralTestEnv.logins(
        r, "ops:ops:ops", "viewer:viewer:viewer", "guessed:right-password:viewer");
  }

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired Environment env;

  @Test
  void httpListensOnLoopbackByDefault() {
    assertThat(env.getProperty("server.address")).isEqualTo("127.0.0.1");
  }

  @Test
  void viewerCannotRunDeadLetterOperationsThroughJolokiaInAnyForm() throws Exception {
    long audits = auditRows();
    String enc = URLEncoder.encode(DLQ_MBEAN, StandardCharsets.UTF_8);
    List<HttpResponse<String>> refused =
        List.of(
            get(
                "viewer",
                "/actuator/jolokia/exec/" + DLQ_MBEAN + "/replayReason/UNKNOWN_REFERENCE"),
            get("viewer", "/actuator/jolokia?p=/exec/" + enc + "/replayReason/UNKNOWN_REFERENCE"),
            get("viewer", "/actuator/jolokia/?p=/exec/" + enc + "/replayReason/UNKNOWN_REFERENCE"),
            get("viewer", "/actuator/jolokia/%65xec/" + enc + "/replayReason/UNKNOWN_REFERENCE"),
            post(
                "viewer",
                "/actuator/jolokia",
                "application/json",
                "{\"type\":\"exec\",\"mbean\":\""
                    + DLQ_MBEAN
                    + "\",\"operation\":\"replayReason\",\"arguments\":[\"UNKNOWN_REFERENCE\"]}"),
            post(
                "viewer",
                "/actuator/jolokia",
                "application/json",
                "[{\"type\":\"version\"},{\"type\":\"exec\",\"mbean\":\""
                    + DLQ_MBEAN
                    + "\",\"operation\":\"replayReason\",\"arguments\":[\"POISON\"]}]"));
    for (HttpResponse<String> r : refused) {
      assertThat(refused(r)).as("%s: %s %s", r.uri(), r.statusCode(), r.body()).isTrue();
    }
    assertThat(auditRows()).as("no dead-letter action ran").isEqualTo(audits);

    HttpResponse<String> read = get("viewer", "/actuator/jolokia/read/" + DLQ_MBEAN + "/Depth");
    assertThat(json(read.body()).path("status").asInt()).as(read.body()).isEqualTo(200);
    HttpResponse<String> opsExec =
        post(
            "ops",
            "/actuator/jolokia",
            "application/json",
            "{\"type\":\"exec\",\"mbean\":\""
                + DLQ_MBEAN
                + "\",\"operation\":\"list\",\"arguments\":[null,null,0,10]}");
    assertThat(json(opsExec.body()).path("status").asInt()).as(opsExec.body()).isEqualTo(200);
  }

  @Test
  void apiBodiesMustBeJson() throws Exception {
    for (String type :
        List.of("text/plain", "application/x-www-form-urlencoded", "application/octet-stream")) {
      HttpResponse<String> r =
          post("ops", "/api/v1/dead-letters/replay", type, "{\"reason\":\"POISON\"}");
      assertThat(r.statusCode()).as(type).isEqualTo(415);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(json(r.body()).path("status").asInt()).isEqualTo(415);
    }
    assertThat(post("ops", "/api/v1/imports", "text/plain", "{}").statusCode()).isEqualTo(415);
    // The day file as a raw JSON body still reaches the importer (which refuses this empty one
    // itself).
    HttpResponse<String> dayFile = post("ops", "/api/v1/imports", "application/json", "{}");
    assertThat(dayFile.statusCode()).as(dayFile.body()).isNotEqualTo(415).isBetween(400, 422);
    HttpResponse<String> charset =
        post(
            "ops", "/api/v1/dead-letters/replay", "application/json;charset=UTF-8", "{\"ids\":[]}");
    assertThat(charset.statusCode()).as(charset.body()).isNotEqualTo(415);
  }

  @Test
  void repeatedWrongLoginsGet429WithRetryAfter() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(get("guessed", "wrong-" + i, "/api/v1/terminals").statusCode()).isEqualTo(401);
    }
    HttpResponse<String> locked = get("guessed", "right-password", "/api/v1/terminals");
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1L, 60L);
    assertThat(locked.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(get("viewer", "viewer", "/api/v1/terminals").statusCode())
        .as("other users unaffected")
        .isEqualTo(200);
  }

  @Test
  void anEnrolledTerminalLogsInBesidePeopleAndActsOnlyAsItself() throws Exception {
    HttpResponse<String> enrolled =
        post("ops", "/api/v1/terminals", "application/json", "{\"terminalId\":\"till-self\"}");
    assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
    String secret = json(enrolled.body()).path("httpPassword").asText();

    HttpResponse<String> own =
        get("till-self", secret, "/api/v1/masterdata-sync/checksums?terminal=till-self");
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);

    HttpResponse<String> other =
        get("till-self", secret, "/api/v1/masterdata-sync/checksums?terminal=till-other");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = json(other.body());
    assertThat(problem.path("type").asText()).isEqualTo("https://outpost.dev/problems/forbidden");
    assertThat(problem.path("status").asInt()).isEqualTo(403);
    assertThat(problem.path("detail").asText()).isEqualTo("a terminal may act only as itself");

    assertThat(
            get("till-self", "wrong", "/api/v1/masterdata-sync/checksums?terminal=till-self")
                .statusCode())
        .isEqualTo(401);
    assertThat(get("ops", "/api/v1/terminals").statusCode())
        .as("people still log in")
        .isEqualTo(200);
  }

  private long auditRows() {
    return jdbc.queryForObject("select count(*) from dead_letter_audit", Long.class);
  }

  private static boolean refused(HttpResponse<String> r) throws Exception {
    if (r.statusCode() == 403) {
      return true;
    }
    JsonNode doc = json(r.body());
    if (doc.isArray()) {
      return doc.get(doc.size() - 1).path("status").asInt() == 403;
    }
    return doc.path("status").asInt() == 403;
  }

  private HttpResponse<String> get(String user, String path) throws Exception {
    return get(user, user, path);
  }

  private HttpResponse<String> get(String user, String password, String path) throws Exception {
    return CentralApi.send(
        CentralApi.request(port, "GET", path, user + ":" + password, null, null));
  }

  private HttpResponse<String> post(String user, String path, String contentType, String body)
      throws Exception {
    return CentralApi.send(
        CentralApi.request(port, "POST", path, user + ":" + user, contentType, body));
  }

  private static JsonNode json(String text) throws Exception {
    return Contracts.mapper().readTree(text);
  }
}
