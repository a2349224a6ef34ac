package dev.outpost.central.ingest;

import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RejectReason;
import dev.outpost.contracts.SalePayload;
import org.springframework.stereotype.Component;

/**
 * sale.recorded: stores the ticket and its lines and adds the total to the visit's consumed amount.
 * A sale against a visit that central had closed before the sale happened (by its occurredAt)
 * already happened at the bar: it is accepted and flagged VISIT_CLOSED for review, not lost. A sale
 * that happened while the visit was open is not flagged, however late it arrives.
 */
@Component
public class SaleProjection implements Projection {
  static final String FLAG_VISIT_CLOSED = "VISIT_CLOSED";
  private final ProjectionRepository rows;

  public SaleProjection(ProjectionRepository rows) {
    this.rows = rows;
  }

  @Override
  public String type() {
    return OperationTypes.SALE_RECORDED;
  }

  @Override
  public Applied apply(OperationEnvelope op, BatchTotals totals) throws Rejected {
    SalePayload sale = op.payloadAs(SalePayload.class);
    String visitId = null;
    String flag = null;
    if (sale.braceletId() != null) {
      ProjectionRepository.Visit visit =
          rows.visitOfBracelet(sale.braceletId(), op.occurredAt())
              .orElseThrow(
                  () ->
                      new Rejected(
                          RejectReason.UNKNOWN_REFERENCE,
                          "no visit for bracelet " + sale.braceletId()));
      visitId = visit.id();
      flag = visit.closed() ? FLAG_VISIT_CLOSED : null;
    } else if (!rows.memberExists(sale.memberId())) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown member " + sale.memberId());
    }
    for (SalePayload.Line line : sale.lines()) {
      if (!rows.productExists(line.productId())) {
        throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown product " + line.productId());
      }
    }
    rows.insertSale(op, sale, visitId, flag);
    if (visitId != null) {
      totals.addConsumption(visitId, sale.total());
    }
    return flag == null
        ? Applied.ACCEPTED
        : Applied.flagged(
            flag
                + ": visit "
                + visitId
                + " was already closed at central when the sale happened; sale kept for review");
  }
}
