package dev.outpost.central.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.api.Actors;
import dev.outpost.central.api.ApiProblems.ApiException;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.RecordPayload;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * /api/v1/conflicts: changes held by the MANUAL policy, and a person's decision. Choosing
 * INCOMING writes the terminal's version as a new central version (so the record's version still
 * only grows); choosing STORED keeps what central has. Who decided and when is kept on the row.
 */
@RestController
@RequestMapping("/api/v1/conflicts")
public class ConflictController {
  private final NamedParameterJdbcTemplate jdbc;

  public ConflictController(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public record Decision(String choose, String note) {}

  @GetMapping
  public List<Map<String, Object>> list(
      @RequestParam(defaultValue = "OPEN") String status,
      @RequestParam(required = false) String entity,
      @RequestParam(defaultValue = "100") int limit) {
    if (!List.of("OPEN", "RESOLVED", "ALL").contains(status)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "bad-filter", "status must be OPEN, RESOLVED or ALL");
    }
    return jdbc.queryForList(
        "select id, entity, record_id, operation_id, terminal_id, status, created_at, resolution,"
            + " resolved_by, resolved_at, note, stored::text as stored, incoming::text as incoming"
            + " from conflicts where (:status = 'ALL' or status = :status)"
            + " and (cast(:entity as text) is null or entity = :entity) order by id limit :limit",
        new MapSqlParameterSource()
            .addValue("status", status)
            .addValue("entity", entity)
            .addValue("limit", Math.max(1, Math.min(limit, 1000))));
  }

  @GetMapping("/{id}")
  public Map<String, Object> show(@PathVariable long id) {
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "select id, entity, record_id, operation_id, terminal_id, status, created_at, resolution,"
                + " resolved_by, resolved_at, note, stored::text as stored, incoming::text as incoming"
                + " from conflicts where id = :id",
            Map.of("id", id));
    if (rows.isEmpty()) {
      throw new ApiException(HttpStatus.NOT_FOUND, "not-found", "no conflict " + id);
    }
    return rows.get(0);
  }

  @PostMapping("/{id}/resolve")
  @Transactional
  public Map<String, Object> resolve(@PathVariable long id, @RequestBody Decision decision, HttpServletRequest request) {
    String choice = decision == null || decision.choose() == null ? "" : decision.choose().toUpperCase();
    if (!List.of("INCOMING", "STORED").contains(choice)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "bad-decision", "choose must be INCOMING or STORED");
    }
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "select entity, record_id, status, incoming::text as incoming from conflicts where id = :id for update",
            Map.of("id", id));
    if (rows.isEmpty()) {
      throw new ApiException(HttpStatus.NOT_FOUND, "not-found", "no conflict " + id);
    }
    Map<String, Object> row = rows.get(0);
    if (!"OPEN".equals(row.get("status"))) {
      throw new ApiException(HttpStatus.CONFLICT, "already-resolved", "conflict " + id + " is already resolved");
    }
    if ("INCOMING".equals(choice)) {
      applyIncoming((String) row.get("entity"), (UUID) row.get("record_id"), (String) row.get("incoming"));
    }
    jdbc.update(
        "update conflicts set status = 'RESOLVED', resolution = :choice, resolved_by = :who,"
            + " resolved_at = now(), note = :note where id = :id",
        new MapSqlParameterSource()
            .addValue("choice", choice)
            .addValue("who", Actors.of(request))
            .addValue("note", decision.note())
            .addValue("id", id));
    return show(id);
  }

  private void applyIncoming(String entity, UUID recordId, String incomingJson) {
    JsonNode incoming;
    try {
      incoming = Contracts.mapper().readTree(incomingJson);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    EntityRecords.Stored stored = EntityRecords.lock(jdbc, entity, recordId);
    ObjectNode data =
        incoming.path("data").isObject() ? (ObjectNode) incoming.get("data") : JsonNodeFactory.instance.objectNode();
    boolean deleted = incoming.path("deleted").asBoolean(false);
    RecordPayload target = new RecordPayload(entity, recordId, null, null, null);
    // A person's decision is a new version, newer than anything stored.
    EntityRecords.write(
        jdbc,
        target,
        deleted ? stored.data() : data,
        deleted,
        new RecordVersion(Instant.now(), "central", UUID.randomUUID()),
        stored.fieldVersions());
  }
}
