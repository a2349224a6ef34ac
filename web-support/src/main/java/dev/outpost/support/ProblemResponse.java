package dev.outpost.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * RFC 9457 problem+json answers written by servlet filters, before any controller or route runs
 * (same {@code type} base as the apps' own problems).
 */
public final class ProblemResponse {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://outpost.dev/problems/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProblemResponse() {}

  public static void send(HttpServletResponse response, int status, String slug, String title, String detail)
      throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("type", TYPE_BASE + slug);
    doc.put("title", title);
    doc.put("status", status);
    doc.put("detail", detail);
    doc.putArray("errors");
    byte[] body = JSON.writeValueAsBytes(doc);
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType(MEDIA_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  /** 429 with {@code Retry-After} in whole seconds (at least 1). */
  public static void tooManyRequests(HttpServletResponse response, Duration retryAfter, String detail)
      throws IOException {
    response.setHeader("Retry-After", Long.toString(retryAfterSeconds(retryAfter)));
    send(response, 429, "too-many-requests", "Too many requests", detail);
  }

  public static long retryAfterSeconds(Duration wait) {
    long millis = Math.max(0, wait.toMillis());
    return Math.max(1, (millis + 999) / 1000);
  }
}
