package dev.outpost.central.ingest;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Updates of shared counters (a visit's consumed amount, a stock level, a terminal's last
 * sequence), summed over a batch and written once at its end, in key order. Every batch takes these
 * row locks in the same global order, so replicas applying batches in parallel do not deadlock on
 * them, and a hot row is written once per batch instead of once per operation.
 *
 * <p>Each operation's additions are staged and only kept when the operation is applied (its
 * savepoint released), so a rejected operation leaves no trace here.
 */
public final class BatchTotals {
  private final Map<String, BigDecimal> consumed = new TreeMap<>();
  private final Map<String, Long> stock = new TreeMap<>();
  private final Map<String, Long> lastSequence = new TreeMap<>();
  private final Map<String, BigDecimal> stagedConsumed = new TreeMap<>();
  private final Map<String, Long> stagedStock = new TreeMap<>();
  private final Map<String, Long> stagedSequence = new TreeMap<>();

  private static final String SEP = "\u0000";

  public void addConsumption(String visitId, BigDecimal amount) {
    stagedConsumed.merge(visitId, amount, BigDecimal::add);
  }

  public void addStock(String productId, String location, long delta) {
    stagedStock.merge(productId + SEP + location, delta, Long::sum);
  }

  public void sawSequence(String terminalId, long sequence) {
    stagedSequence.merge(terminalId, sequence, Math::max);
  }

  /** The current operation was applied: keep its additions. */
  void keep() {
    stagedConsumed.forEach((k, v) -> consumed.merge(k, v, BigDecimal::add));
    stagedStock.forEach((k, v) -> stock.merge(k, v, Long::sum));
    stagedSequence.forEach((k, v) -> lastSequence.merge(k, v, Math::max));
    discard();
  }

  /** The current operation was undone: forget its additions. */
  void discard() {
    stagedConsumed.clear();
    stagedStock.clear();
    stagedSequence.clear();
  }

  /** Writes the sums, each table in key order, inside the batch transaction. */
  void flush(NamedParameterJdbcTemplate jdbc) {
    consumed.forEach(
        (visit, total) ->
            jdbc.update(
                "update visits set consumed = consumed + :total, updated_at = now() where id = :visit",
                Map.of("total", total, "visit", visit)));
    stock.forEach(
        (key, delta) -> {
          String[] parts = key.split(SEP, 2);
          jdbc.update(
              "insert into stock_levels (product_id, location, quantity) values (:product, :location, :delta)"
                  + " on conflict (product_id, location) do update set"
                  + " quantity = stock_levels.quantity + excluded.quantity, updated_at = now()",
              new MapSqlParameterSource()
                  .addValue("product", parts[0])
                  .addValue("location", parts[1])
                  .addValue("delta", delta));
        });
    lastSequence.forEach(
        (terminal, sequence) ->
            jdbc.update(
                "insert into terminals (terminal_id, last_sequence) values (:terminal, :sequence)"
                    + " on conflict (terminal_id) do update set"
                    + " last_sequence = greatest(terminals.last_sequence, excluded.last_sequence),"
                    + " last_seen_at = now()",
                Map.of("terminal", terminal, "sequence", sequence)));
  }
}
