package dev.outpost.central.api;

import dev.outpost.central.ingest.TransientFailures;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The admin API's one error policy: RFC 9457 problem+json. Bad input 400, unknown id 404,
 * database or broker away 503 (nothing was changed; try again), anything else 500 without internals.
 */
@RestControllerAdvice(basePackages = {"dev.outpost.central.deadletter", "dev.outpost.central.enrollment", "dev.outpost.central.imports", "dev.outpost.central.records"})
public class ApiProblems {
  private static final Logger LOG = LoggerFactory.getLogger(ApiProblems.class);
  public static final String TYPE_BASE = "https://outpost.dev/problems/";

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

  public static ResponseEntity<ProblemDetail> problem(HttpStatus status, String slug, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(TYPE_BASE + slug));
    return ResponseEntity.status(status).body(p);
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return problem(e.status, e.slug, e.getMessage());
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<ProblemDetail> badRequest(IllegalArgumentException e) {
    return problem(HttpStatus.BAD_REQUEST, "bad-request", e.getMessage());
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<ProblemDetail> failure(RuntimeException e) {
    if (TransientFailures.isTransient(e) || e.getCause() instanceof jakarta.jms.JMSException) {
      LOG.warn("Admin request could not complete: {}", e.toString());
      return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "PostgreSQL or the broker is unavailable; nothing was changed, try again");
    }
    LOG.error("Admin request failed", e);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "central could not handle the request");
  }
}
