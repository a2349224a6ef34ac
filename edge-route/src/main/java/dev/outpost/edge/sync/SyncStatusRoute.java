package dev.outpost.edge.sync;

import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** GET /api/v1/sync/status: is the terminal online, what is pending, what central refused. */
@Component
public class SyncStatusRoute extends RouteBuilder {
  public static final String URI = "direct:sync-status";

  private final SyncStatusDocument document;

  public SyncStatusRoute(SyncStatusDocument document) {
    this.document = document;
  }

  @Override
  public void configure() {
    from(URI)
        .routeId("sync-status")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", HttpHeaders.INBOUND_ALLOWED)
        .id("sync-status-keep-allowed-headers")
        .process(e -> HttpHeaders.respondJson(e, 200, document.json()))
        .id("sync-status-answer");
  }
}
