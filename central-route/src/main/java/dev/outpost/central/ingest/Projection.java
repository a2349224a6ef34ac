package dev.outpost.central.ingest;

import dev.outpost.contracts.OperationEnvelope;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Applies one operation type's effects. Called inside the batch transaction, only for an operation
 * whose row in {@code operations} was just inserted, so its effects happen once.
 */
public interface Projection {
  String type();

  Applied apply(OperationEnvelope op, NamedParameterJdbcTemplate jdbc, BatchTotals totals)
      throws Rejected;
}
