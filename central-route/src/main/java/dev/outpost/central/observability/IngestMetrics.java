package dev.outpost.central.observability;

import dev.outpost.central.ingest.IngestResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

/**
 * Ingest metrics taken from the outside of the {@code central-ingest-batch} route (every source:
 * bridge, import, replay): batch duration, operations by outcome and source (their rate is the
 * ingest rate), and failed batches (transient errors, retried by the caller: the error rate).
 */
@Component
public class IngestMetrics extends EventNotifierSupport {
  static final String ROUTE = "central-ingest-batch";

  private final MeterRegistry registry;
  private final Timer batchDuration;
  private final Counter failedBatches;

  public IngestMetrics(MeterRegistry registry, CamelContext camel) {
    this.registry = registry;
    this.batchDuration =
        Timer.builder("outpost.central.ingest.batch.duration")
            .description("time to apply one batch in one PostgreSQL transaction")
            .publishPercentileHistogram()
            .register(registry);
    this.failedBatches =
        Counter.builder("outpost.central.ingest.batch.failures")
            .description(
                "batches that failed (transient: database or broker away; retried, never dead-lettered)")
            .register(registry);
    setIgnoreCamelContextEvents(true);
    setIgnoreRouteEvents(true);
    setIgnoreServiceEvents(true);
    setIgnoreStepEvents(true);
    setIgnoreExchangeCreatedEvent(true);
    setIgnoreExchangeSendingEvents(true);
    setIgnoreExchangeSentEvents(true);
    setIgnoreExchangeRedeliveryEvents(true);
    camel.getManagementStrategy().addEventNotifier(this);
  }

  @Override
  public boolean isEnabled(CamelEvent event) {
    return (event instanceof CamelEvent.ExchangeCompletedEvent
            || event instanceof CamelEvent.ExchangeFailedEvent)
        && ROUTE.equals(((CamelEvent.ExchangeEvent) event).getExchange().getFromRouteId());
  }

  @Override
  public void notify(CamelEvent event) {
    Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
    long started = exchange.getClock().getCreated();
    batchDuration.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - started)));
    if (event instanceof CamelEvent.ExchangeFailedEvent || exchange.isFailed()) {
      failedBatches.increment();
      return;
    }
    if (event instanceof CamelEvent.ExchangeCompletedEvent
        && exchange.getMessage().getBody() instanceof List<?> results) {
      for (Object o : results) {
        if (o instanceof IngestResult r) {
          String outcome =
              r.rejected()
                  ? "REJECTED"
                  : r.receipt() == null ? "UNKNOWN" : r.receipt().outcome().name();
          String source =
              r.message() == null || r.message().source() == null ? "bridge" : r.message().source();
          registry
              .counter("outpost.central.ingest.operations", "outcome", outcome, "source", source)
              .increment();
        }
      }
    }
  }
}
