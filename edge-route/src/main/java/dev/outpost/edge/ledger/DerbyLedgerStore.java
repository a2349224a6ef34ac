package dev.outpost.edge.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link LedgerStore} on embedded Derby (schema: db/migration/edge). */
@Repository
public class DerbyLedgerStore implements LedgerStore {
  private static final String COLUMNS =
      "operation_id, sequence_no, op_type, schema_version, occurred_at, received_at, envelope,"
          + " payload_hash, status, reason, detail, queued_at, receipt_at";

  private static final String FIND = "SELECT " + COLUMNS + " FROM ledger WHERE operation_id = :id";
  private static final String NEXT_SEQUENCE =
      "UPDATE edge_counter SET counter_value = counter_value + 1 WHERE name = 'sequence'";
  private static final String READ_SEQUENCE =
      "SELECT counter_value FROM edge_counter WHERE name = 'sequence'";
  private static final String RAISE_SEQUENCE =
      "UPDATE edge_counter SET counter_value = :seq WHERE name = 'sequence' AND counter_value < :seq";
  private static final String INSERT =
      "INSERT INTO ledger ("
          + COLUMNS
          + ") VALUES (:id, :seq, :type, :version, :occurredAt,"
          + " :receivedAt, :envelope, :hash, :status, :reason, :detail, :queuedAt, :receiptAt)";
  private static final String REMOVE = "DELETE FROM ledger WHERE operation_id = :id";
  private static final String MARK_QUEUED =
      "UPDATE ledger SET queued_at = :at WHERE operation_id = :id AND queued_at IS NULL";
  private static final String UNQUEUED =
      "SELECT "
          + COLUMNS
          + " FROM ledger WHERE queued_at IS NULL AND status = 'QUEUED' ORDER BY sequence_no";
  private static final String APPLY_RECEIPT =
      "UPDATE ledger SET status = :status, reason = :reason, detail = :detail, receipt_at = :at"
          + " WHERE operation_id = :id AND status NOT IN ('ACCEPTED', 'FLAGGED')";
  private static final String EXISTS = "SELECT COUNT(*) FROM ledger WHERE operation_id = :id";
  private static final String COUNTS = "SELECT status, COUNT(*) AS n FROM ledger GROUP BY status";
  private static final String LATEST_REJECTIONS =
      "SELECT "
          + COLUMNS
          + " FROM ledger WHERE status = 'REJECTED'"
          + " ORDER BY receipt_at DESC, sequence_no DESC FETCH FIRST :limit ROWS ONLY";
  private static final String LAST_RECEIPT = "SELECT MAX(receipt_at) FROM ledger";
  private static final String PURGE_ACCEPTED =
      "DELETE FROM ledger WHERE status IN ('ACCEPTED', 'FLAGGED') AND received_at < :before";
  private static final String ALL_IN_SEQUENCE =
      "SELECT " + COLUMNS + " FROM ledger ORDER BY sequence_no";
  private static final String WITH_STATUS_IN_SEQUENCE =
      "SELECT " + COLUMNS + " FROM ledger WHERE status = :status ORDER BY sequence_no";

  private static final RowMapper<LedgerEntry> ROW = DerbyLedgerStore::mapRow;

  private final NamedParameterJdbcTemplate jdbc;
  private final TransactionTemplate tx;

