package dev.outpost.system.harness;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checker: compares what an edge acknowledged with what reached central's {@code operations}
 * and counts lost, duplicated, phantom, out-of-order and re-numbered operations.
 */
public record DeliveryCheck(
    String terminalId,
    int acknowledged,
    int arrived,
    int arrivedUnacknowledged,
    List<String> lost,
    List<String> duplicated,
    List<String> phantom,
    List<String> outOfOrder,
    List<String> sequenceMismatch) {

  public static DeliveryCheck of(Db db, String terminalId, Acks acks) {
    Map<String, Long> acked = acks.acknowledged();
    Set<String> sent = acks.sent();
    List<Db.Arrival> arrivals = db.arrivals(terminalId);

    Map<String, Integer> seenIds = new HashMap<>();
    Map<Long, String> seenSeq = new HashMap<>();
    List<String> duplicated = new ArrayList<>();
    List<String> phantom = new ArrayList<>();
    List<String> outOfOrder = new ArrayList<>();
    List<String> mismatch = new ArrayList<>();
    int unacked = 0;
    long previous = Long.MIN_VALUE;
    for (Db.Arrival a : arrivals) {
      if (seenIds.merge(a.operationId(), 1, Integer::sum) > 1) {
        duplicated.add(a.operationId() + " (row twice)");
      }
      String other = seenSeq.putIfAbsent(a.sequence(), a.operationId());
      if (other != null && !other.equals(a.operationId())) {
        duplicated.add("sequence " + a.sequence() + " on " + other + " and " + a.operationId());
      }
      if (!sent.contains(a.operationId())) {
        phantom.add(a.operationId());
      }
      Long ackSeq = acked.get(a.operationId());
      if (ackSeq == null) {
        unacked++;
      } else if (ackSeq != a.sequence()) {
        mismatch.add(
            a.operationId() + " acknowledged as " + ackSeq + ", stored as " + a.sequence());
      }
      if (a.sequence() < previous) {
        outOfOrder.add("sequence " + a.sequence() + " arrived after " + previous);
      }
      previous = Math.max(previous, a.sequence());
    }
    db.duplicatedSales()
        .forEach(s -> duplicated.add(s.operationId() + " has " + s.count() + " sales rows"));
    List<String> lost =
        acked.keySet().stream().filter(id -> !seenIds.containsKey(id)).sorted().toList();
    return new DeliveryCheck(
        terminalId,
        acked.size(),
        arrivals.size(),
        unacked,
        lost,
        duplicated,
        phantom,
        outOfOrder,
        mismatch);
  }

  public boolean allArrived() {
    return lost.isEmpty();
  }

  public boolean clean() {
    return lost.isEmpty()
        && duplicated.isEmpty()
        && phantom.isEmpty()
        && outOfOrder.isEmpty()
        && sequenceMismatch.isEmpty();
  }

  public DeliveryCheck assertClean() {
    if (!clean()) {
      throw new AssertionError("delivery check failed: " + this);
    }
    return this;
  }

  @Override
  public String toString() {
    return String.format(
        "terminal %s: acknowledged %d, arrived %d (%d never acknowledged), lost %d %s, duplicated %d %s,"
            + " phantom %d %s, out of order %d %s, sequence mismatch %d %s",
        terminalId,
        acknowledged,
        arrived,
        arrivedUnacknowledged,
        lost.size(),
        head(lost),
        duplicated.size(),
        head(duplicated),
        phantom.size(),
        head(phantom),
        outOfOrder.size(),
        head(outOfOrder),
        sequenceMismatch.size(),
        head(sequenceMismatch));
  }

  private static List<String> head(List<String> l) {
    return l.subList(0, Math.min(5, l.size()));
  }
}
