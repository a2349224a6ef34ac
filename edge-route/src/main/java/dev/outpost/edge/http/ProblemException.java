package dev.outpost.edge.http;

import dev.outpost.contracts.Violation;
import java.util.List;

/**
 * An answer other than 2xx, rendered as RFC 9457 problem+json by {@link ProblemRouteConfiguration}.
 */
public class ProblemException extends RuntimeException {
  private final int status;
  private final String slug;
  private final String title;
  private final List<Violation> errors;
  private Long retryAfterSeconds;

  public ProblemException(
      int status, String slug, String title, String detail, List<Violation> errors) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  public ProblemException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, List.of());
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public List<Violation> errors() {
    return errors;
  }

  /** Sent as {@code Retry-After} (429, 503); null when not set. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public ProblemException retryAfter(long seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }
}
