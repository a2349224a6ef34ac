package dev.outpost.central.ingest;

import dev.outpost.contracts.MatchEventPayload;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RejectReason;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** match-event.recorded: stores the event against a known match. */
@Component
public class MatchEventProjection implements Projection {
  @Override
  public String type() {
    return OperationTypes.MATCH_EVENT_RECORDED;
  }

  @Override
  public Applied apply(OperationEnvelope op, NamedParameterJdbcTemplate jdbc, BatchTotals totals)
      throws Rejected {
    MatchEventPayload ev = op.payloadAs(MatchEventPayload.class);
    Integer matches =
        jdbc.queryForObject(
            "select count(*) from matches where id = :id and not deleted",
            Map.of("id", ev.matchId()),
            Integer.class);
    if (matches == null || matches == 0) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown match " + ev.matchId());
    }
    jdbc.update(
        "insert into match_events (operation_id, terminal_id, match_id, minute, kind, team,"
            + " player_id, player_in_id, notes, occurred_at) values (:op, :terminal, :match,"
            + " :minute, :kind, :team, :player, :playerIn, :notes, :occurredAt)",
        new MapSqlParameterSource()
            .addValue("op", op.operationId())
            .addValue("terminal", op.terminalId())
            .addValue("match", ev.matchId())
            .addValue("minute", ev.minute())
            .addValue("kind", ev.kind())
            .addValue("team", ev.team())
            .addValue("player", ev.playerId())
            .addValue("playerIn", ev.playerInId())
            .addValue("notes", ev.notes())
            .addValue("occurredAt", op.occurredAt()));
    return Applied.ACCEPTED;
  }
}
