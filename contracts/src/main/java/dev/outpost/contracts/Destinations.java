package dev.outpost.contracts;

/**
 * Broker address names shared by edge, central and tests. broker.xml files define them; code builds
 * only the per-terminal ones, from a validated terminal id, never from message content.
 */
public final class Destinations {
  /**
   * Edge: prefix of the durable per-lane queues bridged to central (outpost.outbound.critical,
   * ...).
   */
  public static final String OUTBOUND_PREFIX = "outpost.outbound.";

  /** Central: prefix of each terminal's own inbound address. */
  public static final String OPS_IN_PREFIX = "outpost.ops.in.";

  /** Central: the queue bound to every terminal's inbound address (wildcard routing). */
  public static final String OPS_IN_QUEUE = "outpost.ops.inbound";

  /** Central: dead letters. */
  public static final String OPS_DLQ = "outpost.ops.DLQ";

  /** Central: prefix of each terminal's receipt queue, consumed by that terminal. */
  public static final String RECEIPTS_PREFIX = "outpost.receipts.";

  /** Central: prefix of each terminal's master-data change queue, consumed by that terminal. */
  public static final String MASTERDATA_PREFIX = "outpost.masterdata.";

  /** Message property names on operations and dead letters. */
  public static final String HDR_OPERATION_ID = "operationId";

  public static final String HDR_TERMINAL_ID = "terminalId";
  public static final String HDR_TYPE = "type";
  public static final String HDR_SEQUENCE = "sequence";

  /**
   * Operations: the sequence of the terminal's operation before this one in the same lane (0: none
   * known). Central holds an operation until that one is applied or rejected (per-lane order).
   */
  public static final String HDR_LANE_PREVIOUS = "lanePrevious";

  public static final String HDR_REASON = "reason";
  public static final String HDR_DETAIL = "detail";
  public static final String HDR_ORIGINAL_ADDRESS = "originalAddress";
  public static final String HDR_FAILED_AT = "failedAt";
  public static final String HDR_DELIVERY_COUNT = "deliveryCount";
  public static final String HDR_SOURCE = "source";

  /** Dead letters: when the operation first failed, kept across replays. */
  public static final String HDR_FIRST_FAILED_AT = "firstFailedAt";

  /** Dead letters: how often ops replayed it before this dead letter. */
  public static final String HDR_REPLAY_COUNT = "replayCount";

  private Destinations() {}

  /** Edge: the durable queue of one priority lane. */
  public static String outbound(Lane lane) {
    return OUTBOUND_PREFIX + lane.id();
  }

  public static String opsIn(String terminalId) {
    return OPS_IN_PREFIX + TerminalIds.require(terminalId);
  }

  public static String receipts(String terminalId) {
    return RECEIPTS_PREFIX + TerminalIds.require(terminalId);
  }

  public static String masterData(String terminalId) {
    return MASTERDATA_PREFIX + TerminalIds.require(terminalId);
  }
}
