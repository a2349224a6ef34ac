package dev.outpost.edge.masterdata;

import java.time.Instant;

/** What the terminal knows about one master-data set. */
public record SetState(String set, boolean loaded, Instant lastPullAt, Instant lastChangeAt) {
  /** The newest moment the set was known to match central: last pull or last change received. */
  public Instant syncedAt() {
    if (lastPullAt == null) {
      return lastChangeAt;
    }
    if (lastChangeAt == null) {
      return lastPullAt;
    }
    return lastPullAt.isAfter(lastChangeAt) ? lastPullAt : lastChangeAt;
  }
}
