package dev.outpost.edge.ledger;

import dev.outpost.support.FeaturePort;

/** Where an operation stands, as the POS app sees it. */
@FeaturePort
public enum LedgerStatus {
  /** Durable on the terminal, on its way to central. */
  QUEUED,
  /** Central applied it (or had already applied it). */
  ACCEPTED,
  /** Central applied it and flagged it for a person's review; detail says why. */
  FLAGGED,
  /** Central can never apply it as sent; reason and detail say why. */
  REJECTED
}
