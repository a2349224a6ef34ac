package dev.outpost.edge.ledger;

import dev.outpost.support.FeaturePort;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The terminal's durable ledger. Routes only see this interface, so another embedded database can
 * replace Derby without touching them. Every method is one transaction.
 */
@FeaturePort
public interface LedgerStore {

  Optional<LedgerEntry> find(String operationId);

  /**
   * Takes the next sequence and writes the row (status QUEUED, not yet queued) in one transaction,
   * committed and synced when this returns.
   */
  LedgerEntry append(NewOperation operation);

  /** Writes a row as given (tests and imports); the sequence counter moves past it. */
  void insert(LedgerEntry entry);

  /** Removes a row whose send failed, so a non-2xx answer means "not recorded". */
  void remove(String operationId);

  void markQueued(String operationId, Instant queuedAt);

  /** Rows recorded but never confirmed in the outbound queue, in sequence order. */
  List<LedgerEntry> unqueued();

  /** The highest sequence of each operation type among the rows before {@code sequence}. */
  Map<String, Long> lastSequenceByType(long before);

  /** Sequence and type of every row from {@code sequence} on, in sequence order. */
  List<SequencedType> sequencesFrom(long sequence);

  /** A row's place in the ledger, without its content. */
  record SequencedType(long sequence, String type) {}

  /**
   * Applies central's verdicts (a receipt batch) in one transaction. ACCEPTED is final; a REJECTED
   * row may still become ACCEPTED (operator replay). Returns the operation ids that match no row.
   */
  List<String> applyReceipts(List<ReceiptUpdate> updates, Instant at);

  LedgerCounts counts();

  List<LedgerEntry> latestRejections(int limit);

  Optional<Instant> lastReceiptAt();

  /**
   * Retention: deletes ACCEPTED rows received before {@code receivedBefore} (central holds them;
   * the day export no longer covers them). QUEUED and REJECTED rows are never purged. Returns the
   * number of rows removed.
   */
  int purgeAccepted(Instant receivedBefore);

  /**
   * Every row whose occurredAt falls in [fromInclusive, toExclusive), whatever its status, in
   * sequence order: the day export.
   */
  List<LedgerEntry> occurredBetween(Instant fromInclusive, Instant toExclusive);

  /**
   * One page of the ledger in sequence order, filtered by status and occurredAt: a POS reconciles a
   * day with a few of these instead of one lookup per operation.
   */
  LedgerPage page(LedgerQuery query);
}
