package dev.outpost.central.imports;

import dev.outpost.contracts.DayFiles;
import dev.outpost.contracts.TerminalIds;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The public keys terminals sign their day files with ({@code terminal_keys}). Only ops register
 * them; a day file is trusted only when it verifies with the key registered for the terminal it
 * names, never with the key the file itself carries.
 */
@Repository
public class TerminalKeyRepository {
  private final NamedParameterJdbcTemplate jdbc;

  public TerminalKeyRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public record Registered(
      String terminalId,
      String algorithm,
      String publicKey,
      String fingerprint,
      String registeredAt,
      String registeredBy) {}

  public Optional<Registered> find(String terminalId) {
    List<Registered> rows =
        jdbc.query(
            "select terminal_id, algorithm, public_key, fingerprint, registered_at::text as at, registered_by"
                + " from terminal_keys where terminal_id = :t",
            Map.of("t", terminalId),
            (rs, i) ->
                new Registered(
                    rs.getString("terminal_id"),
                    rs.getString("algorithm"),
                    rs.getString("public_key"),
                    rs.getString("fingerprint"),
                    rs.getString("at"),
                    rs.getString("registered_by")));
    return rows.stream().findFirst();
  }

  public Optional<PublicKey> publicKey(String terminalId) {
    return find(terminalId).map(r -> DayFiles.publicKey(r.publicKey()));
  }

  /** Registers or replaces the key (the API's PUT); the key must parse as an Ed25519 public key. */
  public Registered register(String terminalId, String publicKeyBase64, String actor) {
    TerminalIds.require(terminalId);
    String normalized = DayFiles.encode(DayFiles.publicKey(publicKeyBase64));
    jdbc.update(
        "insert into terminal_keys (terminal_id, algorithm, public_key, fingerprint, registered_by)"
            + " values (:t, :alg, :key, :fp, :by) on conflict (terminal_id) do update set"
            + " algorithm = excluded.algorithm, public_key = excluded.public_key,"
            + " fingerprint = excluded.fingerprint, registered_at = now(), registered_by = excluded.registered_by",
        new MapSqlParameterSource()
            .addValue("t", terminalId)
            .addValue("alg", DayFiles.KEY_ALGORITHM)
            .addValue("key", normalized)
            .addValue("fp", DayFiles.fingerprint(normalized))
            .addValue("by", actor));
    return find(terminalId).orElseThrow();
  }
}
