package dev.outpost.central.ingest;

import dev.outpost.contracts.AccessPayload;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RejectReason;
import org.springframework.stereotype.Component;

/**
 * access.recorded: stores the scan. A granted entry on an accreditation central has revoked since
 * already happened at the gate: accepted and flagged ACCREDITATION_REVOKED for review.
 */
@Component
public class AccessProjection implements Projection {
  private final ProjectionRepository rows;

  public AccessProjection(ProjectionRepository rows) {
    this.rows = rows;
  }

  @Override
  public String type() {
    return OperationTypes.ACCESS_RECORDED;
  }

  @Override
  public Applied apply(OperationEnvelope op, BatchTotals totals) throws Rejected {
    AccessPayload scan = op.payloadAs(AccessPayload.class);
    ProjectionRepository.Accreditation acc =
        rows.accreditation(scan.qrCode())
            .orElseThrow(
                () ->
                    new Rejected(
                        RejectReason.UNKNOWN_REFERENCE, "unknown accreditation " + scan.qrCode()));
    if (!rows.matchExists(scan.matchId())) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown match " + scan.matchId());
    }
    String flag = null;
    if (scan.granted() && acc.revoked()) {
      flag = "ACCREDITATION_REVOKED";
    } else if (scan.granted() && !scan.matchId().equals(acc.matchId())) {
      flag = "OTHER_MATCH";
    }
    rows.insertAccess(op, scan, flag);
    return flag == null ? Applied.ACCEPTED : Applied.flagged(flag + ": entry kept for review");
  }
}
