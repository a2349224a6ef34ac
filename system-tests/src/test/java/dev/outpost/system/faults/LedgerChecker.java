package dev.outpost.system.faults;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The checker of the fault matrix: after the faults healed and everything drained, compares what
 * the POS apps were told ({@link AttemptLog}) with what central's PostgreSQL holds and what its DLQ
 * keeps, and lists every broken promise:
 *
 * <ul>
 *   <li><b>lost</b>: answered 2xx (or sent to be dead-lettered) but neither applied nor in the DLQ;
 *   <li><b>phantom</b>: applied but never posted, or posted and only ever refused;
 *   <li><b>duplicate effects</b>: a counter (a visit's consumed amount, a stock level) above the
 *       sum of the operations applied, a projection row twice, an operation dead-lettered twice or
 *       both applied and dead-lettered;
 *   <li><b>missing effects</b>: an applied operation without its projection, a counter below the
 *       sum;
 *   <li><b>out of order</b>: per terminal and lane, central's arrival order against the sequence;
 *   <li><b>mismatch</b>: payload (canonical hash), type, terminal, occurredAt or sequence as stored
 *       differ from what was posted and answered; two answers with different sequences;
 *   <li><b>unexpected dead letters</b>, and dead letters with another reason than expected.
 * </ul>
 *
 * An operation whose every attempt had an unclear outcome (no answer) may be applied or not: it is
 * counted apart ({@link Report#unclearApplied()}, {@link Report#unclearAbsent()}), never as a
 * finding, but if applied it must be applied correctly like any other.
 */
public final class LedgerChecker {
  private final AttemptLog log;
  private final Baseline baseline;

  /** A message in central's {@code outpost.ops.DLQ}: its operationId if readable, its reason. */
  public record DeadLetter(String operationId, String reason) {}

  /** Counter values before the run: the checker compares their growth with what was applied. */
  public record Baseline(Map<String, BigDecimal> consumed, Map<String, Long> stock) {}

  public LedgerChecker(AttemptLog log, Baseline baseline) {
    this.log = log;
    this.baseline = baseline;
  }

  /** Reads the counters the operations will move, before any of them is posted. */
  public static Baseline baseline(
      JdbcTemplate jdbc, Collection<String> bracelets, Collection<String> stockKeys) {
    Map<String, BigDecimal> consumed = new TreeMap<>();
    for (String b : bracelets) {
      consumed.put(b, consumed(jdbc, b));
    }
    Map<String, Long> stock = new TreeMap<>();
    for (String k : stockKeys) {
      stock.put(k, stockLevel(jdbc, k));
    }
    return new Baseline(consumed, stock);
  }

  public static String stockKey(String productId, String location) {
    return productId + "@" + location;
  }

  private static BigDecimal consumed(JdbcTemplate jdbc, String bracelet) {
    return jdbc.queryForObject(
        "select coalesce(sum(consumed), 0) from visits where bracelet_id = ?",
        BigDecimal.class,
        bracelet);
  }

  private static long stockLevel(JdbcTemplate jdbc, String key) {
    String[] pl = key.split("@", 2);
    Long n =
        jdbc.queryForObject(
            "select coalesce(sum(quantity), 0) from stock_levels where product_id = ? and location = ?",
            Long.class,
            pl[0],
            pl[1]);
    return n == null ? 0 : n;
  }

  private record Row(
      String id,
      String terminal,
      String type,
      long sequence,
      OffsetDateTime occurredAt,
      String payload,
      long arrival) {}

  /** Acknowledged operations not (yet) applied nor dead-lettered: the "has it drained" probe. */
  public int outstanding(JdbcTemplate jdbc, List<DeadLetter> dlq) {
    Set<String> present =
        new java.util.HashSet<>(
            jdbc.queryForList("select operation_id::text from operations", String.class));
    dlq.forEach(d -> present.add(d.operationId()));
    int n = 0;
    for (Op op : log.ops()) {
      boolean acked =
          log.attempts(op.operationId()).stream()
              .anyMatch(a -> a.outcome() == Attempt.Outcome.ACCEPTED);
      if ((acked || op.expectedDeadLetter() != null) && !present.contains(op.operationId())) {
        n++;
      }
    }
    return n;
  }

  public Report check(JdbcTemplate jdbc, List<DeadLetter> dlq) {
    Map<String, Row> rows = new LinkedHashMap<>();
    jdbc.query(
        "select operation_id::text as id, terminal_id, type, sequence, occurred_at, payload::text as payload,"
            + " arrival_no from operations order by arrival_no",
        rs -> {
          Row r =
              new Row(
                  rs.getString("id"),
                  rs.getString("terminal_id"),
                  rs.getString("type"),
                  rs.getLong("sequence"),
                  rs.getObject("occurred_at", OffsetDateTime.class),
                  rs.getString("payload"),
                  rs.getLong("arrival_no"));
          rows.put(r.id(), r);
        });
    Map<String, List<BigDecimal>> sales = new HashMap<>();
    jdbc.query(
        "select operation_id::text as id, total from sales",
        rs -> {
          sales
              .computeIfAbsent(rs.getString("id"), k -> new ArrayList<>())
              .add(rs.getBigDecimal(2));
        });
    Map<String, List<Long>> movements = new HashMap<>();
    jdbc.query(
        "select operation_id::text as id, delta from stock_movements",
        rs -> {
          movements.computeIfAbsent(rs.getString("id"), k -> new ArrayList<>()).add(rs.getLong(2));
        });
    Map<String, String> recordWriters = new HashMap<>();
    jdbc.query(
        "select entity, id::text as id, updated_by_operation::text as op from entity_records",
        rs -> {
          recordWriters.put(rs.getString("entity") + "/" + rs.getString("id"), rs.getString("op"));
        });
    Map<String, List<DeadLetter>> dead = new HashMap<>();
    int unidentified = 0;
    for (DeadLetter d : dlq) {
      if (d.operationId() == null) {
        unidentified++;
      } else {
        dead.computeIfAbsent(d.operationId(), k -> new ArrayList<>()).add(d);
      }
    }

    Findings f = new Findings();
    Map<String, BigDecimal> expectedConsumed = new TreeMap<>(baseline.consumed());
    Map<String, Long> expectedStock = new TreeMap<>(baseline.stock());
    Map<String, TerminalCounts> perTerminal = new TreeMap<>();

    for (Op op : log.ops()) {
      String id = op.operationId();
      TerminalCounts tc = perTerminal.computeIfAbsent(op.terminalId(), k -> new TerminalCounts());
      tc.operations++;
      List<Attempt> attempts = log.attempts(id);
      boolean acked = false;
      boolean unclear = false;
      Set<Long> sequences = new TreeSet<>();
      Set<Integer> statuses = new TreeSet<>();
      for (Attempt a : attempts) {
        tc.attempts++;
        switch (a.outcome()) {
          case ACCEPTED -> {
            acked = true;
            if (a.sequence() == null) {
              f.mismatch.add(id + ": 2xx answer without its id and sequence: " + a.detail());
            } else {
              sequences.add(a.sequence());
            }
          }
          case UNCLEAR -> {
            unclear = true;
            tc.unclearAttempts++;
          }
          case NOT_SENT -> tc.notSent++;
          case REFUSED -> {
            statuses.add(a.status());
            tc.refusedAttempts++;
          }
        }
      }
      if (sequences.size() > 1) {
        f.mismatch.add(id + ": answered with different sequences " + sequences);
      }
      Row row = rows.get(id);
      List<DeadLetter> dls = dead.getOrDefault(id, List.of());
      if (acked) {
        tc.acknowledged++;
      }
      if (dls.size() > 1) {
        f.duplicate.add(id + ": dead-lettered " + dls.size() + " times");
      }
      if (row != null && !dls.isEmpty()) {
        f.duplicate.add(id + ": applied and also in the DLQ (" + dls.get(0).reason() + ")");
      }

      if (op.expectedDeadLetter() != null) {
        if (row != null) {
          f.wrongOutcome.add(id + ": applied, expected dead letter " + op.expectedDeadLetter());
        } else if (dls.isEmpty()) {
          f.lost.add(
              id + " (" + op.type() + ", to be dead-lettered): neither applied nor in the DLQ");
        } else if (!op.expectedDeadLetter().equals(dls.get(0).reason())) {
          f.wrongOutcome.add(
              id
                  + ": dead letter reason "
                  + dls.get(0).reason()
                  + ", expected "
                  + op.expectedDeadLetter());
        } else {
          tc.deadLettered++;
        }
      } else {
        if (!dls.isEmpty()) {
          f.unexpectedDeadLetters.add(
              id
                  + " ("
                  + op.type()
                  + ", "
                  + (acked ? "acknowledged" : "not acknowledged")
                  + "): "
                  + dls.get(0).reason());
        } else if (row == null && acked) {
          f.lost.add(
              id + " (" + op.terminalId() + " " + op.lane() + ", sequence " + sequences + ")");
        }
        if (row != null && !acked) {
          if (unclear) {
            tc.unclearApplied++;
          } else {
            f.phantom.add(
                id
                    + ": applied, but "
                    + (attempts.isEmpty() ? "never posted" : "only ever refused " + statuses));
          }
        } else if (row == null && !acked && unclear) {
          tc.unclearAbsent++;
        }
      }
      if (row == null) {
        continue;
      }
      tc.applied++;
      if (!row.terminal().equals(op.terminalId())) {
        f.mismatch.add(
            id + ": stored for terminal " + row.terminal() + ", posted at " + op.terminalId());
      }
      if (!row.type().equals(op.type())) {
        f.mismatch.add(id + ": stored as " + row.type() + ", posted as " + op.type());
      }
      String storedHash = Canonical.hash(row.payload());
      if (!storedHash.equals(op.payloadHash())) {
        f.mismatch.add(id + ": payload differs from the posted one: " + row.payload());
      }
      if (row.occurredAt() == null || !row.occurredAt().toInstant().equals(op.occurredAt())) {
        f.mismatch.add(id + ": occurredAt " + row.occurredAt() + ", posted " + op.occurredAt());
      }
      if (sequences.size() == 1 && sequences.iterator().next() != row.sequence()) {
        f.mismatch.add(
            id
                + ": stored with sequence "
                + row.sequence()
                + ", answered "
                + sequences.iterator().next());
      }
      if (op.effect() instanceof Op.SaleEffect s) {
        List<BigDecimal> got = sales.getOrDefault(id, List.of());
        if (got.isEmpty()) {
          f.missingEffect.add(id + ": applied sale without its sales row");
        } else if (got.size() > 1) {
          f.duplicate.add(id + ": " + got.size() + " sales rows");
        } else if (got.get(0).compareTo(s.total()) != 0) {
          f.mismatch.add(id + ": sales total " + got.get(0) + ", posted " + s.total());
        }
        expectedConsumed.merge(s.braceletId(), s.total(), BigDecimal::add);
      } else if (op.effect() instanceof Op.StockEffect s) {
        List<Long> got = movements.getOrDefault(id, List.of());
        if (got.isEmpty()) {
          f.missingEffect.add(id + ": applied stock delta without its movement row");
        } else if (got.size() > 1) {
          f.duplicate.add(id + ": " + got.size() + " stock movements");
        } else if (got.get(0) != s.delta()) {
          f.mismatch.add(id + ": stock movement " + got.get(0) + ", posted " + s.delta());
        }
        expectedStock.merge(stockKey(s.productId(), s.location()), s.delta(), Long::sum);
      } else if (op.effect() instanceof Op.RecordEffect r) {
        String writer = recordWriters.get(r.entity() + "/" + r.recordId());
        if (!id.equals(writer)) {
          f.missingEffect.add(
              id + ": record " + r.entity() + "/" + r.recordId() + " last written by " + writer);
        }
      }
    }

    // Rows nobody posted, order per lane, sequences used twice.
    Map<String, Long> lastByLane = new HashMap<>();
    Map<String, String> bySequence = new HashMap<>();
    for (Row r : rows.values()) {
      Op op = log.op(r.id());
      if (op == null) {
        f.phantom.add(
            r.id() + ": applied for " + r.terminal() + " (" + r.type() + "), never posted");
      }
      String lane = r.terminal() + "/" + Op.laneOf(r.type());
      Long last = lastByLane.put(lane, r.sequence());
      if (last != null && r.sequence() <= last) {
        f.outOfOrder.add(
            lane + ": sequence " + r.sequence() + " (" + r.id() + ") applied after " + last);
      }
      String other = bySequence.putIfAbsent(r.terminal() + "#" + r.sequence(), r.id());
      if (other != null) {
        f.duplicate.add(
            r.terminal()
                + " sequence "
                + r.sequence()
                + " applied twice: "
                + other
                + ", "
                + r.id());
      }
    }

    // Counters: each applied operation's effect exactly once.
    for (Map.Entry<String, BigDecimal> e : expectedConsumed.entrySet()) {
      BigDecimal actual = consumed(jdbc, e.getKey());
      int cmp = actual.compareTo(e.getValue());
      if (cmp > 0) {
        f.duplicate.add(
            "visit of "
                + e.getKey()
                + " consumed "
                + actual
                + ", the applied sales make "
                + e.getValue()
                + " (+"
                + actual.subtract(e.getValue())
                + ")");
      } else if (cmp < 0) {
        f.missingEffect.add(
            "visit of "
                + e.getKey()
                + " consumed "
                + actual
                + ", the applied sales make "
                + e.getValue()
                + " ("
                + actual.subtract(e.getValue())
                + ")");
      }
    }
    for (Map.Entry<String, Long> e : expectedStock.entrySet()) {
      long actual = stockLevel(jdbc, e.getKey());
      if (actual > e.getValue()) {
        f.duplicate.add(
            "stock " + e.getKey() + " is " + actual + ", the applied deltas make " + e.getValue());
      } else if (actual < e.getValue()) {
        f.missingEffect.add(
            "stock " + e.getKey() + " is " + actual + ", the applied deltas make " + e.getValue());
      }
    }

    // Dead letters of nothing the test made, and the unreadable ones it put there itself.
    for (Map.Entry<String, List<DeadLetter>> e : dead.entrySet()) {
      if (log.op(e.getKey()) == null) {
        f.unexpectedDeadLetters.add(e.getKey() + ": never posted, " + e.getValue().get(0).reason());
      }
    }
    if (unidentified != log.expectedUnidentifiedDeadLetters()) {
      f.unexpectedDeadLetters.add(
          unidentified
              + " dead letters without a readable operationId, "
              + log.expectedUnidentifiedDeadLetters()
              + " expected");
    }
    return new Report(perTerminal, f, unidentified);
  }

  /** Counts per terminal, for the table. */
  public static final class TerminalCounts {
    int operations;
    int attempts;
    int acknowledged;
    int refusedAttempts;
    int notSent;
    int unclearAttempts;
    int applied;
    int deadLettered;
    int unclearApplied;
    int unclearAbsent;
  }

  /** The broken promises, by kind. */
  public static final class Findings {
    final List<String> lost = new ArrayList<>();
    final List<String> phantom = new ArrayList<>();
    final List<String> duplicate = new ArrayList<>();
    final List<String> missingEffect = new ArrayList<>();
    final List<String> outOfOrder = new ArrayList<>();
    final List<String> mismatch = new ArrayList<>();
    final List<String> unexpectedDeadLetters = new ArrayList<>();
    final List<String> wrongOutcome = new ArrayList<>();

    Map<String, List<String>> byKind() {
      Map<String, List<String>> m = new LinkedHashMap<>();
      m.put("lost", lost);
      m.put("phantom", phantom);
      m.put("duplicate effects", duplicate);
      m.put("missing effects", missingEffect);
      m.put("out of order", outOfOrder);
      m.put("mismatch", mismatch);
      m.put("unexpected dead letters", unexpectedDeadLetters);
      m.put("wrong dead-letter outcome", wrongOutcome);
      return m;
    }
  }

  /** What the checker found. */
  public record Report(
      Map<String, TerminalCounts> perTerminal, Findings findings, int unidentifiedDeadLetters) {

    public List<String> lost() {
      return findings.lost;
    }

    public List<String> phantom() {
      return findings.phantom;
    }

    public List<String> duplicates() {
      return findings.duplicate;
    }

    public List<String> missingEffects() {
      return findings.missingEffect;
    }

    public List<String> outOfOrder() {
      return findings.outOfOrder;
    }

    public List<String> mismatches() {
      return findings.mismatch;
    }

    public List<String> unexpectedDeadLetters() {
      return findings.unexpectedDeadLetters;
    }

    public List<String> wrongDeadLetterOutcome() {
      return findings.wrongOutcome;
    }

    public int unclearApplied() {
      return perTerminal.values().stream().mapToInt(t -> t.unclearApplied).sum();
    }

    public int unclearAbsent() {
      return perTerminal.values().stream().mapToInt(t -> t.unclearAbsent).sum();
    }

    public int acknowledged() {
      return perTerminal.values().stream().mapToInt(t -> t.acknowledged).sum();
    }

    public int deadLettered() {
      return perTerminal.values().stream().mapToInt(t -> t.deadLettered).sum();
    }

    /** Total number of findings (every kind); zero means every promise was kept. */
    public int findingCount() {
      return findings.byKind().values().stream().mapToInt(List::size).sum();
    }

    public boolean clean() {
      return findingCount() == 0;
    }

    /** Finding counts by kind, e.g. {lost=1, phantom=0, ...}. */
    public Map<String, Integer> counts() {
      Map<String, Integer> m = new LinkedHashMap<>();
      findings.byKind().forEach((k, v) -> m.put(k, v.size()));
      return m;
    }

    public Report assertClean(String schedule) {
      if (!clean()) {
        throw new AssertionError("checker after " + schedule + ":\n" + table());
      }
      return this;
    }

    /** The checker's table: per terminal, then each kind of finding with its first examples. */
    public String table() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              "%-12s %6s %8s %6s %8s %8s %8s %8s %6s %9s %9s%n",
              "terminal",
              "ops",
              "attempts",
              "2xx",
              "refused",
              "not-sent",
              "unclear",
              "applied",
              "DLQ",
              "unclr-app",
              "unclr-abs"));
      perTerminal.forEach(
          (t, c) ->
              sb.append(
                  String.format(
                      "%-12s %6d %8d %6d %8d %8d %8d %8d %6d %9d %9d%n",
                      t,
                      c.operations,
                      c.attempts,
                      c.acknowledged,
                      c.refusedAttempts,
                      c.notSent,
                      c.unclearAttempts,
                      c.applied,
                      c.deadLettered,
                      c.unclearApplied,
                      c.unclearAbsent)));
      sb.append("unreadable dead letters (expected): ")
          .append(unidentifiedDeadLetters)
          .append('\n');
      findings
          .byKind()
          .forEach(
              (kind, list) -> {
                sb.append(String.format("%-26s %d%n", kind, list.size()));
                list.stream().limit(5).forEach(s -> sb.append("    ").append(s).append('\n'));
              });
      return sb.toString();
    }
  }
}
