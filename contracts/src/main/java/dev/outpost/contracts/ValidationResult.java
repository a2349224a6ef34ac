package dev.outpost.contracts;

import java.util.List;

/**
 * Outcome of validating an operation: every violation found, and whether the only problem is a
 * schema version this build does not know (central dead-letters those as UNSUPPORTED_VERSION).
 */
public record ValidationResult(List<Violation> violations, boolean unsupportedVersion) {
  public boolean isValid() {
    return violations.isEmpty() && !unsupportedVersion;
  }

  public RejectReason reason() {
    return unsupportedVersion ? RejectReason.UNSUPPORTED_VERSION : RejectReason.SCHEMA_INVALID;
  }

  public String summary() {
    return String.join("; ", violations.stream().map(Violation::toString).toList());
  }
}
