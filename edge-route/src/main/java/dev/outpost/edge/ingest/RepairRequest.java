package dev.outpost.edge.ingest;

/** Body sent through the append stage to re-send rows that never reached the outbound queue. */
public enum RepairRequest {
  /** Once, when the app starts; a no-op if the first post already triggered it. */
  AT_START,
  /** Again now (operators, tests). */
  NOW
}
