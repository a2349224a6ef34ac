package dev.outpost.edge.broker;

import dev.outpost.broker.EdgeBridge;
import dev.outpost.broker.EmbeddedBroker;
import dev.outpost.contracts.Destinations;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.cluster.Bridge;

/** Read-only view of the outbound queue and the bridge, for the sync status. */
public class OutboundMonitor {
  private final EmbeddedBroker broker;
  private final java.util.concurrent.atomic.AtomicBoolean paused = new java.util.concurrent.atomic.AtomicBoolean();

  public OutboundMonitor(EmbeddedBroker broker) {
    this.broker = broker;
  }

  /** True while the core bridge holds a live connection to central. */
  public boolean bridgeConnected() {
    Bridge bridge = broker.bridge(EdgeBridge.NAME);
    return bridge != null && bridge.isConnected();
  }

  /** Messages waiting in outpost.outbound (in memory and paged). */
  public long queued() {
    Queue q = outbound();
    return q == null ? 0 : q.getMessageCount();
  }

  /** Messages central has confirmed to the bridge since this broker started. */
  public long forwarded() {
    Queue q = outbound();
    return q == null ? 0 : q.getMessagesAcknowledged();
  }

  /** Bytes of the messages waiting in outpost.outbound (journal and paging). */
  public long queuedBytes() {
    Queue q = outbound();
    return q == null ? 0 : q.getPersistentSize();
  }

  /**
   * True while the operator holds forwarding (until resumed or the terminal restarts).
   *
   * <p>Holding stops the bridge rather than pausing it: Artemis 2.44's {@code Bridge.resume()}
   * re-adds the consumer but leaves the bridge in state PAUSED, so it never forwards again.
   * Messages in flight when it stops stay in outpost.outbound and are sent again (central is
   * idempotent). While held the terminal reports offline: nothing is connected.
   */
  public boolean paused() {
    return paused.get();
  }

  public synchronized void pauseForwarding() throws Exception {
    if (!paused.get()) {
      paused.set(true);
      broker.bridge(EdgeBridge.NAME).stop();
    }
  }

  public synchronized void resumeForwarding() throws Exception {
    if (paused.get()) {
      broker.bridge(EdgeBridge.NAME).start();
      paused.set(false);
    }
  }

  /**
   * Drops the bridge's connection so it dials central again at once instead of waiting out its
   * retry back-off; nothing is lost, unacknowledged messages stay in outpost.outbound.
   */
  public synchronized void reconnectNow() throws Exception {
    Bridge bridge = broker.bridge(EdgeBridge.NAME);
    if (bridge != null && !paused() && !bridge.isConnected()) {
      bridge.stop();
      bridge.start();
    }
  }

  private Queue outbound() {
    return broker.server().locateQueue(SimpleString.of(Destinations.OUTBOUND));
  }
}
