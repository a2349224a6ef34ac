package dev.outpost.edge.ledger;

/** Ledger totals by status. */
public record LedgerCounts(long queued, long accepted, long flagged, long rejected) {
  public long total() {
    return queued + accepted + flagged + rejected;
  }
}
