package dev.outpost.central.ingest;

import dev.outpost.contracts.BoxOfficeSalePayload;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RejectReason;
import org.springframework.stereotype.Component;

/**
 * box-office.sale.recorded: stores the sale and its ticket lines. Tickets sold at a price central
 * has changed since, or of a type no longer on sale, were sold all the same: accepted and flagged.
 */
@Component
public class BoxOfficeSaleProjection implements Projection {
  private final ProjectionRepository rows;

  public BoxOfficeSaleProjection(ProjectionRepository rows) {
    this.rows = rows;
  }

  @Override
  public String type() {
    return OperationTypes.BOX_OFFICE_SALE_RECORDED;
  }

  @Override
  public Applied apply(OperationEnvelope op, BatchTotals totals) throws Rejected {
    BoxOfficeSalePayload sale = op.payloadAs(BoxOfficeSalePayload.class);
    if (!rows.matchExists(sale.matchId())) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown match " + sale.matchId());
    }
    String flag = null;
    for (BoxOfficeSalePayload.Line line : sale.lines()) {
      ProjectionRepository.TicketType t =
          rows.ticketType(line.ticketTypeId())
              .orElseThrow(
                  () ->
                      new Rejected(
                          RejectReason.UNKNOWN_REFERENCE,
                          "unknown ticket type " + line.ticketTypeId()));
      if (Boolean.TRUE.equals(t.deleted()) || Boolean.FALSE.equals(t.available())) {
        flag = "TICKET_TYPE_WITHDRAWN: " + line.ticketTypeId();
      } else if (t.price().compareTo(line.unitPrice()) != 0) {
        flag = "PRICE_CHANGED: " + line.ticketTypeId() + " is " + t.price() + " at central";
      }
    }
    rows.insertBoxOfficeSale(op, sale);
    return flag == null ? Applied.ACCEPTED : Applied.flagged(flag + "; sale kept for review");
  }
}
