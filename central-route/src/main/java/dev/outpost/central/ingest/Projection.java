package dev.outpost.central.ingest;

import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.support.FeaturePort;

/**
 * Applies one operation type's effects. Called inside the batch transaction, only for an operation
 * whose row in {@code operations} was just inserted, so its effects happen once. A projection
 * writes through its feature's repository (which joins that transaction) and adds to the shared
 * counters through {@code totals}.
 */
@FeaturePort("how another feature (records) applies its operation types")
public interface Projection {
  String type();

  Applied apply(OperationEnvelope op, BatchTotals totals) throws Rejected;
}
