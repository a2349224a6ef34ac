package dev.outpost.central.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.outpost.central.ingest.EnvelopeCheck;
import dev.outpost.contracts.Destinations;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.time.Instant;

/**
 * One message of outpost.ops.DLQ as ops see it. {@code id} is the broker's message id without the
 * "ID:" prefix. The broker's own dead letters (a message that kept crashing the consumer) have no
 * reason header: they show as POISON with the broker's original address.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
    String id,
    String operationId,
    String terminalId,
    String type,
    String reason,
    String detail,
    String originalAddress,
    String source,
    String failedAt,
    String firstFailedAt,
    Integer deliveryCount,
    Integer replayCount,
    Instant deadLetteredAt,
    String body) {

  /** Header kept across replays: when this operation first failed. */
  public static final String HDR_FIRST_FAILED_AT = Destinations.HDR_FIRST_FAILED_AT;

  /** Header counting how often ops replayed it and it failed again. */
  public static final String HDR_REPLAY_COUNT = Destinations.HDR_REPLAY_COUNT;

  /** Set by Artemis on messages it dead-lettered itself. */
  static final String HDR_AMQ_ORIG_ADDRESS = "_AMQ_ORIG_ADDRESS";

  static DeadLetter of(Message m, boolean withBody) throws JMSException {
    String reason = m.getStringProperty(Destinations.HDR_REASON);
    String original = m.getStringProperty(Destinations.HDR_ORIGINAL_ADDRESS);
    if (original == null) {
      original = m.getStringProperty(HDR_AMQ_ORIG_ADDRESS);
    }
    String failedAt = m.getStringProperty(Destinations.HDR_FAILED_AT);
    String first = m.getStringProperty(HDR_FIRST_FAILED_AT);
    String terminal = m.getStringProperty(Destinations.HDR_TERMINAL_ID);
    if (terminal == null) {
      terminal = EnvelopeCheck.terminalOfAddress(original);
    }
    return new DeadLetter(
        m.getJMSMessageID() == null ? null : m.getJMSMessageID().replaceFirst("^ID:", ""),
        m.getStringProperty(Destinations.HDR_OPERATION_ID),
        terminal,
        m.getStringProperty(Destinations.HDR_TYPE),
        reason == null ? "POISON" : reason,
        reason == null
            ? "the broker gave up delivering it (max-delivery-attempts)"
            : m.getStringProperty(Destinations.HDR_DETAIL),
        original,
        m.getStringProperty(Destinations.HDR_SOURCE),
        failedAt,
        first != null ? first : failedAt,
        m.propertyExists(Destinations.HDR_DELIVERY_COUNT)
            ? m.getIntProperty(Destinations.HDR_DELIVERY_COUNT)
            : null,
        m.propertyExists(HDR_REPLAY_COUNT) ? m.getIntProperty(HDR_REPLAY_COUNT) : 0,
        m.getJMSTimestamp() > 0 ? Instant.ofEpochMilli(m.getJMSTimestamp()) : null,
        withBody ? body(m) : null);
  }

  static String body(Message m) throws JMSException {
    if (m instanceof TextMessage t) {
      return t.getText();
    }
    if (m instanceof jakarta.jms.BytesMessage b) {
      byte[] bytes = new byte[(int) b.getBodyLength()];
      b.readBytes(bytes);
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
    return null;
  }
}
