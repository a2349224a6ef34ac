package dev.outpost.edge.broker;

import dev.outpost.broker.EdgeBridge;
import dev.outpost.broker.EmbeddedBroker;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Lane;
import dev.outpost.support.FeaturePort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.cluster.Bridge;

/**
 * The terminal's per-lane outbound queues and their bridges, for the sync status and the operator.
 */
@FeaturePort
public class OutboundMonitor {
  private final EmbeddedBroker broker;
  private final java.util.concurrent.atomic.AtomicBoolean paused =
      new java.util.concurrent.atomic.AtomicBoolean();

  public OutboundMonitor(EmbeddedBroker broker) {
    this.broker = broker;
  }

  /** True while every lane's core bridge holds a live connection to central. */
  public boolean bridgeConnected() {
    for (Bridge bridge : bridges()) {
      if (bridge == null || !bridge.isConnected()) {
        return false;
      }
    }
    return true;
  }

  /** Messages waiting in the outbound lanes (in memory and paged). */
  public long queued() {
    return sum(Queue::getMessageCount);
  }

  /** Messages waiting per lane, e.g. {critical=0, normal=3, bulk=1200}. */
  public Map<String, Long> queuedByLane() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Lane lane : Lane.values()) {
      Queue q = outbound(lane);
      out.put(lane.id(), q == null ? 0 : q.getMessageCount());
    }
    return out;
  }

  /** Messages central has confirmed to the bridges since this broker started. */
  public long forwarded() {
    return sum(Queue::getMessagesAcknowledged);
  }

  /** Bytes of the messages waiting in the outbound lanes (journal and paging). */
  public long queuedBytes() {
    return sum(Queue::getPersistentSize);
  }

  private long sum(ToLongFunction<Queue> f) {
    long total = 0;
    for (Lane lane : Lane.values()) {
      Queue q = outbound(lane);
      total += q == null ? 0 : f.applyAsLong(q);
    }
    return total;
  }

  private List<Bridge> bridges() {
    List<Bridge> out = new ArrayList<>();
    for (Lane lane : Lane.values()) {
      out.add(broker.bridge(EdgeBridge.name(lane)));
    }
    return out;
  }

  /**
   * True while the operator holds forwarding (until resumed or the terminal restarts).
   *
   * <p>Holding stops the bridge rather than pausing it: Artemis 2.44's {@code Bridge.resume()}
   * re-adds the consumer but leaves the bridge in state PAUSED, so it never forwards again.
   * Messages in flight when it stops stay in their lane queue and are sent again (central is
   * idempotent). While held the terminal reports offline: nothing is connected.
   */
  public boolean paused() {
    return paused.get();
  }

  public synchronized void pauseForwarding() throws Exception {
    if (!paused.get()) {
      paused.set(true);
      for (Bridge bridge : bridges()) {
        bridge.stop();
        // stop() finishes on the bridge's executor; a start() before that fails (state STOPPING).
        bridge.flushExecutor();
      }
    }
  }

  public synchronized void resumeForwarding() throws Exception {
    if (paused.get()) {
      for (Bridge bridge : bridges()) {
        bridge.start();
      }
      paused.set(false);
    }
  }

  /**
   * Drops the bridge's connection so it dials central again at once instead of waiting out its
   * retry back-off; nothing is lost, unacknowledged messages stay in their lane queue.
   */
  public synchronized void reconnectNow() throws Exception {
    if (paused()) {
      return;
    }
    for (Bridge bridge : bridges()) {
      if (bridge != null && !bridge.isConnected()) {
        bridge.stop();
        bridge.flushExecutor();
        bridge.start();
      }
    }
  }

  private Queue outbound(Lane lane) {
    return broker.server().locateQueue(SimpleString.of(Destinations.outbound(lane)));
  }
}
