package dev.outpost.central.ingest;

import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RejectReason;
import dev.outpost.contracts.StockAdjustedPayload;
import org.springframework.stereotype.Component;

/**
 * stock.adjusted: deltas merge. The level is the sum of the applied deltas, so any arrival order
 * (and any replay, which the operations primary key turns into nothing) gives the same level. A
 * negative level is kept: it shows a count error to fix, it is not a reason to lose a movement.
 */
@Component
public class StockProjection implements Projection {
  private final ProjectionRepository rows;

  public StockProjection(ProjectionRepository rows) {
    this.rows = rows;
  }

  @Override
  public String type() {
    return OperationTypes.STOCK_ADJUSTED;
  }

  @Override
  public Applied apply(OperationEnvelope op, BatchTotals totals) throws Rejected {
    StockAdjustedPayload s = op.payloadAs(StockAdjustedPayload.class);
    if (!rows.productExists(s.productId())) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown product " + s.productId());
    }
    rows.insertStockMovement(op, s);
    totals.addStock(s.productId(), s.location(), s.delta());
    return Applied.ACCEPTED;
  }
}
