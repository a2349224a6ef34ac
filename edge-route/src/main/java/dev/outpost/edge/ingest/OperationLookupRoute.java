package dev.outpost.edge.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Violation;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.edge.ledger.LedgerStore;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** GET /api/v1/operations/{id}: one ledger row and where it stands. */
@Component
public class OperationLookupRoute extends RouteBuilder {
  public static final String URI = "direct:operation-lookup";
  static final String ID_HEADER = "id";

  private final LedgerStore store;

  public OperationLookupRoute(LedgerStore store) {
    this.store = store;
  }

  @Override
  public void configure() {
    String[] allowed = new String[HttpHeaders.INBOUND_ALLOWED.length + 1];
    System.arraycopy(HttpHeaders.INBOUND_ALLOWED, 0, allowed, 0, HttpHeaders.INBOUND_ALLOWED.length);
    allowed[allowed.length - 1] = ID_HEADER;

    from(URI)
        .routeId("operation-lookup")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", allowed)
        .process(this::lookup);
  }

  private void lookup(Exchange exchange) throws Exception {
    String id = exchange.getMessage().getHeader(ID_HEADER, String.class);
    if (!OperationIds.isCanonical(id)) {
      throw new ProblemException(
          400, "bad-operation-id", "Malformed operation id",
          "An operation id is a UUID like 0193a1f0-7c2e-7a10-8b00-000000000001",
          List.of(new Violation("/operationId", "not a UUID")));
    }
    String normalized = OperationIds.normalize(id);
    LedgerEntry e =
        store
            .find(normalized)
            .orElseThrow(
                () ->
                    new ProblemException(
                        404, "unknown-operation", "Unknown operation",
                        "This terminal has no operation " + normalized));
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("operationId", e.operationId());
    doc.put("sequence", e.sequence());
    doc.put("type", e.type());
    doc.put("schemaVersion", e.schemaVersion());
    doc.put("occurredAt", e.occurredAt());
    doc.put("status", e.status().name());
    doc.put("reason", e.reason());
    doc.put("detail", e.detail());
    doc.put("receivedAt", text(e.receivedAt()));
    doc.put("queuedAt", text(e.queuedAt()));
    doc.put("receiptAt", text(e.receiptAt()));
    doc.set("payload", Contracts.mapper().readTree(e.envelopeJson()).get("payload"));
    HttpHeaders.respondJson(exchange, 200, Contracts.mapper().writeValueAsString(doc));
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }
}
