package dev.outpost.central.ingest;

import dev.outpost.support.FeaturePort;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Updates of shared counters (a visit's consumed amount, a stock level, a terminal's last
 * sequence), summed over a batch and written once at its end, in key order. Every batch takes these
 * row locks in the same global order, so replicas applying batches in parallel do not deadlock on
 * them, and a hot row is written once per batch instead of once per operation.
 *
 * <p>Each operation's additions are staged and only kept when the operation is applied (its
 * savepoint released), so a rejected operation leaves no trace here. {@link OperationRepository}
 * writes them.
 */
@FeaturePort("what a Projection adds to the shared counters")
public final class BatchTotals {
  private final Map<String, BigDecimal> consumed = new TreeMap<>();
  private final Map<String, Long> stock = new TreeMap<>();
  private final Map<String, Long> lastSequence = new TreeMap<>();
  private final Map<String, BigDecimal> stagedConsumed = new TreeMap<>();
  private final Map<String, Long> stagedStock = new TreeMap<>();
  private final Map<String, Long> stagedSequence = new TreeMap<>();

  private static final String SEP = "\u0000";

  public void addConsumption(String visitId, BigDecimal amount) {
    stagedConsumed.merge(visitId, amount, BigDecimal::add);
  }

  public void addStock(String productId, String location, long delta) {
    stagedStock.merge(productId + SEP + location, delta, Long::sum);
  }

  public void sawSequence(String terminalId, long sequence) {
    stagedSequence.merge(terminalId, sequence, Math::max);
  }

  /** The current operation was applied: keep its additions. */
  void keep() {
    stagedConsumed.forEach((k, v) -> consumed.merge(k, v, BigDecimal::add));
    stagedStock.forEach((k, v) -> stock.merge(k, v, Long::sum));
    stagedSequence.forEach((k, v) -> lastSequence.merge(k, v, Math::max));
    discard();
  }

  /** The current operation was undone: forget its additions. */
  void discard() {
    stagedConsumed.clear();
    stagedStock.clear();
    stagedSequence.clear();
  }

  /** Visit id to the amount to add to its consumed total, in key order. */
  Map<String, BigDecimal> consumed() {
    return consumed;
  }

  /** One delta per product and location, in key order. */
  List<StockDelta> stock() {
    List<StockDelta> out = new ArrayList<>(stock.size());
    stock.forEach(
        (key, delta) -> {
          String[] parts = key.split(SEP, 2);
          out.add(new StockDelta(parts[0], parts[1], delta));
        });
    return out;
  }

  /** Terminal id to the highest sequence seen, in key order. */
  Map<String, Long> lastSequences() {
    return lastSequence;
  }

  record StockDelta(String productId, String location, long delta) {}
}