  public DerbyLedgerStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.tx = tx;
  }

  @Override
  public Optional<LedgerEntry> find(String operationId) {
    return jdbc.query(FIND, Map.of("id", operationId), ROW).stream().findFirst();
  }

  @Override
  public LedgerEntry append(NewOperation op) {
    return tx.execute(
        status -> {
          jdbc.update(NEXT_SEQUENCE, Map.of());
          long seq = jdbc.queryForObject(READ_SEQUENCE, Map.of(), Long.class);
          LedgerEntry entry =
              new LedgerEntry(
                  op.operationId(),
                  seq,
                  op.type(),
                  op.schemaVersion(),
                  op.occurredAt(),
                  op.receivedAt(),
                  op.envelopeForSequence().apply(seq),
                  op.payloadHash(),
                  LedgerStatus.QUEUED,
                  null,
                  null,
                  null,
                  null);
          jdbc.update(INSERT, params(entry));
          return entry;
        });
  }

  @Override
  public void insert(LedgerEntry entry) {
    tx.executeWithoutResult(
        status -> {
          jdbc.update(INSERT, params(entry));
          jdbc.update(RAISE_SEQUENCE, Map.of("seq", entry.sequence()));
        });
  }

  @Override
  public void remove(String operationId) {
    jdbc.update(REMOVE, Map.of("id", operationId));
  }

  @Override
  public void markQueued(String operationId, Instant queuedAt) {
    jdbc.update(MARK_QUEUED, Map.of("id", operationId, "at", queuedAt.toEpochMilli()));
  }

  @Override
  public List<LedgerEntry> unqueued() {
    return jdbc.query(UNQUEUED, Map.of(), ROW);
  }

  @Override
  public Map<String, Long> lastSequenceByType(long before) {
    Map<String, Long> last = new HashMap<>();
    jdbc.query(
        "SELECT op_type, MAX(sequence_no) FROM ledger WHERE sequence_no < :before GROUP BY op_type",
        Map.of("before", before),
        rs -> {
          last.put(rs.getString(1), rs.getLong(2));
        });
    return last;
  }

  @Override
  public List<SequencedType> sequencesFrom(long sequence) {
    return jdbc.query(
        "SELECT sequence_no, op_type FROM ledger WHERE sequence_no >= :from ORDER BY sequence_no",
        Map.of("from", sequence),
        (rs, i) -> new SequencedType(rs.getLong(1), rs.getString(2)));
  }

  @Override
  public List<String> applyReceipts(List<ReceiptUpdate> updates, Instant at) {
    return tx.execute(
        status -> {
          MapSqlParameterSource[] batch =
              updates.stream()
                  .map(
                      u ->
                          new MapSqlParameterSource()
                              .addValue("id", u.operationId())
                              .addValue("status", u.status().name())
                              .addValue("reason", u.reason())
                              .addValue("detail", truncate(u.detail(), 2000))
                              .addValue("at", at.toEpochMilli()))
                  .toArray(MapSqlParameterSource[]::new);
          int[] changed = jdbc.batchUpdate(APPLY_RECEIPT, batch);
          List<String> unknown = new ArrayList<>();
          for (int i = 0; i < changed.length; i++) {
            String id = updates.get(i).operationId();
            // 0: already final (a redelivery), or no such row (purged by retention).
            if (changed[i] == 0 && jdbc.queryForObject(EXISTS, Map.of("id", id), Long.class) == 0) {
              unknown.add(id);
            }
          }
          return unknown;
        });
  }

  @Override
  public LedgerCounts counts() {
    long[] n = new long[LedgerStatus.values().length];
    jdbc.query(
        COUNTS,
        Map.of(),
        rs -> {
          n[LedgerStatus.valueOf(rs.getString("status")).ordinal()] = rs.getLong("n");
        });
    return new LedgerCounts(
        n[LedgerStatus.QUEUED.ordinal()],
        n[LedgerStatus.ACCEPTED.ordinal()],
        n[LedgerStatus.FLAGGED.ordinal()],
        n[LedgerStatus.REJECTED.ordinal()]);
  }

  @Override
  public List<LedgerEntry> latestRejections(int limit) {
    return jdbc.query(LATEST_REJECTIONS, Map.of("limit", limit), ROW);
  }

  @Override
  public Optional<Instant> lastReceiptAt() {
    Long ms = jdbc.queryForObject(LAST_RECEIPT, Map.of(), Long.class);
    return Optional.ofNullable(ms).map(Instant::ofEpochMilli);
  }

  @Override
  public List<LedgerEntry> occurredBetween(Instant fromInclusive, Instant toExclusive) {
    // occurred_at is kept as the POS sent it (text with its offset), so it cannot be compared in
    // SQL; rows are streamed in sequence order and filtered here. Retention keeps the ledger small.
    List<LedgerEntry> out = new java.util.ArrayList<>();
    jdbc.query(
        ALL_IN_SEQUENCE,
        Map.of(),
        rs -> {
          Instant at = java.time.OffsetDateTime.parse(rs.getString("occurred_at")).toInstant();
          if (!at.isBefore(fromInclusive) && at.isBefore(toExclusive)) {
            out.add(mapRow(rs, 0));
          }
        });
    return out;
  }

  @Override
  public LedgerPage page(LedgerQuery q) {
    // Status in SQL; occurredAt (text with the POS's offset) is compared here, as in
    // occurredBetween. Reading stops one row past the page, so a page costs offset + limit rows.
    String sql = q.status() == null ? ALL_IN_SEQUENCE : WITH_STATUS_IN_SEQUENCE;
    Map<String, Object> params =
        q.status() == null ? Map.of() : Map.of("status", q.status().name());
    return jdbc.query(
        sql,
        params,
        rs -> {
          List<LedgerEntry> page = new java.util.ArrayList<>();
          int skipped = 0;
          while (rs.next()) {
            Instant at = java.time.OffsetDateTime.parse(rs.getString("occurred_at")).toInstant();
            if (!q.occurredIn(at)) {
              continue;
            }
            if (skipped < q.offset()) {
              skipped++;
            } else if (page.size() < q.limit()) {
              page.add(mapRow(rs, 0));
            } else {
              return new LedgerPage(page, true);
            }
          }
          return new LedgerPage(page, false);
        });
  }

  @Override
  public int purgeAccepted(Instant receivedBefore) {
    return jdbc.update(PURGE_ACCEPTED, Map.of("before", receivedBefore.toEpochMilli()));
  }

  private static MapSqlParameterSource params(LedgerEntry e) {
    return new MapSqlParameterSource()
        .addValue("id", e.operationId())
        .addValue("seq", e.sequence())
        .addValue("type", e.type())
        .addValue("version", e.schemaVersion())
        .addValue("occurredAt", e.occurredAt())
        .addValue("receivedAt", e.receivedAt().toEpochMilli())
        .addValue("envelope", e.envelopeJson())
        .addValue("hash", e.payloadHash())
        .addValue("status", e.status().name())
        .addValue("reason", e.reason(), java.sql.Types.VARCHAR)
        .addValue("detail", e.detail(), java.sql.Types.VARCHAR)
        .addValue("queuedAt", millis(e.queuedAt()), java.sql.Types.BIGINT)
        .addValue("receiptAt", millis(e.receiptAt()), java.sql.Types.BIGINT);
  }

  private static Long millis(Instant i) {
    return i == null ? null : i.toEpochMilli();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private static LedgerEntry mapRow(ResultSet rs, int row) throws SQLException {
    return new LedgerEntry(
        rs.getString("operation_id"),
        rs.getLong("sequence_no"),
        rs.getString("op_type"),
        rs.getInt("schema_version"),
        rs.getString("occurred_at"),
        instant(rs, "received_at"),
        rs.getString("envelope"),
        rs.getString("payload_hash"),
        LedgerStatus.valueOf(rs.getString("status")),
        rs.getString("reason"),
        rs.getString("detail"),
        instant(rs, "queued_at"),
        instant(rs, "receipt_at"));
  }
}
