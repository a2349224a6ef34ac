package dev.outpost.central.ingest;

import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.TerminalIds;
import dev.outpost.support.FeaturePort;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Sends what an ingest result owes the broker, in the caller's transacted session: the dead letter
 * (with its reason headers) when rejected, and the receipt to its terminal. Used by every source of
 * the ingest route: the bridge's batch consumer, replays and imports.
 */
@FeaturePort
public final class IngestOutcomes {
  private IngestOutcomes() {}

  /**
   * @param firstFailedAt when the operation first failed (kept across replays), or null for now
   * @param replayCount how often ops replayed it before this dead letter
   * @return the new dead letter's id (without "ID:"), or null when none was sent
   */
  public static String send(
      Session session,
      MessageProducer producer,
      IngestResult r,
      String firstFailedAt,
      int replayCount)
      throws JMSException {
    String deadLetterId = null;
    if (r.rejected()) {
      String now = java.time.Instant.now().toString(); // always with seconds (RFC 3339)
      TextMessage dl = session.createTextMessage(r.message().body());
      dl.setStringProperty(Destinations.HDR_REASON, r.reason().name());
      dl.setStringProperty(Destinations.HDR_DETAIL, r.detail());
      if (r.message().address() != null) {
        dl.setStringProperty(Destinations.HDR_ORIGINAL_ADDRESS, r.message().address());
      }
      dl.setStringProperty(Destinations.HDR_FAILED_AT, now);
      dl.setStringProperty(
          Destinations.HDR_FIRST_FAILED_AT, firstFailedAt != null ? firstFailedAt : now);
      dl.setIntProperty(Destinations.HDR_DELIVERY_COUNT, r.message().deliveryCount());
      dl.setIntProperty(Destinations.HDR_REPLAY_COUNT, replayCount);
      dl.setStringProperty(Destinations.HDR_SOURCE, r.message().source());
      if (r.operationId() != null) {
        dl.setStringProperty(Destinations.HDR_OPERATION_ID, r.operationId());
      }
      if (r.terminalId() != null) {
        dl.setStringProperty(Destinations.HDR_TERMINAL_ID, r.terminalId());
      }
      if (r.type() != null) {
        dl.setStringProperty(Destinations.HDR_TYPE, r.type());
      }
      producer.send(session.createQueue(Destinations.OPS_DLQ), dl);
      deadLetterId =
          dl.getJMSMessageID() == null ? null : dl.getJMSMessageID().replaceFirst("^ID:", "");
    }
    if (r.receipt() != null && TerminalIds.isValid(r.receipt().terminalId())) {
      TextMessage receipt = session.createTextMessage(json(r.receipt()));
      receipt.setStringProperty(
          Destinations.HDR_OPERATION_ID, r.receipt().operationId().toString());
      producer.send(session.createQueue(Destinations.receipts(r.receipt().terminalId())), receipt);
    }
    return deadLetterId;
  }

  private static String json(Object o) {
    try {
      return Contracts.mapper().writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
