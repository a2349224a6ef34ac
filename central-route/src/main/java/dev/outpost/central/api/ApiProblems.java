package dev.outpost.central.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.ingest.TransientFailures;
import dev.outpost.support.ProblemResponse;
import jakarta.jms.JMSException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The admin API's one error policy: RFC 9457 problem+json, rendered by web-support's {@link
 * ProblemResponse}. Bad input 400, unknown id 404, database or broker away 503 (nothing was
 * changed; try again), anything else 500 without internals.
 */
@RestControllerAdvice(
    basePackages = {
      "dev.outpost.central.deadletter",
      "dev.outpost.central.enrollment",
      "dev.outpost.central.imports",
      "dev.outpost.central.masterdata",
      "dev.outpost.central.records"
    })
public class ApiProblems {
  private static final Logger LOG = LoggerFactory.getLogger(ApiProblems.class);
  public static final String TYPE_BASE = ProblemResponse.TYPE_BASE;

  /** A problem with a known status, raised by the admin API's own code. */
  public static class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String slug;

    public ApiException(HttpStatus status, String slug, String detail) {
      super(detail);
      this.status = status;
      this.slug = slug;
    }
  }

  /** The document (title = the status's reason phrase, {@code instance} = the request path). */
  public static ObjectNode document(
      HttpStatus status, String slug, String detail, HttpServletRequest request) {
    ObjectNode doc =
        ProblemResponse.document(status.value(), slug, status.getReasonPhrase(), detail);
    doc.put("instance", request.getRequestURI());
    return doc;
  }

  public static ResponseEntity<String> problem(
      HttpStatus status, String slug, String detail, HttpServletRequest request) {
    return ProblemResponse.entity(document(status, slug, detail, request));
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<String> api(ApiException e, HttpServletRequest request) {
    return problem(e.status, e.slug, e.getMessage(), request);
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<String> badRequest(IllegalArgumentException e, HttpServletRequest request) {
    return problem(HttpStatus.BAD_REQUEST, "bad-request", e.getMessage(), request);
  }

  /** A path or query value of the wrong type, e.g. a conflict id that is not a number. */
  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<String> badValue(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    String type = e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName();
    return problem(
        HttpStatus.BAD_REQUEST,
        "bad-request",
        e.getName() + " must be a " + ("UUID".equals(type) ? "UUID" : type.toLowerCase()),
        request);
  }

  /** A body Spring could not read as the handler's type (not JSON, or missing). */
  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<String> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
    return problem(
        HttpStatus.BAD_REQUEST,
        "bad-request",
        "the request body is missing or not the JSON object this operation takes"
            + " (see /api/v1/openapi.yaml)",
        request);
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<String> failure(RuntimeException e, HttpServletRequest request) {
    if (TransientFailures.isTransient(e) || e.getCause() instanceof JMSException) {
      LOG.warn("Admin request could not complete: {}", e.toString());
      return problem(
          HttpStatus.SERVICE_UNAVAILABLE,
          "unavailable",
          "PostgreSQL or the broker is unavailable; nothing was changed, try again",
          request);
    }
    LOG.error("Admin request failed", e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal",
        "central could not handle the request",
        request);
  }
}
