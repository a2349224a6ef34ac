package dev.outpost.edge.observability;

import dev.outpost.edge.broker.OutboundMonitor;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.ledger.LedgerCounts;
import dev.outpost.edge.ledger.LedgerStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * The terminal's sync state as Prometheus metrics ({@code /actuator/prometheus}): ledger counts,
 * outbound backlog, forwarded messages, bridge connection and pause. Ledger counts are one Derby
 * query, cached for a second so a scrape does not run it once per meter.
 */
@Component
public class EdgeMetrics implements MeterBinder {
  private static final Duration CACHE = Duration.ofSeconds(1);

  private final LedgerStore store;
  private final OutboundMonitor monitor;
  private final Tags tags;
  private volatile LedgerCounts counts = new LedgerCounts(0, 0, 0, 0);
  private volatile Instant countsAt = Instant.EPOCH;

  public EdgeMetrics(LedgerStore store, OutboundMonitor monitor, EdgeProperties props) {
    this.store = store;
    this.monitor = monitor;
    this.tags = Tags.of("terminal", props.terminalId());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    ledgerGauge(
        registry,
        "outpost.edge.pending",
        "operations recorded and not yet confirmed by central",
        LedgerCounts::queued);
    // Gauges, not counters: retention purges old accepted rows, so these can go down.
    ledgerGauge(
        registry,
        "outpost.edge.accepted",
        "ledger operations central accepted (current ledger)",
        LedgerCounts::accepted);
    ledgerGauge(
        registry,
        "outpost.edge.flagged",
        "ledger operations central applied and flagged for review",
        LedgerCounts::flagged);
    ledgerGauge(
        registry,
        "outpost.edge.rejected",
        "ledger operations central rejected (current ledger)",
        LedgerCounts::rejected);
    Gauge.builder("outpost.edge.outbound.messages", monitor, OutboundMonitor::queued)
        .description("messages waiting in the outbound lanes")
        .tags(tags)
        .register(registry);
    Gauge.builder("outpost.edge.outbound.bytes", monitor, OutboundMonitor::queuedBytes)
        .description("bytes waiting in the outbound lanes")
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder("outpost.edge.forwarded", monitor, OutboundMonitor::forwarded)
        .description("messages central confirmed to the bridge since start")
        .tags(tags)
        .register(registry);
    Gauge.builder("outpost.edge.bridge.connected", monitor, m -> m.bridgeConnected() ? 1 : 0)
        .description("1 while the bridge holds a connection to central")
        .tags(tags)
        .register(registry);
    Gauge.builder("outpost.edge.forwarding.paused", monitor, m -> m.paused() ? 1 : 0)
        .description("1 while the operator holds forwarding")
        .tags(tags)
        .register(registry);
  }

  private void ledgerGauge(
      MeterRegistry r, String name, String help, ToDoubleFunction<LedgerCounts> f) {
    Gauge.builder(name, this, m -> f.applyAsDouble(m.counts()))
        .description(help)
        .tags(tags)
        .register(r);
  }

  private LedgerCounts counts() {
    if (Instant.now().isAfter(countsAt.plus(CACHE))) {
      synchronized (this) {
        if (Instant.now().isAfter(countsAt.plus(CACHE))) {
          counts = store.counts();
          countsAt = Instant.now();
        }
      }
    }
    return counts;
  }
}
