package dev.outpost.edge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.Violation;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.edge.ledger.LedgerStore;
import dev.outpost.edge.ledger.NewOperation;
import jakarta.jms.JMSException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Ledger steps of the ingest flow, run only on the append thread ({@link AppendStage}). */
@Component
public class LedgerAppender {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerAppender.class);

  private final LedgerStore store;
  private final String terminalId;

  /** Features' checks and local projections (e.g. master data); see {@link OperationGuard}. */
  private final List<OperationGuard> guards;

  private final TransactionTemplate tx;
  private final OutboundSender sender;

  /** Re-sends after an unclear failure start at 100 ms apart and back off to this. */
  static final long MAX_RESEND_PAUSE_MS = 5_000;

  public LedgerAppender(
      LedgerStore store,
      EdgeProperties props,
      ObjectProvider<OperationGuard> guards,
      TransactionTemplate tx,
      OutboundSender sender) {
    this.store = store;
    this.terminalId = props.terminalId();
    this.guards = guards.orderedStream().toList();
    this.tx = tx;
    this.sender = sender;
  }

  /** Same id and payload: the stored row; same id, other payload: 409; else a new row. */
  public IngestResult record(Submission s) {
    Optional<LedgerEntry> existing = store.find(s.operationId());
    if (existing.isPresent()) {
      return sameOrConflict(s, existing.get());
    }
    guards.forEach(g -> g.check(s));
    try {
      // The ledger row and the guards' projections commit together (append joins this transaction).
      LedgerEntry entry =
          tx.execute(
              status -> {
                LedgerEntry appended =
                    store.append(
                        new NewOperation(
                            s.operationId(),
                            s.type(),
                            s.schemaVersion(),
                            s.occurredAt(),
                            s.receivedAt(),
                            s.payloadHash(),
                            seq -> envelopeJson(s, seq)));
                guards.forEach(g -> g.recorded(s, appended));
                return appended;
              });
      return new IngestResult(entry, true);
    } catch (DuplicateKeyException e) {
      // Only reachable if a row was written outside this single consumer (e.g. an import).
      return sameOrConflict(s, store.find(s.operationId()).orElseThrow(() -> e));
    }
  }

  private static IngestResult sameOrConflict(Submission s, LedgerEntry stored) {
    if (stored.payloadHash().equals(s.payloadHash())) {
      return new IngestResult(stored, false);
    }
    throw new ProblemException(
        409,
        "operation-id-conflict",
        "Operation id already used",
        "Operation "
            + s.operationId()
            + " was already recorded with a different content (sequence "
            + stored.sequence()
            + "); a new operation needs a new operationId",
        List.of(new Violation("/operationId", "already used for other content")));
  }

  /**
   * Sends a group's new rows to their lane queues in one transaction. Returns null once the broker
   * has them, or the 503 to answer after a clear refusal (address full, not allowed): then the rows
   * are taken back, so the non-2xx is true. No clear answer (a timeout, a broken in-VM connection:
   * the messages may be in the journal) never takes a row back: the rows are sent again one by one,
   * on this single append thread so the lanes' order holds, until the broker answers; the queue
   * drops a second copy by {@code _AMQ_DUPL_ID}. If the terminal stops meanwhile the committed rows
   * stay and start-up repair sends them, so their 202 is true.
   */
  RuntimeException send(List<LedgerEntry> entries, BooleanSupplier stopping) {
    Throwable cause;
    try {
      sender.sendTogether(entries);
      return null;
    } catch (JMSException | RuntimeException e) {
      cause = e;
    }
    long pauseMs = 100;
    while (SendFailures.isAmbiguous(cause)) {
      if (stopping.getAsBoolean()) {
        LOG.warn(
            "{} operation(s) from sequence {} stay in the ledger unqueued while the terminal"
                + " stops; start-up repair sends them",
            entries.size(),
            entries.get(0).sequence());
        return null;
      }
      LOG.warn(
          "Send of {} operation(s) from sequence {} got no clear answer ({}); sending them again",
          entries.size(),
          entries.get(0).sequence(),
          String.valueOf(cause));
      sleep(pauseMs);
      pauseMs = Math.min(pauseMs * 2, MAX_RESEND_PAUSE_MS);
      try {
        sender.sendOneByOne(entries);
        return null;
      } catch (JMSException | RuntimeException e) {
        cause = e;
      }
    }
    LOG.warn(
        "Outbound queue refused {} operation(s) from sequence {}; not recorded: {}",
        entries.size(),
        entries.get(0).sequence(),
        String.valueOf(cause));
    tx.executeWithoutResult(
        status ->
            entries.forEach(
                e -> {
                  store.remove(e.operationId());
                  guards.forEach(g -> g.forgotten(e.operationId()));
                }));
    return new ProblemException(
        503,
        "queue-unavailable",
        "Terminal queue unavailable",
        "The terminal's outbound queue did not accept the operation (disk full or broker stopping); "
            + "it was not recorded. Retry later with the same operationId.");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Inside the caller's transaction: marks the rows queued; a failure fails the transaction. */
  void markQueuedInTransaction(List<LedgerEntry> entries, Instant at) {
    entries.forEach(e -> store.markQueued(e.operationId(), at));
  }

  /**
   * After the send succeeded and the answers went out: the operations are recorded and queued
   * whatever happens here. If the mark is lost, start-up repair sends the rows again and the queue
   * drops the copies, so a failure is logged, never answered as "not recorded".
   */
  void markQueued(List<LedgerEntry> entries, Instant at) {
    try {
      tx.executeWithoutResult(
          status -> entries.forEach(e -> store.markQueued(e.operationId(), at)));
    } catch (RuntimeException e) {
      LOG.warn(
          "{} operation(s) are queued but could not be marked so in the ledger ({}); repair"
              + " re-sends them",
          entries.size(),
          e.toString());
    }
  }

  /**
   * The envelope as central receives it: the POS's envelope (contracts' {@link OperationEnvelope},
   * payload verbatim with its exact decimals) plus terminalId and sequence.
   */
  String envelopeJson(Submission s, long sequence) {
    try {
      return Contracts.mapper().writeValueAsString(s.envelope().withTerminal(terminalId, sequence));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
