package dev.outpost.central.ingest;

import dev.outpost.contracts.BoxOfficeSalePayload;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RejectReason;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * box-office.sale.recorded: stores the sale and its ticket lines. Tickets sold at a price central
 * has changed since, or of a type no longer on sale, were sold all the same: accepted and flagged.
 */
@Component
public class BoxOfficeSaleProjection implements Projection {
  @Override
  public String type() {
    return OperationTypes.BOX_OFFICE_SALE_RECORDED;
  }

  @Override
  public Applied apply(OperationEnvelope op, NamedParameterJdbcTemplate jdbc, BatchTotals totals)
      throws Rejected {
    BoxOfficeSalePayload sale = op.payloadAs(BoxOfficeSalePayload.class);
    Integer matches =
        jdbc.queryForObject(
            "select count(*) from matches where id = :id and not deleted",
            Map.of("id", sale.matchId()),
            Integer.class);
    if (matches == null || matches == 0) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown match " + sale.matchId());
    }
    String flag = null;
    for (BoxOfficeSalePayload.Line line : sale.lines()) {
      List<Map<String, Object>> types =
          jdbc.queryForList(
              "select price, available, deleted from ticket_types where id = :id",
              Map.of("id", line.ticketTypeId()));
      if (types.isEmpty()) {
        throw new Rejected(
            RejectReason.UNKNOWN_REFERENCE, "unknown ticket type " + line.ticketTypeId());
      }
      Map<String, Object> t = types.get(0);
      if (Boolean.TRUE.equals(t.get("deleted")) || Boolean.FALSE.equals(t.get("available"))) {
        flag = "TICKET_TYPE_WITHDRAWN: " + line.ticketTypeId();
      } else if (((java.math.BigDecimal) t.get("price")).compareTo(line.unitPrice()) != 0) {
        flag = "PRICE_CHANGED: " + line.ticketTypeId() + " is " + t.get("price") + " at central";
      }
    }
    jdbc.update(
        "insert into box_office_sales (operation_id, terminal_id, match_id, total, paid, buyer_name,"
            + " observations, occurred_at) values (:op, :terminal, :match, :total, :paid, :buyer,"
            + " :observations, :occurredAt)",
        new MapSqlParameterSource()
            .addValue("op", op.operationId())
            .addValue("terminal", op.terminalId())
            .addValue("match", sale.matchId())
            .addValue("total", sale.total())
            .addValue("paid", sale.paid())
            .addValue("buyer", sale.buyerName())
            .addValue("observations", sale.observations())
            .addValue("occurredAt", op.occurredAt()));
    int lineNo = 0;
    for (BoxOfficeSalePayload.Line line : sale.lines()) {
      jdbc.update(
          "insert into box_office_sale_lines (operation_id, line_no, ticket_type_id, quantity, unit_price)"
              + " values (:op, :lineNo, :type, :quantity, :price)",
          new MapSqlParameterSource()
              .addValue("op", op.operationId())
              .addValue("lineNo", ++lineNo)
              .addValue("type", line.ticketTypeId())
              .addValue("quantity", line.quantity())
              .addValue("price", line.unitPrice()));
    }
    return flag == null ? Applied.ACCEPTED : Applied.flagged(flag + "; sale kept for review");
  }
}
