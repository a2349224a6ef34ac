package dev.outpost.central.ingest;

import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RejectReason;
import dev.outpost.contracts.StockAdjustedPayload;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * stock.adjusted: deltas merge. The level is the sum of the applied deltas, so any arrival order
 * (and any replay, which the operations primary key turns into nothing) gives the same level. A
 * negative level is kept: it shows a count error to fix, it is not a reason to lose a movement.
 */
@Component
public class StockProjection implements Projection {
  @Override
  public String type() {
    return OperationTypes.STOCK_ADJUSTED;
  }

  @Override
  public Applied apply(OperationEnvelope op, NamedParameterJdbcTemplate jdbc, BatchTotals totals)
      throws Rejected {
    StockAdjustedPayload s = op.payloadAs(StockAdjustedPayload.class);
    Integer products =
        jdbc.queryForObject(
            "select count(*) from products where id = :id and not deleted",
            Map.of("id", s.productId()),
            Integer.class);
    if (products == null || products == 0) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown product " + s.productId());
    }
    MapSqlParameterSource params =
        new MapSqlParameterSource()
            .addValue("op", op.operationId())
            .addValue("terminal", op.terminalId())
            .addValue("product", s.productId())
            .addValue("location", s.location())
            .addValue("delta", s.delta())
            .addValue("reason", s.reason())
            .addValue("occurredAt", op.occurredAt());
    jdbc.update(
        "insert into stock_movements (operation_id, terminal_id, product_id, location, delta, reason, occurred_at)"
            + " values (:op, :terminal, :product, :location, :delta, :reason, :occurredAt)",
        params);
    totals.addStock(s.productId(), s.location(), s.delta());
    return Applied.ACCEPTED;
  }
}
