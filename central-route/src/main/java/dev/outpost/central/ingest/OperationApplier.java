package dev.outpost.central.ingest;

import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.Outcome;
import dev.outpost.contracts.Receipt;
import dev.outpost.contracts.RejectReason;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a batch of inbound operations in ONE PostgreSQL transaction: each operation is inserted
 * into {@code operations} with ON CONFLICT DO NOTHING, and its projection runs only when the row
 * was actually inserted, so redelivered or replayed operations change nothing. A batch is first
 * tried without savepoints; if central refuses any of its operations it is applied again with each
 * operation under its own savepoint, so a permanent rejection undoes just that operation. A
 * database or network failure propagates and the whole batch is retried by the caller.
 */
@Component
public class OperationApplier {
  private static final Logger LOG = LoggerFactory.getLogger(OperationApplier.class);

  private final OperationRepository operations;
  private final LaneHeadRepository laneHeads;
  private final TransactionTemplate tx;
  private final EnvelopeCheck check;
  private final Map<String, Projection> projections;

  public OperationApplier(
      OperationRepository operations,
      LaneHeadRepository laneHeads,
      TransactionTemplate tx,
      EnvelopeCheck check,
      List<Projection> projections) {
    this.operations = operations;
    this.laneHeads = laneHeads;
    this.tx = tx;
    this.check = check;
    this.projections =
        projections.stream().collect(Collectors.toMap(Projection::type, Function.identity()));
  }

  /** One result per message, in the same order. Throws on transient failure (nothing applied). */
  public List<IngestResult> applyBatch(List<InboundMessage> batch) {
    return applyBatch(batch, null);
  }

