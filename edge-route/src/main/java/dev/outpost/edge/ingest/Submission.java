package dev.outpost.edge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.support.FeaturePort;
import java.time.Instant;

/**
 * A schema-valid operation as posted, with the edge's defaults filled in: the contracts' {@link
 * OperationEnvelope} without terminalId and sequence (the append stage adds them), plus occurredAt
 * as the POS wrote it (kept verbatim in the ledger and the payload hash).
 */
@FeaturePort
public record Submission(
    OperationEnvelope envelope, String occurredAt, String payloadHash, Instant receivedAt) {

  public String operationId() {
    return envelope.operationId().toString();
  }

  public String type() {
    return envelope.type();
  }

  public int schemaVersion() {
    return envelope.schemaVersion();
  }

  public JsonNode payload() {
    return envelope.payload();
  }

  /** The payload as its contracts type (exact decimals kept). */
  public <T> T payloadAs(Class<T> payloadType) {
    return envelope.payloadAs(payloadType);
  }
}
