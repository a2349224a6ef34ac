package dev.outpost.central.deadletter;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code dead_letter_audit}: who did what to which dead letter, with which outcome. */
@Repository
public class DeadLetterAuditRepository {
  private final NamedParameterJdbcTemplate jdbc;

  public DeadLetterAuditRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** One action, in the caller's transaction (a replay's row commits with its effect). */
  public void record(
      String actor, String action, String messageId, String operationId, String terminalId, String outcome,
      String oldReason, String newReason, String detail, String editedBody) {
    jdbc.update(
        "insert into dead_letter_audit (actor, action, message_id, operation_id, terminal_id, outcome,"
            + " old_reason, new_reason, detail, edited_body) values (:actor, :action, :messageId,"
            + " cast(:operationId as uuid), :terminalId, :outcome, :oldReason, :newReason, :detail, :editedBody)",
        new MapSqlParameterSource()
            .addValue("actor", actor == null || actor.isBlank() ? "unknown" : actor)
            .addValue("action", action)
            .addValue("messageId", messageId)
            .addValue("operationId", operationId)
            .addValue("terminalId", terminalId)
            .addValue("outcome", outcome)
            .addValue("oldReason", oldReason)
            .addValue("newReason", newReason)
            .addValue("detail", detail)
            .addValue("editedBody", editedBody));
  }

  /** Newest first, optionally of one operation; at most {@code limit} rows. */
  public List<Map<String, Object>> list(UUID operationId, int limit) {
    return jdbc.queryForList(
        "select id, at, actor, action, message_id, operation_id::text as operation_id, terminal_id, outcome,"
            + " old_reason, new_reason, detail, edited_body from dead_letter_audit"
            + " where cast(:op as uuid) is null or operation_id = cast(:op as uuid) order by id desc limit :limit",
        new MapSqlParameterSource().addValue("op", operationId).addValue("limit", limit));
  }
}
