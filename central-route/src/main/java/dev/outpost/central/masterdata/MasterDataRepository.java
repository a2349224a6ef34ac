package dev.outpost.central.masterdata;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Master data in PostgreSQL: the sets' rows (all SQL built from {@link MasterSet}'s constants,
 * values bound), the terminals that receive changes, and the change outbox.
 */
@Repository
public class MasterDataRepository {
  static final String REGISTER_TERMINAL =
      "insert into terminals (terminal_id, masterdata_pulled_at) values (:terminal, now())"
          + " on conflict (terminal_id) do update set masterdata_pulled_at = now()";
  static final String PENDING =
      "select id, set_name, record_id, version, row_data::text as row_data from masterdata_outbox"
          + " order by id limit :limit";
  // A revoked terminal gets nothing more (it resyncs by checksum once enrolled again).
  static final String TERMINALS =
      "select terminal_id from terminals where revoked_at is null order by terminal_id";
  static final String DELETE_SENT = "delete from masterdata_outbox where id in (:ids)";

  /** A captured change waiting in the outbox. */
  public record OutboxRow(long id, String setName, String recordId, long version, String rowData) {}

  /** A set's live count and hash over "id:version". */
  public record Checksum(long count, String hash) {}

  private final NamedParameterJdbcTemplate jdbc;

  public MasterDataRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Rows as JSON text. */
  List<String> list(MasterSet set) {
    return jdbc.queryForList(set.listSql, Map.of(), String.class);
  }

  List<String> find(MasterSet set, String id) {
    return jdbc.queryForList(set.findSql, Map.of("id", id), String.class);
  }

  /** {@code values} by column name; a broken rule surfaces as DataIntegrityViolationException. */
  void upsert(MasterSet set, String id, Map<String, Object> values) {
    jdbc.update(set.upsertSql, new MapSqlParameterSource(values).addValue("id", id));
  }

  boolean softDelete(MasterSet set, String id) {
    return jdbc.update(set.softDeleteSql, Map.of("id", id)) > 0;
  }

  /** Live records in scope (visits since {@code since}), as JSON text. */
  List<String> snapshot(MasterSet set, Instant since) {
    return jdbc.queryForList(set.snapshotSql, Map.of("since", Timestamp.from(since)), String.class);
  }

  Checksum checksum(MasterSet set, Instant since) {
    Map<String, Object> row =
        jdbc.queryForMap(set.checksumSql, Map.of("since", Timestamp.from(since)));
    return new Checksum(((Number) row.get("n")).longValue(), (String) row.get("hash"));
  }

  /** Registers the terminal for changes (and notes its pull). */
  void register(String terminal) {
    jdbc.update(REGISTER_TERMINAL, Map.of("terminal", terminal));
  }

  List<OutboxRow> pending(int limit) {
    return jdbc.query(
        PENDING,
        Map.of("limit", limit),
        (rs, n) ->
            new OutboxRow(
                rs.getLong("id"),
                rs.getString("set_name"),
                rs.getString("record_id"),
                rs.getLong("version"),
                rs.getString("row_data")));
  }

  List<String> activeTerminals() {
    return jdbc.queryForList(TERMINALS, Map.of(), String.class);
  }

  void deleteSent(List<Long> ids) {
    jdbc.update(DELETE_SENT, Map.of("ids", ids));
  }
}
