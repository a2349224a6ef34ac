package dev.outpost.central.enrollment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** What PostgreSQL knows of each terminal, for the fleet view ({@link Fleet}). */
@Repository
public class FleetRepository {
  /** One terminal's row; {@code masterdataPulledAt} null when it never pulled. */
  public record TerminalRow(
      Map<String, Object> columns, Instant masterdataPulledAt, boolean enrolled, long gapCount) {}

  private final NamedParameterJdbcTemplate jdbc;

  public FleetRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Every terminal central knows, in id order. */
  public List<TerminalRow> terminals() {
    return jdbc
        .queryForList(
            "select terminal_id, enrolled_at, enrolled_by, revoked_at, last_sequence, first_seen_at, last_seen_at,"
                + " masterdata_pulled_at, credential_hash is not null as enrolled,"
                + " (select count(*) from terminal_gaps g where g.terminal_id = t.terminal_id) as gap_count"
                + " from terminals t order by terminal_id",
            Map.of())
        .stream()
        .map(
            t -> {
              Timestamp pulled = (Timestamp) t.get("masterdata_pulled_at");
              return new TerminalRow(
                  t,
                  pulled == null ? null : pulled.toInstant(),
                  Boolean.TRUE.equals(t.get("enrolled")),
                  ((Number) t.get("gap_count")).longValue());
            })
        .toList();
  }

  /** The first 100 gaps in a terminal's sequence (first_missing, last_missing). */
  public List<Map<String, Object>> gaps(String terminal) {
    return jdbc.queryForList(
        "select first_missing, last_missing from terminal_gaps where terminal_id = :t order by first_missing limit 100",
        Map.of("t", terminal));
  }
}
