package dev.outpost.console.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ops pages' path to central (/ops/api/** to /api/v1/**) with the console's real security: a
 * recording HTTP server stands in for central (central's own answers are tested in central-route
 * and by OpsConsoleIT against the real one). The person's own login goes to central; a viewer's
 * change, a request without the CSRF token and a path outside the API never leave the console.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpsApiProxyTest {
  static final HttpServer CENTRAL = start();
  static final List<String> SEEN = new CopyOnWriteArrayList<>();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add(
        "outpost.console.ops.central-api-url",
        () -> "http://127.0.0.1:" + CENTRAL.getAddress().getPort());
    r.add("outpost.security.users[0].name", () -> "ann");
    r.add("outpost.security.users[0].password", () -> "ann-secret");
    r.add("outpost.security.users[0].role", () -> "ops");
    r.add("outpost.security.users[1].name", () -> "vic");
    r.add("outpost.security.users[1].password", () -> "vic-secret");
    r.add("outpost.security.users[1].role", () -> "viewer");
  }

  private static HttpServer start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      s.createContext(
          "/",
          ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            SEEN.add(
                ex.getRequestMethod()
                    + " "
                    + ex.getRequestURI()
                    + " "
                    + ex.getRequestHeaders().getFirst("Authorization")
                    + " "
                    + ex.getRequestHeaders().getFirst("Content-Type")
                    + " "
                    + body);
            byte[] answer = "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("Location", "/api/v1/imports/x");
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"central\"");
            ex.sendResponseHeaders(202, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
          });
      s.start();
      return s;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    CENTRAL.stop(0);
  }

  @BeforeEach
  void clear() {
    SEEN.clear();
  }

  @Test
  void theLoggedInPersonsOwnLoginReachesCentral() throws Exception {
    HttpResponse<String> get =
        send("GET", "/ops/api/dead-letters?reason=POISON&limit=5", "ann:ann-secret", null, null);
    assertThat(get.statusCode()).isEqualTo(202);
    assertThat(SEEN)
        .containsExactly(
            "GET /api/v1/dead-letters?reason=POISON&limit=5 " + basic("ann:ann-secret") + " null ");
    assertThat(get.headers().firstValue("Location")).hasValue("/ops/api/imports/x");
    assertThat(get.headers().firstValue("WWW-Authenticate")).isEmpty();

    SEEN.clear();
    HttpResponse<String> post =
        send(
            "POST",
            "/ops/api/dead-letters/abc/discard",
            "ann:ann-secret",
            "{\"reason\":\"test\"}",
            "token");
    assertThat(post.statusCode()).isEqualTo(202);
    assertThat(SEEN)
        .containsExactly(
            "POST /api/v1/dead-letters/abc/discard "
                + basic("ann:ann-secret")
                + " application/json {\"reason\":\"test\"}");
  }

  @Test
  void aViewerReadsButItsChangeIsRefusedHere() throws Exception {
    assertThat(send("GET", "/ops/api/imports", "vic:vic-secret", null, null).statusCode())
        .isEqualTo(202);
    SEEN.clear();
    HttpResponse<String> forged =
        send("POST", "/ops/api/dead-letters/abc/replay", "vic:vic-secret", "{}", "token");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(SEEN).isEmpty();
  }

  @Test
  void aChangeWithoutTheCsrfTokenOrOutsideTheApiNeverLeaves() throws Exception {
    assertThat(
            send("POST", "/ops/api/dead-letters/abc/replay", "ann:ann-secret", "{}", null)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send("GET", "/ops/api/%2e%2e/actuator/env", "ann:ann-secret", null, null).statusCode())
        .isBetween(400, 404);
    assertThat(send("GET", "/ops/api/imports", null, null, null).statusCode()).isEqualTo(401);
    assertThat(SEEN).isEmpty();
  }

  @Test
  void anEditedOperationIsCheckedAgainstTheContract() throws Exception {
    HttpResponse<String> bad =
        send("POST", "/ops/check/envelope", "vic:vic-secret", "{\"type\":\"sale.recorded\"}", "t");
    assertThat(bad.statusCode()).isEqualTo(200);
    assertThat(bad.body()).contains("\"valid\":false", "operationId");
    HttpResponse<String> notJson = send("POST", "/ops/check/envelope", "ann:ann-secret", "{", "t");
    assertThat(notJson.body()).contains("not a JSON document");
  }

  /** With a CSRF token: the cookie and the header the pages send carry the same value. */
  private HttpResponse<String> send(
      String method, String path, String login, String body, String csrf) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (login != null) {
      b.header("Authorization", basic(login));
    }
    if (csrf != null) {
      b.header("Cookie", "XSRF-TOKEN=" + csrf).header("X-XSRF-TOKEN", csrf);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String login) {
    return "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
  }
}
