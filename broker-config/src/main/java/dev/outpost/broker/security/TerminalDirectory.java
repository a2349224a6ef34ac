package dev.outpost.broker.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where central's broker finds the enrolled terminals. Kept outside the broker (in PostgreSQL, see
 * {@link JdbcTerminalDirectory}) so every central broker and replica sees the same fleet, and an
 * enrollment or a revocation takes effect everywhere without touching a file.
 */
public interface TerminalDirectory {

  /**
   * An enrolled terminal's credential: its secret's hash, and when it was revoked (null if not).
   */
  record Credential(String terminalId, String secretHash, Instant revokedAt) {
    public boolean revoked() {
      return revokedAt != null;
    }
  }

  Optional<Credential> find(String terminalId);

  /** Terminals revoked at or after {@code since}, so open connections can be closed. */
  List<Credential> revokedSince(Instant since);
}
