package dev.outpost.contracts;

import java.util.List;

/**
 * Central's receipts for one terminal from one ingest batch (schema {@code receipt-batch.v1.json}):
 * one message instead of one per operation.
 */
public record ReceiptBatch(String terminalId, List<Receipt> receipts) {}
