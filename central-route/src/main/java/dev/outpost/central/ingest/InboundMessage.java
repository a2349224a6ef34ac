package dev.outpost.central.ingest;

import dev.outpost.support.FeaturePort;

/**
 * One operation message as central received it, independent of JMS, so the same ingest path serves
 * the bridge, day-file imports and dead-letter replays.
 *
 * @param body the envelope JSON exactly as received (kept verbatim for the DLQ)
 * @param address the broker address it was sent to, e.g. {@code outpost.ops.in.bar-1}
 * @param validatedUser the user the broker authenticated, or null when security is off
 * @param deliveryCount how often the broker has delivered it (1 = first time)
 * @param source bridge, import or replay
 * @param notText why the broker message's body is no text, so no operation (its bytes are in {@code
 *     body} as UTF-8 for the dead letter); null for a text message
 * @param lane where a bridged message stands in its terminal's lane; null for imports and replays
 */
@FeaturePort
public record InboundMessage(
    String body,
    String address,
    String validatedUser,
    int deliveryCount,
    String source,
    String notText,
    LanePosition lane) {
  /** A message whose body is text (every import and replay, and what bridges send). */
  public InboundMessage(
      String body, String address, String validatedUser, int deliveryCount, String source) {
    this(body, address, validatedUser, deliveryCount, source, null, null);
  }

  /**
   * A bridged message's place in its lane, from the terminal's headers: its message group ({@code
   * <terminal>:<lane>}), its sequence and the sequence before it in that lane (0: none known).
   */
  public record LanePosition(String group, long sequence, long previous) {}
}
