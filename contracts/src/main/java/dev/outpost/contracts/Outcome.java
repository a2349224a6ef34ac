package dev.outpost.contracts;

/** What central did with an operation, as told to the terminal in a {@link Receipt}. */
public enum Outcome {
  /** Applied now. */
  ACCEPTED,
  /** Already applied earlier (same operationId); nothing changed. */
  DUPLICATE,
  /** Can never succeed as sent; the operation is in the dead-letter queue with this reason. */
  REJECTED
}
