package dev.outpost.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console's logins come from outpost.security.users through web-support's Users (the shipped
 * sandbox logins here): each configured person gets in with the right password, a wrong password or
 * an unknown name does not, and the health probe needs none.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "outpost.security.users[0].name=ann",
      "outpost.security.users[0].password=ann-secret",
      "outpost.security.users[0].role=ops",
      "outpost.security.users[1].name=vic",
      "outpost.security.users[1].password=vic-secret",
      "outpost.security.users[1].role=viewer"
    })
class ConsoleLoginTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Test
  void configuredPeopleLogInWithTheirRoleAndNobodyElseDoes() throws Exception {
    assertThat(get("ann", "ann-secret").statusCode()).isEqualTo(200);
    assertThat(get("vic", "vic-secret").statusCode()).as("viewer is a console role").isEqualTo(200);
    assertThat(get("ann", "wrong").statusCode()).isEqualTo(401);
    assertThat(get("ops", "ops").statusCode()).as("the defaults are replaced").isEqualTo(401);
  }

  @Test
  void aCrossSiteJolokiaCallIsRefusedAsAProblem() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base() + "/actuator/jolokia/version"))
                .header("Authorization", basic("ann", "ann-secret"))
                .header("Origin", "http://evil.example")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(r.body()).contains("https://outpost.dev/problems/foreign-origin");
  }

  @Test
  void healthNeedsNoLogin() throws Exception {
    HttpResponse<String> health =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> get(String user, String password) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base() + "/actuator/jolokia/version"))
            .header("Authorization", basic(user, password))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }
}
