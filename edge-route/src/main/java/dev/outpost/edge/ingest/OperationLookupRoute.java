package dev.outpost.edge.ingest;

import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Violation;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.edge.ledger.LedgerStore;
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
    from(URI)
        .routeId("operation-lookup")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", HttpHeaders.inboundAllowedPlus(ID_HEADER))
        .id("operation-lookup-keep-allowed-headers")
        .process(this::lookup)
        .id("operation-lookup-answer");
  }

  private void lookup(Exchange exchange) throws Exception {
    String id = exchange.getMessage().getHeader(ID_HEADER, String.class);
    if (!OperationIds.isCanonical(id)) {
      throw new ProblemException(
          400,
          "bad-operation-id",
          "Malformed operation id",
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
                        404,
                        "unknown-operation",
                        "Unknown operation",
                        "This terminal has no operation " + normalized));
    HttpHeaders.respondJson(exchange, 200, Contracts.mapper().writeValueAsString(LedgerJson.of(e)));
  }
}
