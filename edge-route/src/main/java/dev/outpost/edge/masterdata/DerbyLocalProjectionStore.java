package dev.outpost.edge.masterdata;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * {@link LocalProjectionStore} on embedded Derby (md_local_sale, md_gate_scan; db/migration/edge).
 */
@Repository
public class DerbyLocalProjectionStore implements LocalProjectionStore {
  private static final String SALE_INSERT =
      "INSERT INTO md_local_sale (operation_id, bracelet_id, member_id, total, recorded_at)"
          + " VALUES (:id, :bracelet, :member, :total, :at)";
  private static final String SCAN_INSERT =
      "INSERT INTO md_gate_scan (operation_id, qr_code, match_id, direction, sequence_no)"
          + " VALUES (:id, :qr, :match, :direction, :seq)";
  private static final String SALE_DELETE = "DELETE FROM md_local_sale WHERE operation_id = :id";
  private static final String SCAN_DELETE = "DELETE FROM md_gate_scan WHERE operation_id = :id";
  private static final String SALES_OF =
      "SELECT operation_id, total FROM md_local_sale WHERE bracelet_id = :bracelet ORDER BY recorded_at";
  private static final String LAST_SCAN =
      "SELECT direction FROM md_gate_scan WHERE qr_code = :qr AND match_id = :match"
          + " ORDER BY sequence_no DESC FETCH FIRST 1 ROWS ONLY";

  private final NamedParameterJdbcTemplate jdbc;

  public DerbyLocalProjectionStore(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void recordSale(
      String operationId, String braceletId, String memberId, BigDecimal total, Instant at) {
    jdbc.update(
        SALE_INSERT,
        new MapSqlParameterSource()
            .addValue("id", operationId)
            .addValue("bracelet", braceletId)
            .addValue("member", memberId)
            .addValue("total", total)
            .addValue("at", at.toEpochMilli()));
  }

  @Override
  public void recordScan(
      String operationId, String qrCode, String matchId, String direction, long sequence) {
    jdbc.update(
        SCAN_INSERT,
        Map.of(
            "id",
            operationId,
            "qr",
            qrCode,
            "match",
            matchId,
            "direction",
            direction,
            "seq",
            sequence));
  }

  @Override
  public void forget(String operationId) {
    jdbc.update(SALE_DELETE, Map.of("id", operationId));
    jdbc.update(SCAN_DELETE, Map.of("id", operationId));
  }

  @Override
  public List<LocalSale> localSales(String braceletId) {
    return jdbc.query(
        SALES_OF,
        Map.of("bracelet", braceletId),
        (rs, i) -> new LocalSale(rs.getString("operation_id").trim(), rs.getBigDecimal("total")));
  }

  @Override
  public Optional<String> lastScanDirection(String qrCode, String matchId) {
    return jdbc
        .queryForList(LAST_SCAN, Map.of("qr", qrCode, "match", matchId), String.class)
        .stream()
        .findFirst();
  }
}
