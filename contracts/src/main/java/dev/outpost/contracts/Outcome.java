package dev.outpost.contracts;

/** What central did with an operation, as told to the terminal in a {@link Receipt}. */
public enum Outcome {
  /** Applied now. */
  ACCEPTED,
  /** Already applied earlier (same operationId); nothing changed. */
  DUPLICATE,
  /**
   * Applied, but a person should look at it: a fact that already happened against data central has
   * changed since (a sale on a closed visit), or a change held for manual conflict resolution.
   */
  FLAGGED,
  /** Can never succeed as sent; the operation is in the dead-letter queue with this reason. */
  REJECTED
}
