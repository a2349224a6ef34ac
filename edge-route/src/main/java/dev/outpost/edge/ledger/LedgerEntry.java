package dev.outpost.edge.ledger;

import dev.outpost.support.FeaturePort;
import java.time.Instant;

/** One ledger row. {@code envelopeJson} is byte-for-byte what goes to central. */
@FeaturePort
public record LedgerEntry(
    String operationId,
    long sequence,
    String type,
    int schemaVersion,
    String occurredAt,
    Instant receivedAt,
    String envelopeJson,
    String payloadHash,
    LedgerStatus status,
    String reason,
    String detail,
    Instant queuedAt,
    Instant receiptAt) {}
