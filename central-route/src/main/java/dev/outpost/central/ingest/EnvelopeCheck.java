package dev.outpost.central.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationValidator;
import dev.outpost.contracts.RejectReason;
import dev.outpost.contracts.StorableText;
import dev.outpost.contracts.TerminalIds;
import dev.outpost.contracts.ValidationResult;
import dev.outpost.contracts.Violation;
import dev.outpost.support.FeaturePort;
import org.springframework.stereotype.Component;

/**
 * Checks that need no database: the body parses, matches the schema of a version central knows, and
 * was sent by the terminal it names. The sender is the broker-validated user when the broker
 * authenticates terminals, and otherwise the terminal's own inbound address (which only that
 * terminal's bridge sends to).
 */
@FeaturePort
@Component
public class EnvelopeCheck {
  public static final String SOURCE_BRIDGE = "bridge";

  /**
   * One JSON document and nothing after it: a plain readTree stops after the first value, so a good
   * operation followed by garbage, or by a second operation, was applied and the rest of the body
   * silently dropped.
   */
  private static final ObjectReader READER =
      Contracts.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final OperationValidator validator = new OperationValidator();

  public OperationEnvelope check(InboundMessage msg) throws Rejected {
    if (msg.notText() != null) {
      throw new Rejected(RejectReason.SCHEMA_INVALID, msg.notText());
    }
    JsonNode doc;
    try {
      doc = READER.readTree(msg.body() == null ? "" : msg.body());
    } catch (JacksonException e) {
      throw new Rejected(
          RejectReason.SCHEMA_INVALID, "body is not valid JSON: " + e.getOriginalMessage());
    }
    if (doc == null || !doc.isObject()) {
      throw new Rejected(RejectReason.SCHEMA_INVALID, "body is not a JSON object");
    }
    Violation unstorable = StorableText.firstUnstorable(doc);
    if (unstorable != null) {
      throw new Rejected(
          RejectReason.SCHEMA_INVALID, unstorable.pointer() + ": " + unstorable.message());
    }
    ValidationResult result = validator.validateEnvelope(doc);
    if (!result.isValid()) {
      String detail =
          result.unsupportedVersion()
              ? "schemaVersion "
                  + doc.path("schemaVersion").asText()
                  + " of "
                  + doc.path("type").asText()
                  + " is not supported"
              : result.summary();
      throw new Rejected(result.reason(), detail);
    }
    OperationEnvelope envelope = Contracts.mapper().convertValue(doc, OperationEnvelope.class);
    String sender = sender(msg);
    if (sender == null && SOURCE_BRIDGE.equals(msg.source())) {
      throw new Rejected(
          RejectReason.TERMINAL_MISMATCH,
          "sent to " + msg.address() + ", which is not a terminal's inbound address");
    }
    if (sender != null && !sender.equals(envelope.terminalId())) {
      throw new Rejected(
          RejectReason.TERMINAL_MISMATCH,
          "envelope names terminal '"
              + envelope.terminalId()
              + "' but was sent by '"
              + sender
              + "'");
    }
    return envelope;
  }

  /**
   * Who sent it, as far as the broker can vouch; null for imports and replays (checked elsewhere).
   */
  static String sender(InboundMessage msg) {
    if (msg.validatedUser() != null && !msg.validatedUser().isBlank()) {
      return msg.validatedUser();
    }
    return terminalOfAddress(msg.address());
  }

  /** {@code outpost.ops.in.bar-1} -> {@code bar-1}; null when the address is not a terminal's. */
  public static String terminalOfAddress(String address) {
    if (address == null || !address.startsWith(Destinations.OPS_IN_PREFIX)) {
      return null;
    }
    String id = address.substring(Destinations.OPS_IN_PREFIX.length());
    return TerminalIds.isValid(id) ? id : null;
  }
}
