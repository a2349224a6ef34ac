package dev.outpost.edge.masterdata;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the offline checks remember of this terminal's own operations: sales per bracelet (the
 * consumption shown offline) and granted gate scans per QR and match (anti-passback). Written in
 * the ledger append's transaction (the caller's), undone with it after a failed send.
 */
public interface LocalProjectionStore {

  void recordSale(
      String operationId, String braceletId, String memberId, BigDecimal total, Instant at);

  void recordScan(
      String operationId, String qrCode, String matchId, String direction, long sequence);

  /** Removes whatever {@code operationId} added. */
  void forget(String operationId);

  List<LocalSale> localSales(String braceletId);

  /** Direction of the last granted scan of this QR for this match, if any. */
  Optional<String> lastScanDirection(String qrCode, String matchId);
}
