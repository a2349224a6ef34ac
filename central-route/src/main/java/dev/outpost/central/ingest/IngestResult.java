package dev.outpost.central.ingest;

import dev.outpost.contracts.Receipt;
import dev.outpost.contracts.RejectReason;
import dev.outpost.support.FeaturePort;

/**
 * What became of one inbound message: a receipt for its terminal (null when no valid terminal can
 * be told), and, when rejected, the reason and detail for the dead letter.
 */
@FeaturePort
public record IngestResult(
    InboundMessage message,
    Receipt receipt,
    RejectReason reason,
    String detail,
    String operationId,
    String terminalId,
    String type) {
  public boolean rejected() {
    return reason != null;
  }
}
