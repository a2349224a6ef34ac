package dev.outpost.edge.masterdata;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import dev.outpost.edge.ledger.LedgerStatus;
import dev.outpost.edge.ledger.LedgerStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The terminal's master-data reads, served from its Derby cache with the age of the data, and "sync
 * now". Every answer carries {@code asOf}, {@code dataAgeSeconds} and {@code readyForOffline}.
 */
@Component
public class MasterDataReadRoute extends RouteBuilder {
  public static final String CATALOG = "direct:md-catalog";
  public static final String MEMBER = "direct:md-member";
  public static final String VISIT = "direct:md-visit";
  public static final String ACCREDITATION = "direct:md-accreditation";
  public static final String MATCH = "direct:md-match";
  public static final String TICKET_TYPES = "direct:md-ticket-types";
  public static final String SYNC_NOW = "direct:md-sync-now";
  public static final String CHECKSUMS = "direct:md-checksums";
  static final String[] ALLOWED = {
    "id", "qr", "bracelet", Exchange.HTTP_METHOD, Exchange.HTTP_PATH, Exchange.HTTP_URI, "Accept"
  };

  private final MasterDataStore store;
  private final LocalProjectionStore projections;
  private final MasterDataState state;
  private final MasterDataSync sync;
  private final LedgerStore ledger;

  public MasterDataReadRoute(
      MasterDataStore store,
      LocalProjectionStore projections,
      MasterDataState state,
      MasterDataSync sync,
      LedgerStore ledger) {
    this.store = store;
    this.projections = projections;
    this.state = state;
    this.sync = sync;
    this.ledger = ledger;
  }

  @Override
  public void configure() {
    from(CATALOG)
        .routeId("md-catalog")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", ALLOWED)
        .id("md-catalog-keep-allowed-headers")
        .process(e -> answer(e, listing(MasterDataSets.PRODUCTS)))
        .id("answer-catalog");
    from(TICKET_TYPES)
        .routeId("md-ticket-types")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", ALLOWED)
        .id("md-ticket-types-keep-allowed-headers")
        .process(e -> answer(e, listing(MasterDataSets.TICKET_TYPES)))
        .id("answer-ticket-types");
    from(MEMBER)
        .routeId("md-member")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", ALLOWED)
        .id("md-member-keep-allowed-headers")
        .process(e -> answer(e, one(MasterDataSets.MEMBERS, header(e, "id"))))
        .id("answer-member");
    from(VISIT)
        .routeId("md-visit")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", ALLOWED)
        .id("md-visit-keep-allowed-headers")
        .process(e -> answer(e, visit(header(e, "bracelet"))))
        .id("answer-visit");
    from(ACCREDITATION)
        .routeId("md-accreditation")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", ALLOWED)
        .id("md-accreditation-keep-allowed-headers")
        .process(e -> answer(e, accreditation(header(e, "qr"))))
        .id("answer-accreditation");
    from(MATCH)
        .routeId("md-match")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", ALLOWED)
        .id("md-match-keep-allowed-headers")
        .process(e -> answer(e, match(header(e, "id"))))
        .id("answer-match-with-rosters");
    from(CHECKSUMS)
        .routeId("md-checksums")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", ALLOWED)
        .id("md-checksums-keep-allowed-headers")
        .process(e -> answer(e, checksums()))
        .id("answer-checksums");
    from(SYNC_NOW)
        .routeId("md-sync-now")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", ALLOWED)
        .id("md-sync-now-keep-allowed-headers")
        .process(e -> sync.syncDue(true))
        .id("pull-master-data-now")
        .process(e -> answer(e, state.freshness(MasterDataSets.PRODUCTS, Instant.now())))
        .id("answer-freshness");
  }

  /**
   * The same per-set checksums central answers, over this terminal's cache (compare to see drift).
   */
  private ObjectNode checksums() {
    Instant cutoff = sync.visitCutoff();
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("visitsSince", cutoff.toString());
    ObjectNode sets = doc.putObject("sets");
    for (String set : MasterDataSets.ALL) {
      MasterDataStore.Checksum c = store.checksum(set, cutoff);
      sets.putObject(set).put("count", c.count()).put("hash", c.hash());
    }
    return doc;
  }

  private ObjectNode listing(String set) {
    ObjectNode doc = state.freshness(set, Instant.now());
    ArrayNode items = doc.putArray("items");
    store.list(set).forEach(items::add);
    return doc;
  }

  private ObjectNode one(String set, String id) {
    ObjectNode record = store.find(set, required(id, "id")).orElseThrow(() -> notFound(set, id));
    ObjectNode doc = state.freshness(set, Instant.now());
    doc.setAll(record);
    return doc;
  }

  /**
   * The bracelet's open visit (else its latest), with consumption = central's + pending local
   * sales.
   */
  private ObjectNode visit(String bracelet) {
    List<ObjectNode> visits = store.byLookup(MasterDataSets.VISITS, required(bracelet, "bracelet"));
    ObjectNode visit =
        MasterDataGuard.activeVisit(visits)
            .or(
                () ->
                    visits.stream()
                        .max(
                            (a, b) ->
                                a.path("openedAt").asText().compareTo(b.path("openedAt").asText())))
            .orElseThrow(() -> notFound("visit for bracelet", bracelet));
    BigDecimal central =
        visit.hasNonNull("consumed") ? visit.get("consumed").decimalValue() : BigDecimal.ZERO;
    BigDecimal pending = BigDecimal.ZERO;
    for (LocalSale sale : projections.localSales(bracelet)) {
      boolean waiting =
          ledger.find(sale.operationId()).map(l -> l.status() == LedgerStatus.QUEUED).orElse(false);
      if (waiting) {
        pending = pending.add(sale.total());
      }
    }
    ObjectNode doc = state.freshness(MasterDataSets.VISITS, Instant.now());
    doc.setAll(visit);
    doc.put("active", !visit.hasNonNull("closedAt"));
    doc.put("consumedCentral", central);
    doc.put("consumedPending", pending);
    doc.put("consumed", central.add(pending));
    return doc;
  }

  private ObjectNode accreditation(String qr) {
    ObjectNode doc = one(MasterDataSets.ACCREDITATIONS, qr);
    doc.put(
        "inside",
        projections
            .lastScanDirection(qr, doc.path("matchId").asText())
            .filter(MasterDataGuard.IN::equals)
            .isPresent());
    return doc;
  }

  private ObjectNode match(String id) {
    ObjectNode doc = one(MasterDataSets.MATCHES, id);
    ObjectNode rosters = doc.putObject("rosters");
    ArrayNode home = rosters.putArray("home");
    store.byLookup(MasterDataSets.PLAYERS, doc.path("homeTeam").asText()).forEach(home::add);
    ArrayNode away = rosters.putArray("away");
    store.byLookup(MasterDataSets.PLAYERS, doc.path("awayTeam").asText()).forEach(away::add);
    return doc;
  }

  private static String header(Exchange e, String name) {
    return e.getMessage().getHeader(name, String.class);
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank() || value.length() > 200) {
      throw new ProblemException(
          400,
          "bad-request",
          "Bad request",
          "the parameter " + name + " is required (1-200 characters)");
    }
    return value;
  }

  private static ProblemException notFound(String what, String id) {
    return new ProblemException(
        404, "not-found", "Not found", "no " + what + " " + id + " in the terminal's master data");
  }

  private static void answer(Exchange e, ObjectNode doc) throws Exception {
    HttpHeaders.respondJson(e, 200, Contracts.mapper().writeValueAsString(doc));
  }
}
