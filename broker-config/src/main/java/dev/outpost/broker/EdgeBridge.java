package dev.outpost.broker;

/** Names fixed by edge/broker.xml that the edge app refers to. */
public final class EdgeBridge {
  /** The core bridge that forwards outpost.outbound to central. */
  public static final String NAME = "outbound-to-central";

  private EdgeBridge() {}
}
