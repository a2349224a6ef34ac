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
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Ledger steps of the ingest flow. {@link #record} runs only on the single append consumer. */
@Component
public class LedgerAppender {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerAppender.class);

  private final LedgerStore store;
  private final String terminalId;

  /** Features' checks and local projections (e.g. master data); see {@link OperationGuard}. */
  private final List<OperationGuard> guards;

  private final TransactionTemplate tx;
  private final ProducerTemplate producer;

  /** Re-sends after an unclear failure start at 100 ms apart and back off to this. */
  static final long MAX_RESEND_PAUSE_MS = 5_000;

  public LedgerAppender(
      LedgerStore store,
      EdgeProperties props,
      ObjectProvider<OperationGuard> guards,
      TransactionTemplate tx,
      ProducerTemplate producer) {
    this.store = store;
    this.terminalId = props.terminalId();
    this.guards = guards.orderedStream().toList();
    this.tx = tx;
    this.producer = producer;
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
   * The send of a freshly written row failed. A clear refusal by the broker (address full, not
   * allowed) means it is not in the queue: the row is taken back and the answer is 503, "not
   * recorded". No clear answer (a timeout, a broken in-VM connection) means it may be: the same
   * message is sent again, right here on the single append consumer so the lane's order holds,
   * until the broker answers; the outbound queue drops a second copy by {@code _AMQ_DUPL_ID}. If
   * the terminal stops meanwhile, the row stays: it is committed in Derby and start-up repair sends
   * it before any newer operation, so the 202 is true.
   */
  public void forgetAfterFailedSend(Exchange exchange) {
    IngestResult result = exchange.getProperty(LedgerAppendRoute.RESULT, IngestResult.class);
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    LedgerEntry entry = result.entry();
    long pauseMs = 100;
    while (SendFailures.isAmbiguous(cause)) {
      if (exchange.getContext().isStopping()) {
        LOG.warn(
            "Operation {} (sequence {}) stays in the ledger unqueued while the terminal stops; "
                + "start-up repair sends it",
            entry.operationId(),
            entry.sequence());
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        return;
      }
      LOG.warn(
          "Send of operation {} (sequence {}) got no clear answer ({}); sending it again",
          entry.operationId(),
          entry.sequence(),
          String.valueOf(cause));
      sleep(pauseMs);
      pauseMs = Math.min(pauseMs * 2, MAX_RESEND_PAUSE_MS);
      Exchange resent = producer.send(OutboundSendRoute.URI, e -> e.getMessage().setBody(entry));
      cause = resent.getException();
      if (cause == null) {
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        return;
      }
    }
    LOG.warn(
        "Outbound queue refused operation {} (sequence {}); not recorded: {}",
        entry.operationId(),
        entry.sequence(),
        String.valueOf(cause));
    tx.executeWithoutResult(
        status -> {
          store.remove(entry.operationId());
          guards.forEach(g -> g.forgotten(entry.operationId()));
        });
    // The send failure is answered below; it must not linger as "the" caught exception.
    exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
    throw new ProblemException(
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

  /**
   * Runs outside the serialized stage, after the send succeeded: the operation is recorded and
   * queued whatever happens here. If the mark is lost, start-up repair sends the row again and the
   * queue drops the copy, so a failure is logged, never answered as "not recorded".
   */
  public void markQueued(IngestResult result) {
    try {
      store.markQueued(result.entry().operationId(), Instant.now());
    } catch (RuntimeException e) {
      LOG.warn(
          "Operation {} is queued but could not be marked so in the ledger ({}); repair re-sends it",
          result.entry().operationId(),
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
