package dev.outpost.broker;

import dev.outpost.contracts.Lane;

/** Names fixed by edge/broker.xml that the edge app refers to. */
public final class EdgeBridge {
  private EdgeBridge() {}

  /** The core bridge that forwards one lane's queue (outpost.outbound.&lt;lane&gt;) to central. */
  public static String name(Lane lane) {
    return "outbound-" + lane.id() + "-to-central";
  }
}
