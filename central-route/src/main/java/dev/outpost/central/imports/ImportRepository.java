package dev.outpost.central.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Contracts;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * {@code imports} rows (the progress of each day-file import) and central's operations it compares
 * with.
 */
@Repository
public class ImportRepository {
  /** The identifying fields of a structurally valid file; all null for a file that is not one. */
  record FileFacts(
      String terminalId, String from, String to, String zone, String checksum, int total) {
    static final FileFacts NONE = new FileFacts(null, null, null, null, null, 0);
  }

  /**
   * Central's operations of one type in the compared window: count and the sum of numeric totals.
   */
  record TypeFigures(long count, BigDecimal total) {}

  private final NamedParameterJdbcTemplate jdbc;

  public ImportRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insert(
      String id,
      String via,
      String fileName,
      String actor,
      FileFacts f,
      String status,
      String reason) {
    jdbc.update(
        "insert into imports (id, actor, via, file_name, status, refused_reason, terminal_id, from_day,"
            + " to_day, zone, checksum, total, finished_at) values (cast(:id as uuid), :actor, :via, :name,"
            + " :status, :reason, :terminal, cast(:from as date), cast(:to as date), :zone, :checksum, :total,"
            + " case when :status = 'REFUSED' then now() end)",
        new MapSqlParameterSource()
            .addValue("id", id)
            .addValue("actor", actor)
            .addValue("via", via)
            .addValue("name", fileName)
            .addValue("status", status)
            .addValue("reason", reason)
            .addValue("terminal", f.terminalId())
            .addValue("from", f.from())
            .addValue("to", f.to())
            .addValue("zone", f.zone())
            .addValue("checksum", f.checksum())
            .addValue("total", f.total()));
  }

  /** Joins the batch's transaction: the operations and the counters commit together. */
  void addProgress(String id, int processed, int accepted, int duplicate, int rejected) {
    jdbc.update(
        "update imports set processed = processed + :n, accepted = accepted + :a,"
            + " duplicate = duplicate + :d, rejected = rejected + :r where id = cast(:id as uuid)",
        new MapSqlParameterSource()
            .addValue("id", id)
            .addValue("n", processed)
            .addValue("a", accepted)
            .addValue("d", duplicate)
            .addValue("r", rejected));
  }

  void markDone(String id, String completenessJson) {
    jdbc.update(
        "update imports set status = 'DONE', finished_at = now(), completeness = cast(:c as jsonb)"
            + " where id = cast(:id as uuid)",
        new MapSqlParameterSource().addValue("id", id).addValue("c", completenessJson));
  }

  void markFailed(String id, String why) {
    jdbc.update(
        "update imports set status = 'FAILED', finished_at = now(), refused_reason = :why where id = cast(:id as uuid)",
        Map.of("id", id, "why", why));
  }

  Optional<ImportReport> find(String id) {
    return jdbc
        .query(
            "select * from imports where id = cast(:id as uuid)",
            Map.of("id", UUID.fromString(id).toString()),
            ImportRepository::row)
        .stream()
        .findFirst();
  }

  List<ImportReport> recent(int limit) {
    return jdbc.query(
        "select * from imports order by received_at desc limit :limit",
        Map.of("limit", limit),
        ImportRepository::row);
  }

  /** Per type, the terminal's operations whose occurredAt is in [start, end). */
  Map<String, TypeFigures> figures(String terminal, Instant start, Instant end) {
    Map<String, TypeFigures> out = new TreeMap<>();
    jdbc.query(
        "select type, count(*) as n, sum(case when jsonb_typeof(payload -> 'total') = 'number'"
            + " then (payload ->> 'total')::numeric end) as total from operations"
            + " where terminal_id = :t and occurred_at >= :start and occurred_at < :end group by type",
        window(terminal, start, end),
        rs -> {
          out.put(
              rs.getString("type"), new TypeFigures(rs.getLong("n"), rs.getBigDecimal("total")));
        });
    return out;
  }

  /** The ids of the terminal's operations whose occurredAt is in [start, end). */
  Set<String> operationIds(String terminal, Instant start, Instant end) {
    return jdbc
        .queryForList(
            "select operation_id::text from operations"
                + " where terminal_id = :t and occurred_at >= :start and occurred_at < :end",
            window(terminal, start, end),
            String.class)
        .stream()
        .collect(Collectors.toSet());
  }

  private static MapSqlParameterSource window(String terminal, Instant start, Instant end) {
    return new MapSqlParameterSource()
        .addValue("t", terminal)
        .addValue("start", OffsetDateTime.ofInstant(start, ZoneOffset.UTC))
        .addValue("end", OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
  }

  private static ImportReport row(ResultSet rs, int i) throws SQLException {
    JsonNode completeness = null;
    String c = rs.getString("completeness");
    if (c != null) {
      try {
        completeness = Contracts.mapper().readTree(c);
      } catch (IOException e) {
        completeness = null;
      }
    }
    return new ImportReport(
        rs.getString("id"),
        rs.getString("status"),
        rs.getString("via"),
        rs.getString("file_name"),
        rs.getString("actor"),
        rs.getString("terminal_id"),
        rs.getString("from_day"),
        rs.getString("to_day"),
        rs.getString("zone"),
        rs.getString("checksum"),
        rs.getInt("total"),
        rs.getInt("processed"),
        rs.getInt("accepted"),
        rs.getInt("duplicate"),
        rs.getInt("rejected"),
        rs.getString("refused_reason"),
        text(rs, "received_at"),
        text(rs, "finished_at"),
        completeness);
  }

  private static String text(ResultSet rs, String col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant().toString();
  }
}
