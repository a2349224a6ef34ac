package dev.outpost.edge.ledger;

import dev.outpost.support.FeaturePort;
import java.time.Instant;
import java.util.function.LongFunction;

/**
 * An operation about to be recorded; the store assigns the sequence and asks for the envelope text
 * made with it.
 */
@FeaturePort
public record NewOperation(
    String operationId,
    String type,
    int schemaVersion,
    String occurredAt,
    Instant receivedAt,
    String payloadHash,
    LongFunction<String> envelopeForSequence) {}
