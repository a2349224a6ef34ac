package dev.outpost.edge.ledger;

import dev.outpost.support.FeaturePort;
import java.util.List;

/** One page of a {@link LedgerQuery}; {@code more} when further rows match after it. */
@FeaturePort
public record LedgerPage(List<LedgerEntry> entries, boolean more) {}
