package dev.outpost.central;

import dev.outpost.contracts.ApiDocument;
import dev.outpost.support.OpenApiContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP for central's tests: every answer of /api/v1 is checked against the admin API document
 * (contracts {@code openapi/central-admin-api.yaml}: path, method, status, media type and the JSON
 * body's schema), so each test that talks to central through here keeps the document true.
 */
public final class CentralApi {
  public static final OpenApiContract DOCUMENT = OpenApiContract.of(ApiDocument.CENTRAL_ADMIN);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private CentralApi() {}

  /** Sends, checks the answer against the document, returns it. */
  public static HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException {
    return DOCUMENT.check(request, HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  /**
   * A request to central on {@code port}; {@code login} is "user:password" or null, {@code body}
   * null for none (then no Content-Type either).
   */
  public static HttpRequest request(
      int port, String method, String path, String login, String contentType, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (login != null) {
      b.header("Authorization", basic(login));
    }
    if (body != null) {
      b.header("Content-Type", contentType);
    }
    return b.method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  public static String basic(String login) {
    return "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
  }
}
