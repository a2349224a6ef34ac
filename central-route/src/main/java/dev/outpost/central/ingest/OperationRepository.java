package dev.outpost.central.ingest;

import dev.outpost.contracts.OperationEnvelope;
import java.util.Map;
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

  /** Writes a batch's sums, each table in key order (see {@link BatchTotals} for why). */
  void flush(BatchTotals totals) {
    totals
        .consumed()
        .forEach(
            (visit, total) ->
                jdbc.update(
                    "update visits set consumed = consumed + :total, updated_at = now() where id = :visit",
                    Map.of("total", total, "visit", visit)));
    totals
        .stock()
        .forEach(
            s ->
                jdbc.update(
                    "insert into stock_levels (product_id, location, quantity) values (:product, :location, :delta)"
                        + " on conflict (product_id, location) do update set"
                        + " quantity = stock_levels.quantity + excluded.quantity, updated_at = now()",
                    new MapSqlParameterSource()
                        .addValue("product", s.productId())
                        .addValue("location", s.location())
                        .addValue("delta", s.delta())));
    totals
        .lastSequences()
        .forEach(
            (terminal, sequence) ->
                jdbc.update(
                    "insert into terminals (terminal_id, last_sequence) values (:terminal, :sequence)"
                        + " on conflict (terminal_id) do update set"
                        + " last_sequence = greatest(terminals.last_sequence, excluded.last_sequence),"
                        + " last_seen_at = now()",
                    Map.of("terminal", terminal, "sequence", sequence)));
  }
}
