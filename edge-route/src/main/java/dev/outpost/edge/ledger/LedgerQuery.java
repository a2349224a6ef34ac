package dev.outpost.edge.ledger;

import dev.outpost.support.FeaturePort;
import java.time.Instant;

/**
 * A filter over the ledger, in sequence order: rows with {@code status} (any when null) whose
 * occurredAt is in [{@code from}, {@code to}) (open when null); {@code offset} matching rows are
 * skipped, at most {@code limit} returned.
 */
@FeaturePort
public record LedgerQuery(LedgerStatus status, Instant from, Instant to, int offset, int limit) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public LedgerQuery {
    if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("offset >= 0 and 1 <= limit <= " + MAX_LIMIT);
    }
  }

  boolean occurredIn(Instant at) {
    return (from == null || !at.isBefore(from)) && (to == null || at.isBefore(to));
  }
}
