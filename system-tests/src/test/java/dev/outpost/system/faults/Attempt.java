package dev.outpost.system.faults;

import java.time.Instant;

/**
 * One HTTP attempt to record an operation, and what the POS app learnt from it.
 *
 * @param status the HTTP status, or 0 when there was no answer
 * @param sequence the sequence a 2xx answer gave (null otherwise)
 */
public record Attempt(
    String operationId,
    String terminalId,
    Instant startedAt,
    long millis,
    Outcome outcome,
    int status,
    Long sequence,
    String detail) {

  public enum Outcome {
    /** 2xx: the terminal promised the operation is recorded. */
    ACCEPTED,
    /** A non-2xx answer: the terminal says it is not recorded. */
    REFUSED,
    /** No connection could be made, so the request was never sent: not recorded. */
    NOT_SENT,
    /**
     * The request may have been sent but no answer came (reset, timeout, process gone): it may or
     * may not be recorded.
     */
    UNCLEAR
  }
}
