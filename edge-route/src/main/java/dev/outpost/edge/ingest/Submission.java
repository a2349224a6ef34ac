package dev.outpost.edge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A schema-valid operation as posted, with the edge's defaults filled in. */
public record Submission(
    String operationId,
    String type,
    int schemaVersion,
    String occurredAt,
    JsonNode payload,
    String payloadHash,
    Instant receivedAt) {}
