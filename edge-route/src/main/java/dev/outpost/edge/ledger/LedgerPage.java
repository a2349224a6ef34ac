package dev.outpost.edge.ledger;

import java.util.List;

/** One page of a {@link LedgerQuery}; {@code more} when further rows match after it. */
public record LedgerPage(List<LedgerEntry> entries, boolean more) {}
