package dev.outpost.edge.sync;

import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * GET /api/v1/sync/status/stream: the sync status as server-sent events, for the operator page
 * ({@link SyncStatusStream}).
 */
@Component
public class SyncStatusStreamRoute extends RouteBuilder {
  public static final String URI = "direct:sync-status-stream";

  private final SyncStatusStream stream;

  public SyncStatusStreamRoute(SyncStatusStream stream) {
    this.stream = stream;
  }

  @Override
  public void configure() {
    from(URI)
        .routeId("sync-status-stream")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", HttpHeaders.INBOUND_ALLOWED)
        .id("sync-status-stream-keep-allowed-headers")
        .process(stream::serve)
        .id("sync-status-stream-send-events");
  }
}
