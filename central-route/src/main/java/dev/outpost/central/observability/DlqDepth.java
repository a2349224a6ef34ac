package dev.outpost.central.observability;

import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.RejectReason;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dead letters waiting in {@code outpost.ops.DLQ}, per reason header, as the gauge {@code
 * outpost.central.dlq.depth{reason}}. Counted by browsing the queue (works for the embedded and an
 * external broker alike); a message without a reason (the broker's own max-delivery-attempts)
 * counts as POISON.
 */
public class DlqDepth {
  /** Browsing stops here; the gauges then read "at least". */
  static final int BROWSE_LIMIT = 100_000;

  private final ConnectionFactory connectionFactory;
  private final Map<RejectReason, AtomicLong> depth = new EnumMap<>(RejectReason.class);

  public DlqDepth(ConnectionFactory connectionFactory, MeterRegistry registry) {
    this.connectionFactory = connectionFactory;
    for (RejectReason r : RejectReason.values()) {
      AtomicLong n = new AtomicLong();
      depth.put(r, n);
      Gauge.builder("outpost.central.dlq.depth", n, AtomicLong::get)
          .description("dead letters waiting in " + Destinations.OPS_DLQ + " by reason")
          .tag("reason", r.name())
          .register(registry);
    }
  }

  /** Browses the DLQ once and updates the gauges. */
  public void sample() throws Exception {
    Map<RejectReason, Long> counts = new EnumMap<>(RejectReason.class);
    try (Connection c = connectionFactory.createConnection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      c.start();
      try (QueueBrowser browser = s.createBrowser(s.createQueue(Destinations.OPS_DLQ))) {
        Enumeration<?> e = browser.getEnumeration();
        int seen = 0;
        while (e.hasMoreElements() && seen++ < BROWSE_LIMIT) {
          counts.merge(reason((Message) e.nextElement()), 1L, Long::sum);
        }
      }
    }
    depth.forEach((r, n) -> n.set(counts.getOrDefault(r, 0L)));
  }

  private static RejectReason reason(Message m) throws Exception {
    String r = m.getStringProperty(Destinations.HDR_REASON);
    if (r == null) {
      return RejectReason.POISON;
    }
    try {
      return RejectReason.valueOf(r);
    } catch (IllegalArgumentException e) {
      return RejectReason.POISON;
    }
  }
}
