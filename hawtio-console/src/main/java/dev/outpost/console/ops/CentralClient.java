package dev.outpost.console.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Calls to central's admin API as the logged-in person (HTTP basic with their own login, kept in
 * the session: ConsoleSecurityConfiguration does not erase it). The console's one HTTP client.
 */
@Component
public class CentralClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public CentralClient(OpsSettings settings) {
    this.base = URI.create(settings.centralApiUrl().replaceAll("/+$", "") + "/");
  }

  public URI base() {
    return base;
  }

  /**
   * A request to {@code /api/v1/<pathAndQuery>} as this person; null if the session has no
   * password.
   */
  HttpRequest.Builder request(String pathAndQuery, Authentication person) {
    if (!(person.getCredentials() instanceof String password)) {
      return null;
    }
    String login = person.getName() + ":" + password;
    return HttpRequest.newBuilder(base.resolve("api/v1/" + pathAndQuery))
        .timeout(Duration.ofMinutes(10))
        .header(
            "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)))
        .header("Accept", "application/json, application/problem+json");
  }

  HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  HttpResponse<String> sendForText(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
