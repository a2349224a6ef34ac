package dev.outpost.edge.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * POST /api/v1/operations: parse and validate, record and send through the serialized {@link
 * LedgerAppendRoute}, mark the row queued, answer 202.
 */
@Component
public class IngestRoute extends RouteBuilder {
  public static final String URI = "direct:ingest";

  private final SubmissionParser parser;
  private final LedgerAppender appender;
  private final DiskGuard disk;

  public IngestRoute(SubmissionParser parser, LedgerAppender appender, DiskGuard disk) {
    this.parser = parser;
    this.appender = appender;
    this.disk = disk;
  }

  @Override
  public void configure() {
    from(URI)
        .routeId("ingest")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", HttpHeaders.INBOUND_ALLOWED)
        .process(parser)
        .process(e -> disk.requireSpace())
        .to(LedgerAppendRoute.URI)
        .filter(LedgerAppendRoute.IS_NEWLY_RECORDED)
        .bean(appender, "markQueued")
        .end()
        .process(IngestRoute::accepted);
  }

  private static void accepted(Exchange exchange) throws Exception {
    IngestResult result = exchange.getMessage().getMandatoryBody(IngestResult.class);
    ObjectNode answer = Contracts.mapper().createObjectNode();
    answer.put("operationId", result.entry().operationId());
    answer.put("sequence", result.entry().sequence());
    answer.put("status", result.entry().status().name());
    HttpHeaders.respondJson(exchange, 202, Contracts.mapper().writeValueAsString(answer));
  }
}
