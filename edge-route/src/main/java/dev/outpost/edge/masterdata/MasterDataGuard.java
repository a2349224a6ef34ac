package dev.outpost.edge.masterdata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.AccessPayload;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.contracts.MatchEventPayload;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.SalePayload;
import dev.outpost.contracts.StockAdjustedPayload;
import dev.outpost.contracts.Violation;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.ingest.OperationGuard;
import dev.outpost.edge.ingest.Submission;
import dev.outpost.edge.ledger.LedgerEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Offline validation of operations against the terminal's master-data cache (422, nothing written),
 * and the local projections it needs: sales per bracelet (consumption shown offline) and granted
 * gate scans (anti-passback). Runs on the single append stage, so two scans of one QR cannot both
 * pass the anti-passback check.
 *
 * <p>A set the terminal has never loaded is not checked (central still checks everything): a
 * terminal that could not bootstrap yet keeps selling, and its sync status says it is not ready.
 */
@Component
public class MasterDataGuard implements OperationGuard {
  static final String IN = "IN";

  private final MasterDataStore store;
  private final LocalProjectionStore projections;
  private final MasterDataState state;

  public MasterDataGuard(
      MasterDataStore store, LocalProjectionStore projections, MasterDataState state) {
    this.store = store;
    this.projections = projections;
    this.state = state;
  }

  @Override
  public void check(Submission s) {
    switch (s.type()) {
      case OperationTypes.SALE_RECORDED -> checkSale(payload(s, SalePayload.class));
      case OperationTypes.ACCESS_RECORDED -> checkScan(payload(s, AccessPayload.class));
      case OperationTypes.MATCH_EVENT_RECORDED ->
          checkMatchEvent(payload(s, MatchEventPayload.class));
      case OperationTypes.STOCK_ADJUSTED -> checkStock(payload(s, StockAdjustedPayload.class));
      default -> {}
    }
  }

  @Override
  public void recorded(Submission s, LedgerEntry entry) {
    if (OperationTypes.SALE_RECORDED.equals(s.type())) {
      SalePayload sale = payload(s, SalePayload.class);
      projections.recordSale(
          s.operationId(), sale.braceletId(), sale.memberId(), sale.total(), s.receivedAt());
    } else if (OperationTypes.ACCESS_RECORDED.equals(s.type())) {
      AccessPayload scan = payload(s, AccessPayload.class);
      if (scan.granted()) {
        projections.recordScan(
            s.operationId(), scan.qrCode(), scan.matchId(), scan.direction(), entry.sequence());
      }
    }
  }

  @Override
  public void forgotten(String operationId) {
    projections.forget(operationId);
  }

  private void checkSale(SalePayload sale) {
    if (sale.braceletId() != null && state.loaded(MasterDataSets.VISITS)) {
      List<ObjectNode> visits = store.byLookup(MasterDataSets.VISITS, sale.braceletId());
      if (visits.isEmpty()) {
        throw refused(
            "unknown-reference",
            "/payload/braceletId",
            "no visit for bracelet " + sale.braceletId());
      }
      if (activeVisit(visits).isEmpty()) {
        throw refused(
            "business-rule",
            "/payload/braceletId",
            "the visit of bracelet " + sale.braceletId() + " is closed");
      }
    }
    if (sale.memberId() != null && state.loaded(MasterDataSets.MEMBERS)) {
      Optional<ObjectNode> member = store.find(MasterDataSets.MEMBERS, sale.memberId());
      if (member.isEmpty()) {
        throw refused(
            "unknown-reference", "/payload/memberId", "unknown member " + sale.memberId());
      }
      if (!member.get().path("active").asBoolean(true)) {
        throw refused(
            "business-rule", "/payload/memberId", "member " + sale.memberId() + " is not active");
      }
    }
    if (state.loaded(MasterDataSets.PRODUCTS)) {
      for (int i = 0; i < sale.lines().size(); i++) {
        String productId = sale.lines().get(i).productId();
        String pointer = "/payload/lines/" + i + "/productId";
        Optional<ObjectNode> product = store.find(MasterDataSets.PRODUCTS, productId);
        if (product.isEmpty()) {
          throw refused("unknown-reference", pointer, "unknown product " + productId);
        }
        if (!product.get().path("available").asBoolean(true)) {
          throw refused("business-rule", pointer, "product " + productId + " is not available");
        }
      }
    }
    // total = sum of the lines is a schema rule (400) checked before this.
  }

