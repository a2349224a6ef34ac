package dev.outpost.central.ingest;

import dev.outpost.contracts.OperationEnvelope;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code operations} table, the idempotency key of the ingest, and the shared counters a batch
 * writes once at its end ({@link BatchTotals}). Every call runs in the caller's batch transaction.
 */
@Repository
public class OperationRepository {
  private final NamedParameterJdbcTemplate jdbc;

  public OperationRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts the operation unless its id is known; true when it was inserted (first sight). */
  boolean insertIfNew(OperationEnvelope op, String payloadJson, String source) {
    return jdbc.update(
            "insert into operations (operation_id, terminal_id, type, schema_version, sequence,"
                + " occurred_at, payload, source) values (:id, :terminal, :type, :version, :sequence,"
                + " :occurredAt, cast(:payload as jsonb), :source) on conflict (operation_id) do nothing",
            new MapSqlParameterSource()
                .addValue("id", op.operationId())
                .addValue("terminal", op.terminalId())
                .addValue("type", op.type())
                .addValue("version", op.schemaVersion())
                .addValue("sequence", op.sequence())
                .addValue("occurredAt", op.occurredAt())
                .addValue("payload", payloadJson)
                .addValue("source", source))
        > 0;
  }

  /** Whether the stored operation of this id has the same terminal, type and payload. */
  boolean sameAsStored(OperationEnvelope op, String payloadJson) {
    Boolean same =
        jdbc.queryForObject(
            "select terminal_id = :terminal and type = :type and payload = cast(:payload as jsonb)"
                + " from operations where operation_id = :id",
            new MapSqlParameterSource()
                .addValue("id", op.operationId())
                .addValue("terminal", op.terminalId())
                .addValue("type", op.type())
                .addValue("payload", payloadJson),
            Boolean.class);
    return Boolean.TRUE.equals(same);
  }

  /**
   * Writes a batch's sums, each table in key order (see {@link BatchTotals} for why), each table as
   * one JDBC batch: the driver sends its rows together instead of one round trip per row.
   */
  void flush(BatchTotals totals) {
    batch(
        "update visits set consumed = consumed + :total, updated_at = now() where id = :visit",
        totals.consumed().entrySet().stream()
            .map(
                e ->
                    new MapSqlParameterSource()
                        .addValue("total", e.getValue())
                        .addValue("visit", e.getKey()))
            .toList());
    batch(
        "insert into stock_levels (product_id, location, quantity) values (:product, :location, :delta)"
            + " on conflict (product_id, location) do update set"
            + " quantity = stock_levels.quantity + excluded.quantity, updated_at = now()",
        totals.stock().stream()
            .map(
                st ->
                    new MapSqlParameterSource()
                        .addValue("product", st.productId())
                        .addValue("location", st.location())
                        .addValue("delta", st.delta()))
            .toList());
    batch(
        "insert into terminals (terminal_id, last_sequence) values (:terminal, :sequence)"
            + " on conflict (terminal_id) do update set"
            + " last_sequence = greatest(terminals.last_sequence, excluded.last_sequence),"
            + " last_seen_at = now()",
        totals.lastSequences().entrySet().stream()
            .map(
                e ->
                    new MapSqlParameterSource()
                        .addValue("terminal", e.getKey())
                        .addValue("sequence", e.getValue()))
            .toList());
  }

  private void batch(String sql, List<MapSqlParameterSource> rows) {
    if (!rows.isEmpty()) {
      jdbc.batchUpdate(sql, rows.toArray(MapSqlParameterSource[]::new));
    }
  }
}
