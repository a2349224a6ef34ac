package dev.outpost.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The one RFC 9457 problem+json renderer of every app: {@code type} ({@code
 * https://outpost.dev/problems/<slug>}), {@code title}, {@code status}, {@code detail}, and
 * whatever extra members the caller adds to the {@link #document document} (the edge's {@code
 * errors}, central's {@code instance}). Used by central's controller advice, the servlet filters of
 * all apps (answers before any controller or route runs) and the edge's routes.
 */
public final class ProblemResponse {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
  public static final String TYPE_BASE = "https://outpost.dev/problems/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProblemResponse() {}

  /** The document's standard members; add extra members to the node before writing it. */
  public static ObjectNode document(int status, String slug, String title, String detail) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("type", TYPE_BASE + slug);
    doc.put("title", title);
    doc.put("status", status);
    doc.put("detail", detail);
    return doc;
  }

  public static String json(ObjectNode doc) {
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Spring MVC answer (controller advice, exception handlers). */
  public static ResponseEntity<String> entity(ObjectNode doc) {
    return ResponseEntity.status(doc.get("status").asInt())
        .contentType(PROBLEM_JSON)
        .body(json(doc));
  }

  /** Writes the document as the whole response (servlet filters). */
  public static void send(HttpServletResponse response, ObjectNode doc) throws IOException {
    byte[] body = json(doc).getBytes(StandardCharsets.UTF_8);
    response.resetBuffer();
    response.setStatus(doc.get("status").asInt());
    response.setContentType(MEDIA_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  /** A filter's answer: the standard members and an empty {@code errors} list. */
  public static void send(
      HttpServletResponse response, int status, String slug, String title, String detail)
      throws IOException {
    ObjectNode doc = document(status, slug, title, detail);
    doc.putArray("errors");
    send(response, doc);
  }

  /** 429 with {@code Retry-After} in whole seconds (at least 1). */
  public static void tooManyRequests(
      HttpServletResponse response, Duration retryAfter, String detail) throws IOException {
    response.setHeader("Retry-After", Long.toString(retryAfterSeconds(retryAfter)));
    send(response, 429, "too-many-requests", "Too many requests", detail);
  }

  public static long retryAfterSeconds(Duration wait) {
    long millis = Math.max(0, wait.toMillis());
    return Math.max(1, (millis + 999) / 1000);
  }
}