  /** Any known product may be counted, available or not (restocking one is how it comes back). */
  private void checkStock(StockAdjustedPayload adjustment) {
    if (state.loaded(MasterDataSets.PRODUCTS)
        && store.find(MasterDataSets.PRODUCTS, adjustment.productId()).isEmpty()) {
      throw refused(
          "unknown-reference", "/payload/productId", "unknown product " + adjustment.productId());
    }
  }

  private void checkScan(AccessPayload scan) {
    if (state.loaded(MasterDataSets.MATCHES)
        && store.find(MasterDataSets.MATCHES, scan.matchId()).isEmpty()) {
      throw refused("unknown-reference", "/payload/matchId", "unknown match " + scan.matchId());
    }
    if (!state.loaded(MasterDataSets.ACCREDITATIONS)) {
      return;
    }
    Optional<ObjectNode> acc = store.find(MasterDataSets.ACCREDITATIONS, scan.qrCode());
    if (acc.isEmpty()) {
      throw refused(
          "unknown-reference", "/payload/qrCode", "unknown accreditation " + scan.qrCode());
    }
    if (!scan.granted()) {
      return; // a denial the gate already made is recorded as it is
    }
    if (acc.get().path("revoked").asBoolean(false)) {
      throw refused(
          "business-rule", "/payload/qrCode", "accreditation " + scan.qrCode() + " is revoked");
    }
    if (!scan.matchId().equals(acc.get().path("matchId").asText())) {
      throw refused(
          "business-rule",
          "/payload/matchId",
          "accreditation " + scan.qrCode() + " is not valid for match " + scan.matchId());
    }
    if (IN.equals(scan.direction())
        && projections
            .lastScanDirection(scan.qrCode(), scan.matchId())
            .filter(IN::equals)
            .isPresent()) {
      throw refused(
          "anti-passback",
          "/payload/qrCode",
          "accreditation " + scan.qrCode() + " is already inside (no exit since its last entry)");
    }
  }

  private void checkMatchEvent(MatchEventPayload ev) {
    if (!state.loaded(MasterDataSets.MATCHES)) {
      return;
    }
    Optional<ObjectNode> match = store.find(MasterDataSets.MATCHES, ev.matchId());
    if (match.isEmpty()) {
      throw refused("unknown-reference", "/payload/matchId", "unknown match " + ev.matchId());
    }
    if (!state.loaded(MasterDataSets.PLAYERS)) {
      return;
    }
    String team = teamName(match.get(), ev.team());
    checkPlayer(ev.playerId(), team, "/payload/playerId");
    checkPlayer(ev.playerInId(), team, "/payload/playerInId");
  }

  private void checkPlayer(String playerId, String team, String pointer) {
    if (playerId == null) {
      return;
    }
    Optional<ObjectNode> player = store.find(MasterDataSets.PLAYERS, playerId);
    if (player.isEmpty() || !team.equals(player.get().path("team").asText())) {
      throw refused(
          "unknown-reference", pointer, "player " + playerId + " is not on the roster of " + team);
    }
  }

  /** "home"/"away" name the match's teams; any other value is a team name itself. */
  static String teamName(ObjectNode match, String team) {
    if ("home".equalsIgnoreCase(team)) {
      return match.path("homeTeam").asText();
    }
    if ("away".equalsIgnoreCase(team)) {
      return match.path("awayTeam").asText();
    }
    return team;
  }

  /** The open visit of a bracelet, if any (a bracelet may have older, closed visits). */
  static Optional<ObjectNode> activeVisit(List<ObjectNode> visits) {
    return visits.stream().filter(v -> !v.hasNonNull("closedAt")).findFirst();
  }

  private static <T> T payload(Submission s, Class<T> type) {
    return s.payloadAs(type);
  }

  private static ProblemException refused(String slug, String pointer, String detail) {
    return new ProblemException(
        422,
        slug,
        "Refused by the terminal's master data",
        detail + " (checked offline against the terminal's master data; nothing was recorded)",
        List.of(new Violation(pointer, detail)));
  }

  /** Visits opened before this are out of the terminal's scope. */
  static Instant visitCutoff(Instant now) {
    return now.minus(java.time.Duration.ofDays(MasterDataSets.VISIT_SCOPE_DAYS));
  }
}
