package dev.outpost.edge.export;

import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Violation;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * GET /api/v1/export?day=YYYY-MM-DD or ?from=…&to=… [&zone=Europe/Madrid]: the day file, as an
 * attachment named after the terminal and the range. Reads only the local ledger.
 */
@Component
public class DayExportRoute extends RouteBuilder {
  public static final String URI = "direct:day-export";
  static final String[] QUERY = {"day", "from", "to", "zone"};

  private final DayExporter exporter;
  private final EdgeProperties props;

  public DayExportRoute(DayExporter exporter, EdgeProperties props) {
    this.exporter = exporter;
    this.props = props;
  }

  @Override
  public void configure() {
    String[] allowed =
        Arrays.copyOf(
            HttpHeaders.INBOUND_ALLOWED, HttpHeaders.INBOUND_ALLOWED.length + QUERY.length);
    System.arraycopy(QUERY, 0, allowed, HttpHeaders.INBOUND_ALLOWED.length, QUERY.length);
    from(URI)
        .routeId("day-export")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", allowed)
        .id("day-export-keep-allowed-headers")
        .process(this::export)
        .id("export-signed-day-file");
  }

  private void export(Exchange exchange) throws Exception {
    String day = exchange.getMessage().getHeader("day", String.class);
    LocalDate from =
        date(day != null ? day : exchange.getMessage().getHeader("from", String.class), "from");
    LocalDate to =
        day != null ? from : date(exchange.getMessage().getHeader("to", String.class), "to");
    if (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) >= DayExporter.MAX_DAYS) {
      throw badRequest(
          "/to",
          "to must be on or after from, and the range at most " + DayExporter.MAX_DAYS + " days");
    }
    ZoneId zone = zone(exchange.getMessage().getHeader("zone", String.class));
    String body =
        Contracts.mapper()
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(exporter.export(from, to, zone));
    HttpHeaders.respondJson(exchange, 200, body);
    String name =
        props.terminalId() + "-" + from + (to.equals(from) ? "" : "_" + to) + ".outpost-day.json";
    exchange.getMessage().setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
  }

  private static LocalDate date(String text, String field) throws ProblemException {
    if (text == null || text.isBlank()) {
      throw badRequest("/" + field, "give day=YYYY-MM-DD, or from=YYYY-MM-DD and to=YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeException e) {
      throw badRequest("/" + field, "not a date like 2026-11-23");
    }
  }

  private static ZoneId zone(String text) throws ProblemException {
    if (text == null || text.isBlank()) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw badRequest("/zone", "not a time zone id like Europe/Madrid or UTC");
    }
  }

  private static ProblemException badRequest(String pointer, String message) {
    return new ProblemException(
        400,
        "bad-export-range",
        "Bad export range",
        message,
        List.of(new Violation(pointer, message)));
  }
}
