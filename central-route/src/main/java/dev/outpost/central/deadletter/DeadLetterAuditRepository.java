package dev.outpost.central.deadletter;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code dead_letter_audit}: who inspected, replayed, edited or discarded which dead letter. */
@Repository
public class DeadLetterAuditRepository {
  /** One audit row to write; {@code operationId} is kept only when it is a UUID. */
  public record Entry(
      String actor,
      String action,
      String messageId,
      String operationId,
      String terminalId,
      String outcome,
      String oldReason,
      String newReason,
      String detail,
      String editedBody) {}

  private final NamedParameterJdbcTemplate jdbc;

  public DeadLetterAuditRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Joins the caller's transaction when there is one. */
  public void record(Entry e) {
    jdbc.update(
        "insert into dead_letter_audit (actor, action, message_id, operation_id, terminal_id, outcome,"
            + " old_reason, new_reason, detail, edited_body) values (:actor, :action, :messageId,"
            + " cast(:operationId as uuid), :terminalId, :outcome, :oldReason, :newReason, :detail, :editedBody)",
        new MapSqlParameterSource()
            .addValue("actor", e.actor() == null || e.actor().isBlank() ? "unknown" : e.actor())
            .addValue("action", e.action())
            .addValue("messageId", e.messageId())
            .addValue("operationId", uuidOrNull(e.operationId()))
            .addValue("terminalId", e.terminalId())
            .addValue("outcome", e.outcome())
            .addValue("oldReason", e.oldReason())
            .addValue("newReason", e.newReason())
            .addValue("detail", e.detail())
            .addValue("editedBody", e.editedBody()));
  }

  /** Newest first, optionally of one operation ({@code operationId} null for all). */
  public List<Map<String, Object>> list(UUID operationId, int limit) {
    return jdbc.queryForList(
        "select id, at, actor, action, message_id, operation_id::text as operation_id, terminal_id, outcome,"
            + " old_reason, new_reason, detail, edited_body from dead_letter_audit"
            + " where cast(:op as uuid) is null or operation_id = cast(:op as uuid) order by id desc limit :limit",
        new MapSqlParameterSource().addValue("op", operationId).addValue("limit", limit));
  }

  private static String uuidOrNull(String s) {
    try {
      return s == null ? null : UUID.fromString(s).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
