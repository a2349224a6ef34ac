package dev.outpost.system.harness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Contracts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Plain HTTP client of one edge's API (the Citrus tests use Citrus's own client instead). */
public final class EdgeClient {
  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(3))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  public EdgeClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public record Response(int status, String body, String contentType) {
    public JsonNode json() {
      try {
        return Contracts.mapper().readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  public Response postOperation(String body) {
    return postOperation(body, Map.of());
  }

  public Response postOperation(String body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/operations"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return send(b.build());
  }

  public Response getOperation(String operationId) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/operations/" + operationId))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build());
  }

  public JsonNode syncStatus() {
    Response r =
        send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/sync/status"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build());
    if (r.status() != 200) {
      throw new AssertionError("sync/status answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(
          r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
