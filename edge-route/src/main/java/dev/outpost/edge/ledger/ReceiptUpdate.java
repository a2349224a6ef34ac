package dev.outpost.edge.ledger;

import dev.outpost.support.FeaturePort;

/** Central's verdict on one ledger row, as a receipt carries it. */
@FeaturePort
public record ReceiptUpdate(
    String operationId, LedgerStatus status, String reason, String detail) {}
