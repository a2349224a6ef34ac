package dev.outpost.central.ingest;

import dev.outpost.contracts.AccessPayload;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RejectReason;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * access.recorded: stores the scan. A granted entry on an accreditation central has revoked since
 * already happened at the gate: accepted and flagged ACCREDITATION_REVOKED for review.
 */
@Component
public class AccessProjection implements Projection {
  @Override
  public String type() {
    return OperationTypes.ACCESS_RECORDED;
  }

  @Override
  public Applied apply(OperationEnvelope op, NamedParameterJdbcTemplate jdbc, BatchTotals totals)
      throws Rejected {
    AccessPayload scan = op.payloadAs(AccessPayload.class);
    List<Map<String, Object>> acc =
        jdbc.queryForList(
            "select match_id, revoked from accreditations where qr_code = :qr and not deleted",
            Map.of("qr", scan.qrCode()));
    if (acc.isEmpty()) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown accreditation " + scan.qrCode());
    }
    Integer matches =
        jdbc.queryForObject(
            "select count(*) from matches where id = :id and not deleted",
            Map.of("id", scan.matchId()),
            Integer.class);
    if (matches == null || matches == 0) {
      throw new Rejected(RejectReason.UNKNOWN_REFERENCE, "unknown match " + scan.matchId());
    }
    String flag = null;
    if (scan.granted() && Boolean.TRUE.equals(acc.get(0).get("revoked"))) {
      flag = "ACCREDITATION_REVOKED";
    } else if (scan.granted() && !scan.matchId().equals(acc.get(0).get("match_id"))) {
      flag = "OTHER_MATCH";
    }
    jdbc.update(
        "insert into access_events (operation_id, terminal_id, qr_code, match_id, gate, direction,"
            + " granted, reason, occurred_at, review_flag) values (:op, :terminal, :qr, :match,"
            + " :gate, :direction, :granted, :reason, :occurredAt, :flag)",
        new MapSqlParameterSource()
            .addValue("op", op.operationId())
            .addValue("terminal", op.terminalId())
            .addValue("qr", scan.qrCode())
            .addValue("match", scan.matchId())
            .addValue("gate", scan.gate())
            .addValue("direction", scan.direction())
            .addValue("granted", scan.granted())
            .addValue("reason", scan.reason())
            .addValue("occurredAt", op.occurredAt())
            .addValue("flag", flag));
    return flag == null ? Applied.ACCEPTED : Applied.flagged(flag + ": entry kept for review");
  }
}
