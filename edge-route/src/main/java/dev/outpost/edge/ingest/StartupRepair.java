package dev.outpost.edge.ingest;

import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.edge.ledger.LedgerStore;
import jakarta.jms.JMSException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Re-sends, in sequence order, every ledger row that was committed but never confirmed in the
 * outbound queue (a crash between the Derby commit and the send). A row that did reach the queue is
 * dropped by the broker's duplicate detection; central is idempotent anyway.
 *
 * <p>Runs only on the append thread ({@link AppendStage}), so it never interleaves with new sends.
 */
@Component
public class StartupRepair {
  private static final Logger LOG = LoggerFactory.getLogger(StartupRepair.class);

  private final LedgerStore store;
  private final OutboundSender sender;
  private boolean repaired;

  public StartupRepair(LedgerStore store, OutboundSender sender) {
    this.store = store;
    this.sender = sender;
  }

  /** First thing before each group; cheap once done. Returns how many rows were re-sent. */
  int ensureRepaired() {
    if (repaired) {
      return 0;
    }
    try {
      int resent = repairNow();
      repaired = true;
      return resent;
    } catch (RuntimeException e) {
      LOG.warn("Start-up repair could not re-send yet: {}", e.toString());
      throw new ProblemException(
          503,
          "queue-unavailable",
          "Terminal queue unavailable",
          "The terminal's outbound queue is not accepting operations yet; nothing was recorded. Retry later.");
    }
  }

  /** Returns how many rows were re-sent. Fails (and stays un-repaired) if the queue refuses. */
  int repairNow() {
    List<LedgerEntry> rows = store.unqueued();
    if (rows.isEmpty()) {
      return 0;
    }
    LOG.info("Re-sending {} ledger row(s) that never reached the outbound queue", rows.size());
    try {
      sender.sendOneByOne(rows);
    } catch (JMSException e) {
      throw new IllegalStateException("re-send refused: " + e.getMessage(), e);
    }
    Instant now = Instant.now();
    rows.forEach(row -> store.markQueued(row.operationId(), now));
    return rows.size();
  }
}
