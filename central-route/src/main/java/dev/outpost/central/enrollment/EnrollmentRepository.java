package dev.outpost.central.enrollment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.broker.security.TerminalSecrets;
import dev.outpost.contracts.Contracts;
import dev.outpost.support.FeaturePort;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The fleet's credentials in PostgreSQL ({@code terminals}, migration V60): the only SQL of
 * enrollment.
 */
@FeaturePort
@Repository
public class EnrollmentRepository {
  private final NamedParameterJdbcTemplate jdbc;

  public EnrollmentRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** An enrolled terminal as central holds it (never the secret). */
  public record Enrolled(
      String terminalId, Instant enrolledAt, String enrolledBy, Instant revokedAt, JsonNode scope) {
    public boolean revoked() {
      return revokedAt != null;
    }
  }

  /**
   * Enrolls (or re-enrolls) a terminal with a new secret: the old credential stops working, a
   * revocation is lifted, and the day-file key slot is emptied for the terminal to fill.
   */
  @Transactional
  public Instant enroll(String terminalId, String secret, JsonNode scope, String actor) {
    MapSqlParameterSource p =
        new MapSqlParameterSource()
            .addValue("t", terminalId)
            .addValue("hash", TerminalSecrets.hash(secret))
            .addValue("scope", json(scope))
            .addValue("by", actor);
    Instant at =
        jdbc.queryForObject(
            "insert into terminals (terminal_id, enrolled_at, enrolled_by, credential_hash, scope)"
                + " values (:t, now(), :by, :hash, cast(:scope as jsonb))"
                + " on conflict (terminal_id) do update set enrolled_at = now(), enrolled_by = :by,"
                + " credential_hash = :hash, scope = cast(:scope as jsonb), revoked_at = null, revoked_by = null"
                + " returning enrolled_at",
            p,
            (rs, i) -> rs.getTimestamp(1).toInstant());
    jdbc.update("delete from terminal_keys where terminal_id = :t", p);
    return at;
  }

  /** Terminals enrolled by {@code actor} and not revoked, in id order. */
  public List<String> activeEnrolledBy(String actor) {
    return jdbc.queryForList(
        "select terminal_id from terminals where enrolled_by = :by and revoked_at is null order by 1",
        Map.of("by", actor),
        String.class);
  }

  /** Marks an enrolled terminal revoked; false when it is not enrolled. */
  public boolean revoke(String terminalId, String actor) {
    return jdbc.update(
            "update terminals set revoked_at = now(), revoked_by = :by"
                + " where terminal_id = :t and credential_hash is not null",
            Map.of("t", terminalId, "by", actor))
        > 0;
  }

  public Optional<Enrolled> find(String terminalId) {
    List<Enrolled> rows =
        jdbc.query(
            "select terminal_id, enrolled_at, enrolled_by, revoked_at, scope::text as scope from terminals"
                + " where terminal_id = :t and credential_hash is not null",
            Map.of("t", terminalId),
            (rs, i) ->
                new Enrolled(
                    rs.getString("terminal_id"),
                    rs.getTimestamp("enrolled_at").toInstant(),
                    rs.getString("enrolled_by"),
                    rs.getTimestamp("revoked_at") == null
                        ? null
                        : rs.getTimestamp("revoked_at").toInstant(),
                    parse(rs.getString("scope"))));
    return rows.stream().findFirst();
  }

  /** The stored hash of a terminal's secret, if it is enrolled and not revoked (HTTP logins). */
  public Optional<String> activeCredential(String terminalId) {
    return jdbc
        .queryForList(
            "select credential_hash from terminals where terminal_id = :t"
                + " and credential_hash is not null and revoked_at is null",
            Map.of("t", terminalId),
            String.class)
        .stream()
        .findFirst();
  }

  private static String json(JsonNode node) {
    try {
      return Contracts.mapper()
          .writeValueAsString(node == null ? Contracts.mapper().createObjectNode() : node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static JsonNode parse(String s) {
    try {
      return Contracts.mapper().readTree(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
