package dev.outpost.central.ingest;

import dev.outpost.contracts.Outcome;
import dev.outpost.support.FeaturePort;

/** What a projection did with an operation: the receipt's outcome and an optional detail. */
@FeaturePort
public record Applied(Outcome outcome, String detail) {
  public static final Applied ACCEPTED = new Applied(Outcome.ACCEPTED, null);

  /** Applied, with a note for the terminal (e.g. superseded by a newer version). */
  public static Applied accepted(String detail) {
    return new Applied(Outcome.ACCEPTED, detail);
  }

  /** Applied as a fact, but a person should look at it. */
  public static Applied flagged(String detail) {
    return new Applied(Outcome.FLAGGED, detail);
  }
}
