package dev.outpost.edge.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * POST /api/v1/operations: parse and validate, record and queue through the serialized {@link
 * AppendStage}, answer 202.
 */
@Component
public class IngestRoute extends RouteBuilder {
  public static final String URI = "direct:ingest";

  private final SubmissionParser parser;
  private final AppendStage appendStage;
  private final DiskGuard disk;

  public IngestRoute(SubmissionParser parser, AppendStage appendStage, DiskGuard disk) {
    this.parser = parser;
    this.appendStage = appendStage;
    this.disk = disk;
  }

  @Override
  public void configure() {
    from(URI)
        .routeId("ingest")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", HttpHeaders.INBOUND_ALLOWED)
        .id("ingest-keep-allowed-headers")
        .process(parser)
        .id("parse-submission")
        .process(e -> disk.requireSpace())
        .id("guard-disk-space")
        // The append stage checks master data (the features' guards), records in the ledger and
        // queues, together with whatever other submissions wait at that moment (group commit).
        .bean(appendStage, "record")
        .id("append-to-ledger-and-queue")
        .process(IngestRoute::accepted)
        .id("answer-202");
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
