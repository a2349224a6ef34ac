package dev.outpost.edge.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Violation;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.edge.ledger.LedgerPage;
import dev.outpost.edge.ledger.LedgerQuery;
import dev.outpost.edge.ledger.LedgerStatus;
import dev.outpost.edge.ledger.LedgerStore;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * GET /api/v1/operations?status=&from=&to=&zone=&offset=&limit=: the ledger in sequence order, one
 * page at a time, so a POS reconciles a day without one lookup per sale. {@code from} and {@code
 * to} are instants with an offset or dates (a date {@code to} includes its whole day, in {@code
 * zone}, default UTC), compared with occurredAt; {@code to} as an instant is exclusive.
 */
@Component
public class OperationListRoute extends RouteBuilder {
  public static final String URI = "direct:operation-list";
  static final String[] QUERY = {"status", "from", "to", "zone", "offset", "limit"};

  private final LedgerStore store;

  public OperationListRoute(LedgerStore store) {
    this.store = store;
  }

  @Override
  public void configure() {
    from(URI)
        .routeId("operation-list")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", HttpHeaders.inboundAllowedPlus(QUERY))
        .id("operation-list-keep-allowed-headers")
        .process(this::list)
        .id("operation-list-answer");
  }

  private void list(Exchange exchange) throws Exception {
    List<Violation> bad = new ArrayList<>();
    LedgerStatus status = status(param(exchange, "status"), bad);
    ZoneId zone = zone(param(exchange, "zone"), bad);
    Instant from = bound(param(exchange, "from"), "from", zone, false, bad);
    Instant to = bound(param(exchange, "to"), "to", zone, true, bad);
    int offset = number(param(exchange, "offset"), "offset", 0, 0, Integer.MAX_VALUE, bad);
    int limit =
        number(
            param(exchange, "limit"),
            "limit",
            LedgerQuery.DEFAULT_LIMIT,
            1,
            LedgerQuery.MAX_LIMIT,
            bad);
    if (from != null && to != null && to.isBefore(from)) {
      bad.add(new Violation("/to", "to must not be before from"));
    }
    if (!bad.isEmpty()) {
      throw new ProblemException(
          400, "bad-query", "Bad query", bad.size() + " query parameter(s) are not valid", bad);
    }
    LedgerPage page = store.page(new LedgerQuery(status, from, to, offset, limit));
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("offset", offset);
    doc.put("limit", limit);
    doc.put("count", page.entries().size());
    if (page.more()) {
      doc.put("nextOffset", offset + page.entries().size());
    } else {
      doc.putNull("nextOffset");
    }
    ArrayNode items = doc.putArray("items");
    for (LedgerEntry e : page.entries()) {
      items.add(LedgerJson.of(e));
    }
    HttpHeaders.respondJson(exchange, 200, Contracts.mapper().writeValueAsString(doc));
  }

  private static String param(Exchange exchange, String name) {
    String v = exchange.getMessage().getHeader(name, String.class);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static LedgerStatus status(String text, List<Violation> bad) {
    if (text == null) {
      return null;
    }
    try {
      return LedgerStatus.valueOf(text);
    } catch (IllegalArgumentException e) {
      bad.add(new Violation("/status", "one of " + Arrays.toString(LedgerStatus.values())));
      return null;
    }
  }

  private static ZoneId zone(String text, List<Violation> bad) {
    if (text == null) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      bad.add(new Violation("/zone", "not a time zone id like Europe/Madrid or UTC"));
      return ZoneId.of("UTC");
    }
  }

  /** An instant with offset, or a date: its start (from) or the start of the next day (to). */
  private static Instant bound(
      String text, String name, ZoneId zone, boolean end, List<Violation> bad) {
    if (text == null) {
      return null;
    }
    try {
      if (text.length() == 10) {
        LocalDate day = LocalDate.parse(text);
        return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      bad.add(
          new Violation(
              "/" + name, "a date like 2026-11-23 or an instant like 2026-11-23T21:15:00Z"));
      return null;
    }
  }

  private static int number(
      String text, String name, int absent, int min, int max, List<Violation> bad) {
    if (text == null) {
      return absent;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    bad.add(new Violation("/" + name, "a whole number from " + min + " to " + max));
    return absent;
  }
}
