package dev.outpost.edge.http;

import dev.outpost.edge.export.DayExportRoute;
import dev.outpost.edge.export.TerminalKeyRoute;
import dev.outpost.edge.ingest.IngestRoute;
import dev.outpost.edge.ingest.OperationListRoute;
import dev.outpost.edge.ingest.OperationLookupRoute;
import dev.outpost.edge.masterdata.MasterDataReadRoute;
import dev.outpost.edge.masterdata.OperatorSignInRoute;
import dev.outpost.edge.operator.SyncControlRoute;
import dev.outpost.edge.sync.SyncStatusRoute;
import dev.outpost.edge.sync.SyncStatusStreamRoute;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.springframework.stereotype.Component;

/**
 * The terminal's whole HTTP API, in one place: every {@code rest()} verb of the edge is declared
 * here and hands over to a {@code direct:} route of its feature, which strips headers to its
 * allow-list and answers. The contracts' OpenAPI document ({@code openapi/edge-api.yaml}, served at
 * {@code GET /api/v1/openapi.yaml}) describes exactly these; {@code OpenApiContractTest} fails when
 * the two differ.
 */
@Component
public class RestApiRoute extends RouteBuilder {
  public static final String BASE = "/api/v1";

  @Override
  public void configure() {
    // JSON in and out is handled by the routes with Contracts.mapper().
    restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

    // ingest: record and look up operations
    rest(BASE)
        .post("/operations")
        .id("rest-post-operation")
        .to(IngestRoute.URI)
        .get("/operations")
        .id("rest-list-operations")
        .to(OperationListRoute.URI)
        .get("/operations/{id}")
        .id("rest-get-operation")
        .to(OperationLookupRoute.URI);

    // sync and operator: status and forwarding controls
    rest(BASE)
        .get("/sync/status")
        .id("rest-sync-status")
        .to(SyncStatusRoute.URI)
        .get("/sync/status/stream")
        .id("rest-sync-status-stream")
        .to(SyncStatusStreamRoute.URI)
        .post("/sync/pause")
        .id("rest-sync-pause")
        .to(SyncControlRoute.PAUSE)
        .post("/sync/resume")
        .id("rest-sync-resume")
        .to(SyncControlRoute.RESUME)
        .post("/sync/now")
        .id("rest-sync-now")
        .to(SyncControlRoute.NOW);

    // export: the day file and the key it is signed with
    rest(BASE)
        .get("/export")
        .id("rest-day-export")
        .to(DayExportRoute.URI)
        .get("/terminal/key")
        .id("rest-terminal-key")
        .to(TerminalKeyRoute.URI);

    // masterdata: offline reads, sync now, checksums, staff sign-in
    rest(BASE)
        .get("/catalog")
        .id("rest-md-catalog")
        .to(MasterDataReadRoute.CATALOG)
        .get("/ticket-types")
        .id("rest-md-ticket-types")
        .to(MasterDataReadRoute.TICKET_TYPES)
        .get("/members/{id}")
        .id("rest-md-member")
        .to(MasterDataReadRoute.MEMBER)
        .get("/visits")
        .id("rest-md-visit")
        .to(MasterDataReadRoute.VISIT)
        .get("/accreditations/{qr}")
        .id("rest-md-accreditation")
        .to(MasterDataReadRoute.ACCREDITATION)
        .get("/matches/{id}")
        .id("rest-md-match")
        .to(MasterDataReadRoute.MATCH)
        .post("/masterdata/sync")
        .id("rest-md-sync-now")
        .to(MasterDataReadRoute.SYNC_NOW)
        .get("/masterdata/checksums")
        .id("rest-md-checksums")
        .to(MasterDataReadRoute.CHECKSUMS)
        .post("/operators/sign-in")
        .id("rest-operator-sign-in")
        .to(OperatorSignInRoute.SIGN_IN)
        .delete("/operators/{id}/lockout")
        .id("rest-operator-lift-lockout")
        .to(OperatorSignInRoute.LIFT_LOCKOUT);

    // the API's own description
    rest(BASE)
        .get("/openapi.yaml")
        .id("rest-openapi-yaml")
        .to(ApiDocumentRoute.YAML)
        .get("/openapi.json")
        .id("rest-openapi-json")
        .to(ApiDocumentRoute.JSON);
  }
}
