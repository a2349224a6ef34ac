package dev.outpost.central.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.RecordPayload;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code conflicts} table: changes held by the MANUAL policy and the decisions on them. */
@Repository
public class ConflictRepository {
  private static final String COLUMNS =
      "select id, entity, record_id, operation_id, terminal_id, status, created_at, resolution,"
          + " resolved_by, resolved_at, note, stored::text as stored, incoming::text as incoming from conflicts";

  /** The row a decision is taken on, locked until the transaction ends. */
  public record Held(String entity, UUID recordId, String status, String incoming) {}

  private final NamedParameterJdbcTemplate jdbc;

  public ConflictRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** {@code status} OPEN, RESOLVED or ALL; {@code entity} null for all. */
  public List<Map<String, Object>> list(String status, String entity, int limit) {
    return jdbc.queryForList(
        COLUMNS
            + " where (:status = 'ALL' or status = :status)"
            + " and (cast(:entity as text) is null or entity = :entity) order by id limit :limit",
        new MapSqlParameterSource()
            .addValue("status", status)
            .addValue("entity", entity)
            .addValue("limit", limit));
  }

  public Optional<Map<String, Object>> find(long id) {
    return jdbc.queryForList(COLUMNS + " where id = :id", Map.of("id", id)).stream().findFirst();
  }

  /** Locks the row ({@code for update}); call inside a transaction. */
  public Optional<Held> lock(long id) {
    return jdbc
        .query(
            "select entity, record_id, status, incoming::text as incoming from conflicts where id = :id for update",
            Map.of("id", id),
            (rs, n) ->
                new Held(
                    rs.getString("entity"),
                    rs.getObject("record_id", UUID.class),
                    rs.getString("status"),
                    rs.getString("incoming")))
        .stream()
        .findFirst();
  }

  public void markResolved(long id, String choice, String who, String note) {
    jdbc.update(
        "update conflicts set status = 'RESOLVED', resolution = :choice, resolved_by = :who,"
            + " resolved_at = now(), note = :note where id = :id",
        new MapSqlParameterSource()
            .addValue("choice", choice)
            .addValue("who", who)
            .addValue("note", note)
            .addValue("id", id));
  }

  /** Writes a person's choice of the incoming version as a new central version of the record. */
  public void writeDecision(
      String entity, UUID recordId, ObjectNode data, boolean deleted, RecordVersion version) {
    EntityRecordStore.Stored stored = EntityRecordStore.lock(jdbc, entity, recordId);
    EntityRecordStore.write(
        jdbc,
        new RecordPayload(entity, recordId, null, null, null),
        deleted ? stored.data() : data,
        deleted,
        version,
        stored.fieldVersions());
  }
}
