package dev.outpost.central.ingest;

import dev.outpost.contracts.AccessPayload;
import dev.outpost.contracts.BoxOfficeSalePayload;
import dev.outpost.contracts.MatchEventPayload;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.SalePayload;
import dev.outpost.contracts.StockAdjustedPayload;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The statements of the ingest projections: the master-data lookups their rules need and the rows
 * an applied operation writes. Every call runs in the caller's batch transaction, under the
 * operation's savepoint.
 */
@Repository
public class ProjectionRepository {
  private final NamedParameterJdbcTemplate jdbc;

  public ProjectionRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The bracelet's visit at the time of a sale, and whether it was closed by then. */
  record Visit(String id, boolean closed) {}

  /** An accreditation's match and whether central revoked it. */
  record Accreditation(String matchId, boolean revoked) {}

  /** A ticket type as central holds it now. */
  record TicketType(BigDecimal price, Boolean available, Boolean deleted) {}

  boolean matchExists(String id) {
    return count("select count(*) from matches where id = :id and not deleted", id) > 0;
  }

  boolean productExists(String id) {
    return count("select count(*) from products where id = :id and not deleted", id) > 0;
  }

  boolean memberExists(String id) {
    return count("select count(*) from members where id = :id and not deleted", id) > 0;
  }

  /**
   * The bracelet's visit as it was when the sale happened: the one open at {@code at}, else its
   * open one, else the last opened. It counts as closed when it is closed now and was not open at
   * {@code at}: a visit closed at central after the sale happened does not flag the sale.
   */
  Optional<Visit> visitOfBracelet(String braceletId, OffsetDateTime at) {
    List<Map<String, Object>> visits =
        jdbc.queryForList(
            "select id, (closed_at is not null and not (opened_at <= :at and closed_at > :at))"
                + " as closed from visits"
                + " where bracelet_id = :bracelet and not deleted"
                + " order by (opened_at <= :at and (closed_at is null or closed_at > :at)) desc,"
                + " (closed_at is null) desc, opened_at desc limit 1",
            Map.of("bracelet", braceletId, "at", at));
    return visits.stream()
        .findFirst()
        .map(v -> new Visit((String) v.get("id"), (Boolean) v.get("closed")));
  }

  Optional<Accreditation> accreditation(String qrCode) {
    List<Map<String, Object>> acc =
        jdbc.queryForList(
            "select match_id, revoked from accreditations where qr_code = :qr and not deleted",
            Map.of("qr", qrCode));
    return acc.stream()
        .findFirst()
        .map(
            a ->
                new Accreditation(
                    (String) a.get("match_id"), Boolean.TRUE.equals(a.get("revoked"))));
  }

  Optional<TicketType> ticketType(String id) {
    List<Map<String, Object>> types =
        jdbc.queryForList(
            "select price, available, deleted from ticket_types where id = :id", Map.of("id", id));
    return types.stream()
        .findFirst()
        .map(
            t ->
                new TicketType(
                    (BigDecimal) t.get("price"),
                    (Boolean) t.get("available"),
                    (Boolean) t.get("deleted")));
  }

  /** The sale and its lines (numbered from 1). */
  void insertSale(OperationEnvelope op, SalePayload sale, String visitId, String flag) {
    jdbc.update(
        "insert into sales (operation_id, terminal_id, visit_id, bracelet_id, member_id, total, paid,"
            + " observations, occurred_at, review_flag) values (:op, :terminal, :visit, :bracelet,"
            + " :member, :total, :paid, :observations, :occurredAt, :flag)",
        new MapSqlParameterSource()
            .addValue("op", op.operationId())
            .addValue("terminal", op.terminalId())
            .addValue("visit", visitId)
            .addValue("bracelet", sale.braceletId())
            .addValue("member", sale.memberId())
            .addValue("total", sale.total())
            .addValue("paid", sale.paid())
            .addValue("observations", sale.observations())
            .addValue("occurredAt", op.occurredAt())
            .addValue("flag", flag));
    int lineNo = 0;
    for (SalePayload.Line line : sale.lines()) {
      jdbc.update(
          "insert into sale_lines (operation_id, line_no, product_id, quantity, unit_price)"
              + " values (:op, :lineNo, :product, :quantity, :unitPrice)",
          new MapSqlParameterSource()
              .addValue("op", op.operationId())
              .addValue("lineNo", ++lineNo)
              .addValue("product", line.productId())
              .addValue("quantity", line.quantity())
              .addValue("unitPrice", line.unitPrice()));
    }
  }

  void insertAccess(OperationEnvelope op, AccessPayload scan, String flag) {
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
  }

  /** The box-office sale and its ticket lines (numbered from 1). */
  void insertBoxOfficeSale(OperationEnvelope op, BoxOfficeSalePayload sale) {
    jdbc.update(
        "insert into box_office_sales (operation_id, terminal_id, match_id, total, paid, buyer_name,"
            + " observations, occurred_at) values (:op, :terminal, :match, :total, :paid, :buyer,"
            + " :observations, :occurredAt)",
        new MapSqlParameterSource()
            .addValue("op", op.operationId())
            .addValue("terminal", op.terminalId())
            .addValue("match", sale.matchId())
            .addValue("total", sale.total())
            .addValue("paid", sale.paid())
            .addValue("buyer", sale.buyerName())
            .addValue("observations", sale.observations())
            .addValue("occurredAt", op.occurredAt()));
    int lineNo = 0;
    for (BoxOfficeSalePayload.Line line : sale.lines()) {
      jdbc.update(
          "insert into box_office_sale_lines (operation_id, line_no, ticket_type_id, quantity, unit_price)"
              + " values (:op, :lineNo, :type, :quantity, :price)",
          new MapSqlParameterSource()
              .addValue("op", op.operationId())
              .addValue("lineNo", ++lineNo)
              .addValue("type", line.ticketTypeId())
              .addValue("quantity", line.quantity())
              .addValue("price", line.unitPrice()));
    }
  }

  void insertMatchEvent(OperationEnvelope op, MatchEventPayload ev) {
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
  }

  void insertStockMovement(OperationEnvelope op, StockAdjustedPayload s) {
    jdbc.update(
        "insert into stock_movements (operation_id, terminal_id, product_id, location, delta, reason, occurred_at)"
            + " values (:op, :terminal, :product, :location, :delta, :reason, :occurredAt)",
        new MapSqlParameterSource()
            .addValue("op", op.operationId())
            .addValue("terminal", op.terminalId())
            .addValue("product", s.productId())
            .addValue("location", s.location())
            .addValue("delta", s.delta())
            .addValue("reason", s.reason())
            .addValue("occurredAt", op.occurredAt()));
  }

  private int count(String sql, String id) {
    Integer n = jdbc.queryForObject(sql, Map.of("id", id), Integer.class);
    return n == null ? 0 : n;
  }
}
