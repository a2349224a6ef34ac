package dev.outpost.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Payload of {@code record.upserted} and {@code record.deleted} v1 (data is null for a delete).
 * updatedAt is the version; baseUpdatedAt the stored version the terminal edited, if any.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordPayload(
    String entity,
    UUID id,
    OffsetDateTime updatedAt,
    OffsetDateTime baseUpdatedAt,
    ObjectNode data) {}
