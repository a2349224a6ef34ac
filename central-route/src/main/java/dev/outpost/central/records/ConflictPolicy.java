package dev.outpost.central.records;

/**
 * How central resolves a terminal's change to a generic entity record that someone else changed
 * concurrently (see docs/semantics.md for examples).
 */
public enum ConflictPolicy {
  /** The newest version wins: (updatedAt, terminal, operationId) compared in that order. */
  LAST_WRITE_WINS,
  /** Central's stored version stays; the terminal's concurrent change is recorded, not applied. */
  CENTRAL_WINS,
  /** Field by field last-write-wins: concurrent edits of different fields both survive. */
  MERGE,
  /** The concurrent change is dead-lettered with reason CONFLICT. */
  REJECT,
  /** The concurrent change is kept in the conflicts table for a person to choose. */
  MANUAL
}
