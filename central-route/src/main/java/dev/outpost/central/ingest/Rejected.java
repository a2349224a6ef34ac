package dev.outpost.central.ingest;

import dev.outpost.contracts.RejectReason;
import dev.outpost.support.FeaturePort;

/** An operation that can never succeed as sent: it goes to the DLQ with this reason. */
@FeaturePort
public final class Rejected extends Exception {
  private final RejectReason reason;

  public Rejected(RejectReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }
}
