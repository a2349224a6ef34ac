package dev.outpost.edge.ledger;

import dev.outpost.support.FeaturePort;

/** Ledger totals by status. */
@FeaturePort
public record LedgerCounts(long queued, long accepted, long flagged, long rejected) {
  public long total() {
    return queued + accepted + flagged + rejected;
  }
}
