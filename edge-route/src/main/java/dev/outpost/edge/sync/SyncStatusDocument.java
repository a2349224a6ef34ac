package dev.outpost.edge.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.edge.broker.OutboundMonitor;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.ledger.LedgerCounts;
import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.edge.ledger.LedgerStore;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The sync status document (edge-api.yaml, {@code SyncStatus}), built in one place for both {@code
 * GET /api/v1/sync/status} and its event stream {@code GET /api/v1/sync/status/stream}.
 */
@Component
public class SyncStatusDocument {
  static final int REJECTIONS_SHOWN = 20;

  private final EdgeProperties props;
  private final LedgerStore store;
  private final OutboundMonitor monitor;
  private final ForwardTracker tracker;

  /** The features' parts: ingest's disk, master-data freshness, ... */
  private final List<SyncStatusContributor> contributors;

  public SyncStatusDocument(
      EdgeProperties props,
      LedgerStore store,
      OutboundMonitor monitor,
      ForwardTracker tracker,
      ObjectProvider<SyncStatusContributor> contributors) {
    this.props = props;
    this.store = store;
    this.monitor = monitor;
    this.tracker = tracker;
    this.contributors = contributors.orderedStream().toList();
  }

  /** The document as of now. */
  public ObjectNode build() {
    tracker.poll();
    LedgerCounts counts = store.counts();
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("terminalId", props.terminalId());
    doc.put("online", monitor.bridgeConnected());
    // Forwarding held by the operator (operator page, POST /api/v1/sync/pause).
    doc.put("paused", monitor.paused());
    doc.put("pending", counts.queued());
    doc.put("queued", monitor.queued());
    doc.put("forwarded", monitor.forwarded());
    doc.put("accepted", counts.accepted());
    doc.put("flagged", counts.flagged());
    doc.put("rejected", counts.rejected());
    doc.put("lastForwardedAt", text(tracker.lastForwardedAt()));
    doc.put("lastReceiptAt", text(store.lastReceiptAt().orElse(null)));
    ArrayNode rejections = doc.putArray("rejections");
    for (LedgerEntry r : store.latestRejections(REJECTIONS_SHOWN)) {
      rejections
          .addObject()
          .put("operationId", r.operationId())
          .put("sequence", r.sequence())
          .put("reason", r.reason())
          .put("detail", r.detail());
    }
    ArrayNode alerts = doc.putArray("alerts");
    if (counts.queued() > props.ingest().pendingAlertThreshold()) {
      alerts.add("PENDING_BACKLOG");
    }
    if (counts.rejected() > 0) {
      alerts.add("REJECTIONS_WAITING");
    }
    Instant now = Instant.now();
    for (SyncStatusContributor c : contributors) {
      c.contribute(doc, alerts, now);
    }
    return doc;
  }

  /** {@link #build()} as JSON text, on one line. */
  public String json() {
    try {
      return Contracts.mapper().writeValueAsString(build());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("sync status not writable as JSON", e);
    }
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }
}
