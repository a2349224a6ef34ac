package dev.outpost.edge.ledger;

import java.time.Duration;
import java.time.Instant;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps the terminal's disk from growing forever: ACCEPTED ledger rows older than {@code
 * outpost.ledger.retention} are purged (central holds them; a day export of that age is no longer
 * expected). Rows still pending or rejected stay whatever their age.
 */
@Component
public class LedgerRetentionRoute extends RouteBuilder {
  static final String TIMER =
      "timer:ledger-retention?delay={{outpost.ledger.retention-first-run-ms:60000}}"
          + "&period={{outpost.ledger.retention-check-ms:3600000}}";
  private static final Logger LOG = LoggerFactory.getLogger(LedgerRetentionRoute.class);

  private final LedgerStore store;
  private final Duration retention;

  public LedgerRetentionRoute(
      LedgerStore store, @Value("${outpost.ledger.retention:30d}") Duration retention) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalStateException(
          "outpost.ledger.retention (OUTPOST_LEDGER_RETENTION) must be positive, got " + retention);
    }
    this.store = store;
    this.retention = retention;
  }

  @Override
  public void configure() {
    from(TIMER)
        .routeId("ledger-retention")
        .process(e -> purge())
        .id("purge-accepted-past-retention");
  }

  int purge() {
    Instant before = Instant.now().minus(retention);
    int n = store.purgeAccepted(before);
    if (n > 0) {
      LOG.info("ledger retention: purged {} accepted operations received before {}", n, before);
    }
    return n;
  }
}
