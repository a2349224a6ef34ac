package dev.outpost.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Central's answer for one operation (schema {@code receipt.v1.json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Receipt(
    UUID operationId,
    String terminalId,
    Long sequence,
    Outcome outcome,
    RejectReason reason,
    String detail,
    OffsetDateTime processedAt) {}
