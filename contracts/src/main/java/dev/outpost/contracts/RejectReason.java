package dev.outpost.contracts;

/** Why central dead-lettered an operation; carried in the DLQ message's {@code reason} header. */
public enum RejectReason {
  SCHEMA_INVALID,
  UNSUPPORTED_VERSION,
  UNKNOWN_REFERENCE,
  BUSINESS_RULE,
  TERMINAL_MISMATCH,
  /** A concurrent change to an entity whose conflict policy is REJECT. */
  CONFLICT,
  POISON
}
