package dev.outpost.edge.ingest;

import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.support.FeaturePort;

/**
 * A feature's say in ingest, on the single append stage: {@link #check} may refuse a new operation
 * (a {@code ProblemException}, e.g. 422) before anything is written; {@link #recorded} writes the
 * feature's local projections in the same Derby transaction as the ledger row; {@link #forgotten}
 * undoes them when the row is taken back after a failed send.
 */
@FeaturePort
public interface OperationGuard {
  void check(Submission submission);

  default void recorded(Submission submission, LedgerEntry entry) {}

  default void forgotten(String operationId) {}
}
