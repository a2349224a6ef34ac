package dev.outpost.edge.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.edge.ledger.LedgerEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** A ledger row as the POS sees it (OpenAPI schema LedgerEntry), payload read from its envelope. */
final class LedgerJson {
  private LedgerJson() {}

  static ObjectNode of(LedgerEntry e) {
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("operationId", e.operationId());
    doc.put("sequence", e.sequence());
    doc.put("type", e.type());
    doc.put("schemaVersion", e.schemaVersion());
    doc.put("occurredAt", e.occurredAt());
    doc.put("status", e.status().name());
    doc.put("reason", e.reason());
    doc.put("detail", e.detail());
    doc.put("receivedAt", text(e.receivedAt()));
    doc.put("queuedAt", text(e.queuedAt()));
    doc.put("receiptAt", text(e.receiptAt()));
    doc.set("payload", envelope(e).payload());
    return doc;
  }

  static OperationEnvelope envelope(LedgerEntry e) {
    try {
      return Contracts.mapper().readValue(e.envelopeJson(), OperationEnvelope.class);
    } catch (IOException ex) {
      throw new UncheckedIOException("ledger row " + e.operationId() + " holds no envelope", ex);
    }
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }
}
