package dev.outpost.edge.operator;

import dev.outpost.edge.broker.OutboundMonitor;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The operator's forwarding controls: POST /api/v1/sync/pause, /resume and /now. Pausing holds
 * operations in the outbound lane queues (still durable, still accepted from the POS); it lasts
 * until resumed or the terminal restarts.
 */
@Component
public class SyncControlRoute extends RouteBuilder {
  public static final String PAUSE = "direct:sync-control-pause";
  public static final String RESUME = "direct:sync-control-resume";
  public static final String NOW = "direct:sync-control-now";
  private static final Logger LOG = LoggerFactory.getLogger(SyncControlRoute.class);

  private final OutboundMonitor monitor;
  private final ApplicationEventPublisher events;

  public SyncControlRoute(OutboundMonitor monitor, ApplicationEventPublisher events) {
    this.monitor = monitor;
    this.events = events;
  }

  @Override
  public void configure() {
    for (String action : new String[] {"pause", "resume", "now"}) {
      from("direct:sync-control-" + action)
          .routeId("sync-control-" + action)
          .routeConfigurationId(ProblemRouteConfiguration.ID)
          .removeHeaders("*", HttpHeaders.INBOUND_ALLOWED)
          .id("sync-control-" + action + "-keep-allowed-headers")
          .process(e -> control(e, action))
          .id("sync-control-" + action + "-apply");
    }
  }

  private void control(Exchange exchange, String action) throws Exception {
    switch (action) {
      case "pause" -> monitor.pauseForwarding();
      case "resume" -> monitor.resumeForwarding();
      case "now" -> {
        monitor.reconnectNow();
        // Master-data pulls and other syncs listen for this event.
        events.publishEvent(new SyncNowRequested(java.time.Instant.now()));
      }
      default -> throw new IllegalArgumentException("unknown sync action " + action);
    }
    LOG.info("operator: sync {} (forwarding {})", action, monitor.paused() ? "paused" : "running");
    HttpHeaders.respondJson(
        exchange, 200, "{\"action\":\"" + action + "\",\"paused\":" + monitor.paused() + "}");
  }

  /** Published when the operator asks for a sync now. */
  public record SyncNowRequested(java.time.Instant at) {}
}
