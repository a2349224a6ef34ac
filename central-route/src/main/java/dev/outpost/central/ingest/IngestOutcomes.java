package dev.outpost.central.ingest;

import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Receipt;
import dev.outpost.contracts.ReceiptBatch;
import dev.outpost.contracts.TerminalIds;
import dev.outpost.support.FeaturePort;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    String deadLetterId = deadLetter(session, producer, r, firstFailedAt, replayCount);
    if (r.receipt() != null && TerminalIds.isValid(r.receipt().terminalId())) {
      TextMessage receipt = session.createTextMessage(json(r.receipt()));
      receipt.setStringProperty(
          Destinations.HDR_OPERATION_ID, r.receipt().operationId().toString());
      producer.send(session.createQueue(Destinations.receipts(r.receipt().terminalId())), receipt);
    }
    return deadLetterId;
  }

  /** The dead letter of a rejected result, with its reason headers; its id, or null if none. */
  private static String deadLetter(
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
    return deadLetterId;
  }

  /**
   * What a batch of results owes the broker, in the caller's transacted session: each dead letter
   * on its own, and the receipts of each terminal together, in one message per terminal ({@code
   * receipt-batch.v1.json}): a terminal then marks its ledger for the whole batch in one
   * transaction, and the broker journals one message instead of one per operation.
   */
  public static void sendAll(Session session, MessageProducer producer, List<IngestResult> results)
      throws JMSException {
    Map<String, List<Receipt>> byTerminal = new LinkedHashMap<>();
    for (IngestResult r : results) {
      deadLetter(session, producer, r, null, 0);
      if (r.receipt() != null && TerminalIds.isValid(r.receipt().terminalId())) {
        byTerminal
            .computeIfAbsent(r.receipt().terminalId(), t -> new ArrayList<>())
            .add(r.receipt());
      }
    }
    for (Map.Entry<String, List<Receipt>> e : byTerminal.entrySet()) {
      TextMessage batch =
          session.createTextMessage(json(new ReceiptBatch(e.getKey(), e.getValue())));
      batch.setIntProperty(RECEIPT_COUNT, e.getValue().size());
      producer.send(session.createQueue(Destinations.receipts(e.getKey())), batch);
    }
  }

  /** How many receipts a batch message holds (for people browsing the queue). */
  public static final String RECEIPT_COUNT = "receiptCount";

  private static String json(Object o) {
    try {
      return Contracts.mapper().writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
