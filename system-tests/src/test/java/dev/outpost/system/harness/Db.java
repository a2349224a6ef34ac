package dev.outpost.system.harness;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Read-only look into central's PostgreSQL, for checks. */
public final class Db {
  private final DataSource dataSource;
  private final JdbcTemplate jdbc;
  private volatile String arrivalOrder;

  public Db(DataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbc = new JdbcTemplate(dataSource);
  }

  /** Central's embedded PostgreSQL (local credentials). */
  public static Db embedded(int port) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/outpost");
    ds.setUser("outpost");
    ds.setPassword("outpost");
    ds.setConnectTimeout(3);
    ds.setSocketTimeout(30);
    return new Db(ds);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public JdbcTemplate jdbc() {
    return jdbc;
  }

  public long count(String sql, Object... args) {
    Long n = jdbc.queryForObject(sql, Long.class, args);
    return n == null ? 0 : n;
  }

  public long operations(String terminalId) {
    return count("select count(*) from operations where terminal_id = ?", terminalId);
  }

  public long operationsTotal() {
    return count("select count(*) from operations");
  }

  /** Row counts of every table an operation writes, for "nothing was written" checks. */
  public Map<String, Long> writeCounts() {
    return Map.of(
        "operations", count("select count(*) from operations"),
        "sales", count("select count(*) from sales"),
        "sale_lines", count("select count(*) from sale_lines"),
        "access_events", count("select count(*) from access_events"),
        "match_events", count("select count(*) from match_events"));
  }

  public BigDecimal consumed(String braceletId) {
    return jdbc.queryForObject(
        "select coalesce(sum(consumed), 0) from visits where bracelet_id = ? and not coalesce(deleted, false)",
        BigDecimal.class,
        braceletId);
  }

  /** One row of {@code operations} as the checker needs it, in arrival order. */
  public record Arrival(String operationId, long sequence) {}

  public List<Arrival> arrivals(String terminalId) {
    return jdbc.query(
        "select operation_id::text as id, sequence from operations where terminal_id = ? order by "
            + arrivalOrder(),
        (rs, i) -> new Arrival(rs.getString("id"), rs.getLong("sequence")),
        terminalId);
  }

  public record SaleRow(String operationId, long count) {}

  /** Sales rows per operation, only for those with more than one (a duplicated effect). */
  public List<SaleRow> duplicatedSales() {
    return jdbc.query(
        "select operation_id::text as id, count(*) as n from sales group by operation_id having count(*) > 1",
        (rs, i) -> new SaleRow(rs.getString("id"), rs.getLong("n")));
  }

  /**
   * How central records arrival order: an {@code arrival_no} (bigserial) column if it has one, else
   * {@code received_at}; ties (rows of one batch share a transaction time) by sequence.
   */
  public String arrivalOrder() {
    if (arrivalOrder == null) {
      try (Connection c = dataSource.getConnection();
          var rs = c.getMetaData().getColumns(null, null, "operations", "arrival_no")) {
        arrivalOrder = rs.next() ? "arrival_no" : "received_at, sequence";
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return arrivalOrder;
  }
}
