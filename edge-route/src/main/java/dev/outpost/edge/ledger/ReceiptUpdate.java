package dev.outpost.edge.ledger;

/** Central's verdict on one ledger row, as a receipt carries it. */
public record ReceiptUpdate(
    String operationId, LedgerStatus status, String reason, String detail) {}
