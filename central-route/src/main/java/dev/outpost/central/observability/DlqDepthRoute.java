package dev.outpost.central.observability;

import dev.outpost.central.config.CentralErrorPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Samples the DLQ depth per reason for Prometheus every few seconds. */
@Component
public class DlqDepthRoute extends RouteBuilder {
  static final String TIMER =
      "timer:dlq-depth?delay=5000&period={{outpost.metrics.dlq-sample-ms:15000}}";

  private final DlqDepth dlq;

  public DlqDepthRoute(ConnectionFactory connectionFactory, MeterRegistry registry) {
    this.dlq = new DlqDepth(connectionFactory, registry);
  }

  @Override
  public void configure() {
    // A broker that is away only leaves the last sample in place; the next tick tries again.
    from(TIMER)
        .routeId("dlq-depth-sampler")
        .routeConfigurationId(CentralErrorPolicy.ID)
        .bean(dlq, "sample")
        .id("sample-dlq-depth-per-reason");
  }
}
