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

  public void pauseForwarding() throws Exception {
    broker.bridge(EdgeBridge.NAME).pause();
  }

  public void resumeForwarding() throws Exception {
    broker.bridge(EdgeBridge.NAME).resume();
  }

  private Queue outbound() {
    return broker.server().locateQueue(SimpleString.of(Destinations.OUTBOUND));
  }
}
