package dev.outpost.edge.http;

import dev.outpost.edge.export.DayExportRoute;
import dev.outpost.edge.export.TerminalKeyRoute;
import dev.outpost.edge.ingest.IngestRoute;
import dev.outpost.edge.ingest.OperationLookupRoute;
import dev.outpost.edge.sync.SyncStatusRoute;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.springframework.stereotype.Component;

/** The terminal's HTTP API (contracts' OpenAPI document describes it). */
@Component
public class RestApiRoute extends RouteBuilder {
  public static final String BASE = "/api/v1";

  @Override
  public void configure() {
    // JSON in and out is handled by the routes with Contracts.mapper().
    restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

    rest(BASE)
        .post("/operations").id("rest-post-operation").to(IngestRoute.URI)
        .get("/operations/{id}").id("rest-get-operation").to(OperationLookupRoute.URI)
        .get("/sync/status").id("rest-sync-status").to(SyncStatusRoute.URI)
        .get("/export").id("rest-day-export").to(DayExportRoute.URI)
        .get("/terminal/key").id("rest-terminal-key").to(TerminalKeyRoute.URI);
  }
}
