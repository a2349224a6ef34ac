package dev.outpost.central.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.ingest.Applied;
import dev.outpost.central.ingest.Rejected;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.RecordPayload;
import dev.outpost.contracts.RejectReason;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Applies record.upserted / record.deleted to {@code entity_records} under the entity's conflict
 * policy. Runs inside the ingest transaction; the row is locked (select for update) so replicas
 * applying changes of one record from different terminals serialize on it.
 *
 * <p>"Concurrent" means the terminal did not edit the version central holds: its baseUpdatedAt is
 * absent or differs from the stored updatedAt. LAST_WRITE_WINS and MERGE need no such notion: they
 * compare versions, which makes the result independent of arrival order.
 */
@Repository
public class EntityRecordStore {
  static final String DELETED_FIELD = "_deleted";

  private final ConflictPolicies policies;
  private final NamedParameterJdbcTemplate jdbc;

  public EntityRecordStore(ConflictPolicies policies, NamedParameterJdbcTemplate jdbc) {
    this.policies = policies;
    this.jdbc = jdbc;
  }

  /** The stored state of one record, as locked for this transaction. */
  record Stored(ObjectNode data, boolean deleted, RecordVersion version, ObjectNode fieldVersions) {
    ObjectNode toJson() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.set("data", data);
      n.put("deleted", deleted);
      n.put("updatedAt", version.at().toString());
      n.put("updatedByTerminal", version.terminal());
      n.put("updatedByOperation", version.operation().toString());
      return n;
    }
  }

  /** In the caller's (the ingest batch's) transaction. */
  public Applied apply(OperationEnvelope op, RecordPayload p, boolean delete) throws Rejected {
    ConflictPolicy policy = policies.of(p.entity());
    RecordVersion incoming =
        new RecordVersion(p.updatedAt().toInstant(), op.terminalId(), op.operationId());
    ObjectNode data = delete || p.data() == null ? JsonNodeFactory.instance.objectNode() : p.data();

    ObjectNode firstFieldVersions = JsonNodeFactory.instance.objectNode();
    if (policy == ConflictPolicy.MERGE) {
      data.fieldNames().forEachRemaining(f -> firstFieldVersions.set(f, incoming.toJson()));
      firstFieldVersions.set(DELETED_FIELD, incoming.toJson());
    }
    // A new record: the insert wins any race between replicas; otherwise lock the existing row.
    if (insertIfAbsent(jdbc, p, data, delete, incoming, firstFieldVersions)) {
      return Applied.ACCEPTED;
    }
    Stored stored = lock(jdbc, p.entity(), p.id());
    return switch (policy) {
      case LAST_WRITE_WINS -> lastWriteWins(jdbc, p, data, delete, incoming, stored);
      case MERGE -> merge(jdbc, p, data, delete, incoming, stored);
      default -> guarded(jdbc, op, p, data, delete, incoming, stored, policy);
    };
  }

  private Applied lastWriteWins(
      NamedParameterJdbcTemplate jdbc,
      RecordPayload p,
      ObjectNode data,
      boolean delete,
      RecordVersion incoming,
      Stored stored) {
    if (!incoming.newerThan(stored.version())) {
      return superseded(stored);
    }
    // A delete keeps the last data, so a newer upsert can bring the record back whole.
    write(jdbc, p, delete ? stored.data() : data, delete, incoming, stored.fieldVersions());
    return Applied.ACCEPTED;
  }

  private Applied merge(
      NamedParameterJdbcTemplate jdbc,
      RecordPayload p,
      ObjectNode data,
      boolean delete,
      RecordVersion incoming,
      Stored stored) {
    ObjectNode merged = stored.data().deepCopy();
    ObjectNode versions = stored.fieldVersions().deepCopy();
    boolean changed = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (incoming.newerThan(RecordVersion.fromJson(versions.get(field.getKey())))) {
        merged.set(field.getKey(), field.getValue());
        versions.set(field.getKey(), incoming.toJson());
        changed = true;
      }
    }
    boolean deleted = stored.deleted();
    if (incoming.newerThan(RecordVersion.fromJson(versions.get(DELETED_FIELD)))) {
      deleted = delete;
      versions.set(DELETED_FIELD, incoming.toJson());
      changed = true;
    }
    if (!changed) {
      return superseded(stored);
    }
    RecordVersion newest = incoming.newerThan(stored.version()) ? incoming : stored.version();
    write(jdbc, p, merged, deleted, newest, versions);
    return Applied.ACCEPTED;
  }

  private Applied guarded(
      NamedParameterJdbcTemplate jdbc,
      OperationEnvelope op,
      RecordPayload p,
      ObjectNode data,
      boolean delete,
      RecordVersion incoming,
      Stored stored,
      ConflictPolicy policy)
      throws Rejected {
    boolean editedStoredVersion =
        p.baseUpdatedAt() != null && p.baseUpdatedAt().toInstant().equals(stored.version().at());
    if (editedStoredVersion && incoming.newerThan(stored.version())) {
      write(jdbc, p, delete ? stored.data() : data, delete, incoming, stored.fieldVersions());
      return Applied.ACCEPTED;
    }
    if (editedStoredVersion) {
      return superseded(stored); // the terminal's clock is behind the version it edited
    }
    String what =
        p.entity()
            + " "
            + p.id()
            + " was changed concurrently (stored "
            + stored.version()
            + ", terminal edited "
            + (p.baseUpdatedAt() == null ? "no version" : p.baseUpdatedAt())
            + ")";
    switch (policy) {
      case CENTRAL_WINS:
        return Applied.accepted("CONFLICT_CENTRAL_WINS: " + what + "; central's version kept");
      case REJECT:
        throw new Rejected(RejectReason.CONFLICT, what);
      default:
        long id = holdForManualDecision(jdbc, op, p, delete, stored);
        return Applied.flagged("CONFLICT_MANUAL: " + what + "; held as conflict " + id);
    }
  }

  private long holdForManualDecision(
      NamedParameterJdbcTemplate jdbc,
      OperationEnvelope op,
      RecordPayload p,
      boolean delete,
      Stored stored) {
    ObjectNode incoming = Contracts.mapper().valueToTree(p);
    incoming.put("deleted", delete);
    Long id =
        jdbc.queryForObject(
            "insert into conflicts (entity, record_id, operation_id, terminal_id, stored, incoming)"
                + " values (:entity, :id, :op, :terminal, cast(:stored as jsonb), cast(:incoming as jsonb)) returning id",
            new MapSqlParameterSource()
                .addValue("entity", p.entity())
                .addValue("id", p.id())
                .addValue("op", op.operationId())
                .addValue("terminal", op.terminalId())
                .addValue("stored", stored.toJson().toString())
                .addValue("incoming", incoming.toString()),
            Long.class);
    return id == null ? -1 : id;
  }

  private static Applied superseded(Stored stored) {
    return Applied.accepted(
        "SUPERSEDED: the stored version " + stored.version() + " is newer; nothing changed");
  }

  private static boolean insertIfAbsent(
      NamedParameterJdbcTemplate jdbc,
      RecordPayload p,
      ObjectNode data,
      boolean delete,
      RecordVersion v,
      ObjectNode fieldVersions) {
    return jdbc.update(
            "insert into entity_records (entity, id, data, deleted, updated_at, updated_by_terminal,"
                + " updated_by_operation, field_versions) values (:entity, :id, cast(:data as jsonb),"
                + " :deleted, :at, :terminal, :op, cast(:fv as jsonb)) on conflict (entity, id) do nothing",
            params(p, data, delete, v, fieldVersions))
        == 1;
  }

  /** Writes a record's whole state; also used when a person resolves a conflict. */
  static void write(
      NamedParameterJdbcTemplate jdbc,
      RecordPayload p,
      ObjectNode data,
      boolean deleted,
      RecordVersion v,
      ObjectNode fieldVersions) {
    jdbc.update(
        "update entity_records set data = cast(:data as jsonb), deleted = :deleted, updated_at = :at,"
            + " updated_by_terminal = :terminal, updated_by_operation = :op, field_versions = cast(:fv as jsonb)"
            + " where entity = :entity and id = :id",
        params(p, data, deleted, v, fieldVersions));
  }

  private static MapSqlParameterSource params(
      RecordPayload p,
      ObjectNode data,
      boolean deleted,
      RecordVersion v,
      ObjectNode fieldVersions) {
    return new MapSqlParameterSource()
        .addValue("entity", p.entity())
        .addValue("id", p.id())
        .addValue("data", data.toString())
        .addValue("deleted", deleted)
        .addValue("at", OffsetDateTime.ofInstant(v.at(), ZoneOffset.UTC))
        .addValue("terminal", v.terminal())
        .addValue("op", v.operation())
        .addValue("fv", fieldVersions.toString());
  }

  static Stored lock(NamedParameterJdbcTemplate jdbc, String entity, UUID id) {
    List<Stored> rows =
        jdbc.query(
            "select data::text as data, deleted, updated_at, updated_by_terminal, updated_by_operation,"
                + " field_versions::text as fv from entity_records where entity = :entity and id = :id for update",
            Map.of("entity", entity, "id", id),
            (rs, n) ->
                new Stored(
                    object(rs.getString("data")),
                    rs.getBoolean("deleted"),
                    new RecordVersion(
                        rs.getTimestamp("updated_at").toInstant(),
                        rs.getString("updated_by_terminal"),
                        rs.getObject("updated_by_operation", UUID.class)),
                    object(rs.getString("fv"))));
    if (rows.isEmpty()) {
      throw new IllegalStateException(
          "record " + entity + "/" + id + " vanished inside its transaction");
    }
    return rows.get(0);
  }

  private static ObjectNode object(String json) {
    try {
      return (ObjectNode) Contracts.mapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
