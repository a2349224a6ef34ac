package dev.outpost.contracts;

/**
 * Priority lanes: each lane is queued, forwarded and applied in its own order, so a long backlog of
 * bulk changes never delays a sale or a gate scan. Order is guaranteed per terminal within a lane
 * (and per entity always, since an entity's types share a lane).
 */
public enum Lane {
  CRITICAL(9),
  NORMAL(4),
  BULK(1);

  /** JMS priority given to the lane's messages, so brokers also deliver critical ones first. */
  public final int jmsPriority;

  Lane(int jmsPriority) {
    this.jmsPriority = jmsPriority;
  }

  /** Name used in queue names and message groups: critical, normal, bulk. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
