package dev.outpost.broker.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The fleet as central's PostgreSQL holds it (table {@code terminals}, migration V60 of
 * central-route): enrolled terminals have a {@code credential_hash}; a revoked one a {@code
 * revoked_at}. Plain JDBC, so a broker process without Spring can use it too.
 */
public final class JdbcTerminalDirectory implements TerminalDirectory {
  private static final String FIND =
      "select terminal_id, credential_hash, revoked_at from terminals"
          + " where terminal_id = ? and credential_hash is not null";
  private static final String REVOKED_SINCE =
      "select terminal_id, credential_hash, revoked_at from terminals where revoked_at >= ?";

  private final DataSource dataSource;

  public JdbcTerminalDirectory(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Optional<Credential> find(String terminalId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(FIND)) {
      ps.setString(1, terminalId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("terminal directory unavailable: " + e.getMessage(), e);
    }
  }

  @Override
  public List<Credential> revokedSince(Instant since) {
    List<Credential> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(REVOKED_SINCE)) {
      ps.setTimestamp(1, Timestamp.from(since));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("terminal directory unavailable: " + e.getMessage(), e);
    }
    return out;
  }

  private static Credential row(ResultSet rs) throws SQLException {
    Timestamp revoked = rs.getTimestamp("revoked_at");
    return new Credential(
        rs.getString("terminal_id"),
        rs.getString("credential_hash"),
        revoked == null ? null : revoked.toInstant());
  }
}
