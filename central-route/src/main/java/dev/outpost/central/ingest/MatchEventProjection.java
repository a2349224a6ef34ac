package dev.outpost.central.ingest;

import dev.outpost.contracts.MatchEventPayload;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RejectReason;
import org.springframework.stereotype.Component;

/** match-event.recorded: stores the event against a known match. */
@Component
public class MatchEventProjection implements Projection {
  private final ProjectionRepository rows;

  public MatchEventProjection(ProjectionRepository rows) {
    this.rows = rows;
  }

  @Override
  public String type() {
    return OperationTypes.MATCH_EVENT_RECORDED;
  }

  @Override
  public Applied apply(OperationEnvelope op, BatchTotals totals) throws Rejected {
    MatchEventPayload ev = op.payloadAs(MatchEventPayload.class);
    if (!rows.matchExists(ev.matchId())) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown match " + ev.matchId());
    }
    rows.insertMatchEvent(op, ev);
    return Applied.ACCEPTED;
  }
}
