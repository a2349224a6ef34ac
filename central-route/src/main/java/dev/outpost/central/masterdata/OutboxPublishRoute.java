package dev.outpost.central.masterdata;

import dev.outpost.central.config.CentralErrorPolicy;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Polls the master-data outbox and publishes what it holds. A failure (broker or database away)
 * leaves the rows in the outbox for the next tick: changes are delayed, never lost.
 */
@Component
public class OutboxPublishRoute extends RouteBuilder {
  static final String TIMER =
      "timer:masterdata-outbox?period={{outpost.masterdata.publish-interval-ms:500}}&delay=2000";

  private final OutboxPublisher publisher;

  public OutboxPublishRoute(OutboxPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void configure() {
    from(TIMER)
        .routeId("masterdata-outbox-publish")
        .routeConfigurationId(CentralErrorPolicy.ID)
        // Drain while batches come back full, so a burst of changes does not wait a tick per batch.
        .loopDoWhile(
            e -> {
              Integer last = e.getProperty("outpost.published", Integer.class);
              return last == null || last >= publisher.batchSize();
            })
        .id("drain-while-batches-full")
        .process(e -> e.setProperty("outpost.published", publisher.publishBatch()))
        .id("publish-outbox-batch")
        .end();
  }
}
