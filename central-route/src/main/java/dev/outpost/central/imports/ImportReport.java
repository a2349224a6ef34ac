package dev.outpost.central.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** One row of {@code imports}: what became of a day file, with progress while it runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportReport(
    String id,
    String status,
    String via,
    String fileName,
    String actor,
    String terminalId,
    String from,
    String to,
    String zone,
    String checksum,
    int total,
    int processed,
    int accepted,
    int duplicate,
    int rejected,
    String refusedReason,
    String receivedAt,
    String finishedAt,
    JsonNode completeness) {}
