package dev.outpost.edge.sync;

import dev.outpost.edge.broker.OutboundMonitor;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Notices when the bridge forwards: the outbound queue's acknowledged count grows only when central
 * confirmed messages to the bridge.
 */
@Component
public class ForwardTracker {
  private final OutboundMonitor monitor;
  private final AtomicLong lastSeen = new AtomicLong();
  private final AtomicReference<Instant> lastForwardedAt = new AtomicReference<>();

  public ForwardTracker(OutboundMonitor monitor) {
    this.monitor = monitor;
  }

  public void poll() {
    long now = monitor.forwarded();
    if (now > lastSeen.getAndSet(now)) {
      lastForwardedAt.set(Instant.now());
    }
  }

  public Instant lastForwardedAt() {
    return lastForwardedAt.get();
  }
}
