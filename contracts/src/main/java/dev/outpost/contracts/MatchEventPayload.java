package dev.outpost.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Payload of {@code match-event.recorded} v1. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MatchEventPayload(
    String matchId,
    int minute,
    String kind,
    String team,
    String playerId,
    String playerInId,
    String notes) {}
