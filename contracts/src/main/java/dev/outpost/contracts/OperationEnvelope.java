package dev.outpost.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The envelope every operation travels in (schema {@code envelope.v1.json}). The payload stays a
 * JSON tree so it can be stored verbatim (jsonb at central, CLOB at the edge) and typed per use.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationEnvelope(
    UUID operationId,
    String type,
    Integer schemaVersion,
    String terminalId,
    Long sequence,
    OffsetDateTime occurredAt,
    JsonNode payload) {

  public OperationEnvelope withTerminal(String terminal, long seq) {
    return new OperationEnvelope(
        operationId, type, schemaVersion, terminal, seq, occurredAt, payload);
  }

  public <T> T payloadAs(Class<T> payloadType) {
    return Contracts.mapper().convertValue(payload, payloadType);
  }
}
