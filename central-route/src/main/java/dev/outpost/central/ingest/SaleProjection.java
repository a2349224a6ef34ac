package dev.outpost.central.ingest;

import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RejectReason;
import dev.outpost.contracts.SalePayload;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * sale.recorded: stores the ticket and its lines and adds the total to the visit's consumed amount.
 * A sale against a visit central has since closed already happened at the bar: it is accepted and
 * flagged VISIT_CLOSED for review, not lost.
 */
@Component
public class SaleProjection implements Projection {
  static final String FLAG_VISIT_CLOSED = "VISIT_CLOSED";

  @Override
  public String type() {
    return OperationTypes.SALE_RECORDED;
  }

  @Override
  public Applied apply(OperationEnvelope op, NamedParameterJdbcTemplate jdbc, BatchTotals totals)
      throws Rejected {
    SalePayload sale = op.payloadAs(SalePayload.class);
    String visitId = null;
    String flag = null;
    if (sale.braceletId() != null) {
      List<Map<String, Object>> visits =
          jdbc.queryForList(
              "select id, closed_at from visits where bracelet_id = :bracelet and not deleted"
                  + " order by (closed_at is null) desc, opened_at desc limit 1",
              Map.of("bracelet", sale.braceletId()));
      if (visits.isEmpty()) {
        throw new Rejected(
            RejectReason.UNKNOWN_REFERENCE, "no visit for bracelet " + sale.braceletId());
      }
      visitId = (String) visits.get(0).get("id");
      flag = visits.get(0).get("closed_at") != null ? FLAG_VISIT_CLOSED : null;
    } else if (count(
            jdbc, "select count(*) from members where id = :id and not deleted", sale.memberId())
        == 0) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown member " + sale.memberId());
    }
    for (SalePayload.Line line : sale.lines()) {
      if (count(
              jdbc,
              "select count(*) from products where id = :id and not deleted",
              line.productId())
          == 0) {
        throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown product " + line.productId());
      }
    }
    jdbc.update(
        "insert into sales (operation_id, terminal_id, visit_id, bracelet_id, member_id, total, paid,"
            + " observations, occurred_at, review_flag) values (:op, :terminal, :visit, :bracelet,"
            + " :member, :total, :paid, :observations, :occurredAt, :flag)",
        new MapSqlParameterSource()
            .addValue("op", op.operationId())
            .addValue("terminal", op.terminalId())
            .addValue("visit", visitId)
            .addValue("bracelet", sale.braceletId())
            .addValue("member", sale.memberId())
            .addValue("total", sale.total())
            .addValue("paid", sale.paid())
            .addValue("observations", sale.observations())
            .addValue("occurredAt", op.occurredAt())
            .addValue("flag", flag));
    int lineNo = 0;
    for (SalePayload.Line line : sale.lines()) {
      jdbc.update(
          "insert into sale_lines (operation_id, line_no, product_id, quantity, unit_price)"
              + " values (:op, :lineNo, :product, :quantity, :unitPrice)",
          new MapSqlParameterSource()
              .addValue("op", op.operationId())
              .addValue("lineNo", ++lineNo)
              .addValue("product", line.productId())
              .addValue("quantity", line.quantity())
              .addValue("unitPrice", line.unitPrice()));
    }
    if (visitId != null) {
      totals.addConsumption(visitId, sale.total());
    }
    return flag == null
        ? Applied.ACCEPTED
        : Applied.flagged(
            flag + ": visit " + visitId + " was already closed at central; sale kept for review");
  }

  private static int count(NamedParameterJdbcTemplate jdbc, String sql, String id) {
    Integer n = jdbc.queryForObject(sql, Map.of("id", id), Integer.class);
    return n == null ? 0 : n;
  }
}