  /**
   * As {@link #applyBatch(List)}, and runs {@code alsoInTransaction} (if not null) with the results
   * in the transaction that commits them, so a caller's own rows (import progress, a replay's
   * audit) commit with the operations or not at all.
   */
  public List<IngestResult> applyBatch(
      List<InboundMessage> batch, Consumer<List<IngestResult>> alsoInTransaction) {
    Consumer<List<IngestResult>> also = alsoInTransaction != null ? alsoInTransaction : r -> {};
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      // Inside a caller's transaction an aborted attempt would mark that transaction
      // rollback-only: savepoints from the start.
      return applyWithSavepoints(batch, also);
    }
    try {
      // Most batches hold no operation that central refuses: apply them without a savepoint per
      // operation (two round trips each fewer). The first refusal rolls the attempt back and the
      // batch is applied again with savepoints, so only the refused operation is left out.
      return tx.execute(status -> applyInTransaction(batch, status, Mode.OPTIMISTIC, also));
    } catch (NeedsSavepoints | CountersRefused e) {
      return applyWithSavepoints(batch, also);
    }
  }

  private List<IngestResult> applyWithSavepoints(
      List<InboundMessage> batch, Consumer<List<IngestResult>> also) {
    try {
      return tx.execute(status -> applyInTransaction(batch, status, Mode.SAVEPOINTS, also));
    } catch (CountersRefused e) {
      // Rare: the shared counters (written once per batch, outside the operations' savepoints)
      // broke a constraint, e.g. a visit's consumed amount overflowing. Apply the batch again with
      // each operation's counters written inside its own savepoint, so only the one at fault is
      // rejected and the others (other terminals' included) are applied.
      LOG.warn(
          "A batch of {} could not write its shared counters ({}); applying it operation by"
              + " operation",
          batch.size(),
          rootMessage(e));
      return tx.execute(
          status -> applyInTransaction(batch, status, Mode.COUNTERS_PER_OPERATION, also));
    }
  }

  /**
   * OPTIMISTIC: no savepoints, the first refusal aborts the attempt; SAVEPOINTS: one per operation;
   * COUNTERS_PER_OPERATION: also each operation's shared counters inside its savepoint.
   */
  private enum Mode {
    OPTIMISTIC,
    SAVEPOINTS,
    COUNTERS_PER_OPERATION
  }

  /** An optimistic attempt met an operation central refuses: roll back, apply with savepoints. */
  private static final class NeedsSavepoints extends RuntimeException {
    NeedsSavepoints() {
      super(null, null, false, false);
    }
  }

  /** The batch's shared counters broke a constraint: some operation in it is at fault. */
  private static final class CountersRefused extends RuntimeException {
    CountersRefused(RuntimeException cause) {
      super(cause);
    }
  }

  private List<IngestResult> applyInTransaction(
      List<InboundMessage> batch,
      TransactionStatus status,
      Mode mode,
      Consumer<List<IngestResult>> also) {
    boolean countersPerOperation = mode == Mode.COUNTERS_PER_OPERATION;
    boolean optimistic = mode == Mode.OPTIMISTIC;
    List<IngestResult> results = new ArrayList<>(batch.size());
    BatchTotals totals = new BatchTotals();
    // Every bridged operation, applied or rejected, moves its lane on (see LaneOrder).
    LaneOrder.Heads heads = new LaneOrder.Heads();
    for (InboundMessage msg : batch) {
      OperationEnvelope op;
      try {
        op = check.check(msg);
      } catch (Rejected r) {
        results.add(rejected(msg, null, r.reason(), r.getMessage()));
        heads.saw(msg, null);
        continue;
      }
      heads.saw(msg, op.sequence());
      Object savepoint = optimistic ? null : status.createSavepoint();
      try {
        BatchTotals mine = countersPerOperation ? new BatchTotals() : totals;
        Applied applied = applyOne(op, msg.source(), mine);
        if (countersPerOperation) {
          mine.keep();
          operations.flush(mine);
        }
        if (!optimistic) {
          status.releaseSavepoint(savepoint);
        }
        totals.keep();
        results.add(done(msg, op, applied));
      } catch (Rejected r) {
        if (optimistic) {
          throw new NeedsSavepoints();
        }
        status.rollbackToSavepoint(savepoint);
        totals.discard();
        results.add(rejected(msg, op, r.reason(), r.getMessage()));
      } catch (RuntimeException e) {
        if (TransientFailures.isTransient(e)) {
          throw e;
        }
        if (optimistic) {
          throw new NeedsSavepoints();
        }
        // The message itself breaks a constraint or the code: it would fail forever.
        status.rollbackToSavepoint(savepoint);
        totals.discard();
        LOG.warn("Operation {} cannot be applied: {}", op.operationId(), e.toString());
        results.add(rejected(msg, op, RejectReason.POISON, rootMessage(e)));
      }
    }
    if (!countersPerOperation) {
      try {
        operations.flush(totals);
      } catch (RuntimeException e) {
        if (TransientFailures.isTransient(e)) {
          throw e;
        }
        throw new CountersRefused(e);
      }
    }
    laneHeads.raise(heads.moved());
    also.accept(results);
    return results;
  }

  private Applied applyOne(OperationEnvelope op, String source, BatchTotals totals)
      throws Rejected {
    Projection projection = projections.get(op.type());
    if (projection == null) {
      throw new Rejected(RejectReason.UNSUPPORTED_VERSION, "no projection for type " + op.type());
    }
    String payload = json(op);
    if (!operations.insertIfNew(op, payload, source)) {
      return new Applied(duplicateOrConflict(op, payload), null);
    }
    Applied applied = projection.apply(op, totals);
    totals.sawSequence(op.terminalId(), op.sequence());
    return applied;
  }

  /**
   * Same id seen before: a true duplicate when it is the same operation, else a reuse of the id.
   */
  private Outcome duplicateOrConflict(OperationEnvelope op, String payload) throws Rejected {
    if (!operations.sameAsStored(op, payload)) {
      throw new Rejected(
          RejectReason.BUSINESS_RULE,
          "operationId " + op.operationId() + " was already used for a different operation");
    }
    return Outcome.DUPLICATE;
  }

  private static String json(OperationEnvelope op) {
    try {
      return Contracts.mapper().writeValueAsString(op.payload());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static IngestResult done(InboundMessage msg, OperationEnvelope op, Applied applied) {
    Receipt receipt =
        new Receipt(
            op.operationId(),
            op.terminalId(),
            op.sequence(),
            applied.outcome(),
            null,
            truncate(applied.detail()),
            now());
    return new IngestResult(
        msg, receipt, null, null, op.operationId().toString(), op.terminalId(), op.type());
  }

  private static IngestResult rejected(
      InboundMessage msg, OperationEnvelope op, RejectReason reason, String detail) {
    Receipt receipt = null;
    if (op != null) {
      receipt =
          new Receipt(
              op.operationId(),
              op.terminalId(),
              op.sequence(),
              Outcome.REJECTED,
              reason,
              truncate(detail),
              now());
      return new IngestResult(
          msg,
          receipt,
          reason,
          truncate(detail),
          op.operationId().toString(),
          op.terminalId(),
          op.type());
    }
    // Unreadable or not the sender's own: tell the terminal that really sent it (by its address),
    // never the one the body claims, when the body still names an operation id.
    String sender = EnvelopeCheck.sender(msg);
    UUID id = operationIdOf(msg.body());
    if (sender != null && id != null) {
      receipt = new Receipt(id, sender, null, Outcome.REJECTED, reason, truncate(detail), now());
    }
    return new IngestResult(
        msg, receipt, reason, truncate(detail), id == null ? null : id.toString(), sender, null);
  }

  private static UUID operationIdOf(String body) {
    try {
      return UUID.fromString(Contracts.mapper().readTree(body).path("operationId").asText());
    } catch (Exception e) {
      return null;
    }
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
