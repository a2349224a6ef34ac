package dev.outpost.edge.ingest;

import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.edge.ledger.LedgerStore;
import java.time.Instant;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Re-sends, in sequence order, every ledger row that was committed but never confirmed in the
 * outbound queue (a crash between the Derby commit and the send). A row that did reach the queue is
 * dropped by the broker's duplicate detection; central is idempotent anyway.
 *
 * <p>Runs only on the single append consumer, so it never interleaves with new sends.
 */
@Component
public class StartupRepair implements CamelContextConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(StartupRepair.class);

  private final LedgerStore store;
  private final ProducerTemplate producer;
  private boolean repaired;

  public StartupRepair(LedgerStore store, @Lazy ProducerTemplate producer) {
    this.store = store;
    this.producer = producer;
  }

  /** First thing the append consumer does; cheap once done. */
  void ensureRepaired() {
    if (!repaired) {
      try {
        repairNow();
      } catch (RuntimeException e) {
        LOG.warn("Start-up repair could not re-send yet: {}", e.toString());
        throw new ProblemException(
            503,
            "queue-unavailable",
            "Terminal queue unavailable",
            "The terminal's outbound queue is not accepting operations yet; nothing was recorded. Retry later.");
      }
      repaired = true;
    }
  }

  /** Returns how many rows were re-sent. Fails (and stays un-repaired) if the queue refuses. */
  int repairNow() {
    List<LedgerEntry> rows = store.unqueued();
    if (rows.isEmpty()) {
      return 0;
    }
    LOG.info("Re-sending {} ledger row(s) that never reached the outbound queue", rows.size());
    for (LedgerEntry row : rows) {
      producer.sendBody(OutboundSendRoute.URI, row);
      store.markQueued(row.operationId(), Instant.now());
    }
    return rows.size();
  }

  @Override
  public void beforeApplicationStart(CamelContext camelContext) {}

  /** Queue the repair as soon as routes run, ahead of any post. */
  @Override
  public void afterApplicationStart(CamelContext camelContext) {
    producer.sendBody("seda:ledger-append", RepairRequest.AT_START);
  }
}
