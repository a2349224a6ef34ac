package dev.outpost.broker.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fleet held in memory: for a broker whose terminals are known in advance, and for tests that run
 * a real central broker without central-route's PostgreSQL. Central uses {@link
 * JdbcTerminalDirectory}.
 */
public final class FixedTerminalDirectory implements TerminalDirectory {
  private final Map<String, Credential> terminals = new ConcurrentHashMap<>();

  /** Enrolls (or re-enrolls) a terminal and returns its new secret. */
  public String enroll(String terminalId) {
    String secret = TerminalSecrets.generate();
    terminals.put(terminalId, new Credential(terminalId, TerminalSecrets.hash(secret), null));
    return secret;
  }

  public void revoke(String terminalId) {
    terminals.computeIfPresent(
        terminalId, (t, c) -> new Credential(t, c.secretHash(), Instant.now()));
  }

  @Override
  public Optional<Credential> find(String terminalId) {
    return Optional.ofNullable(terminals.get(terminalId));
  }

  @Override
  public List<Credential> revokedSince(Instant since) {
    return terminals.values().stream()
        .filter(c -> c.revoked() && !c.revokedAt().isBefore(since))
        .toList();
  }
}
