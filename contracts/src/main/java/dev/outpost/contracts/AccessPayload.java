package dev.outpost.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Payload of {@code access.recorded} v1. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccessPayload(
    String qrCode, String matchId, String gate, String direction, boolean granted, String reason) {}
