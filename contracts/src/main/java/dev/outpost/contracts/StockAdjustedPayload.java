package dev.outpost.contracts;

/** Payload of {@code stock.adjusted} v1: a signed delta, merged by summing. */
public record StockAdjustedPayload(String productId, String location, long delta, String reason) {}
