package dev.outpost.edge.ingest;

import dev.outpost.contracts.Lane;
import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.edge.ledger.LedgerStore;
import dev.outpost.edge.ledger.LedgerStore.SequencedType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * For each operation sent, the sequence of the operation before it in its lane (the {@code
 * lanePrevious} header), so central can hold an operation until its predecessor is applied. The
 * broker's message groups keep a lane in order only while its consumer lives: a central consumer
 * that dies with messages in hand hands the group to another before those messages are back on the
 * queue, and the next one could overtake them. The predecessor of a new row is the last row sent in
 * its lane (kept here); rows sent again after a failure or by start-up repair are looked up in the
 * ledger, since rows of their lane may have been sent between them. Append thread only.
 */
@Component
class LanePredecessors {
  private final LedgerStore store;
  private final LaneMap lanes;

  /** The last sequence sent in each lane, valid for rows after {@code upTo}; upTo -1: unknown. */
  private Map<Lane, Long> last = new EnumMap<>(Lane.class);

  private long upTo = -1;

  LanePredecessors(LedgerStore store, LaneMap lanes) {
    this.store = store;
    this.lanes = lanes;
  }

  /** What one send of {@code entries} (in sequence order) carries, and what it leaves behind. */
  record Chain(Map<String, Long> previous, Map<Lane, Long> last, long upTo) {
    long of(LedgerEntry e) {
      return previous.getOrDefault(e.operationId(), 0L);
    }
  }

  Chain of(List<LedgerEntry> entries) {
    if (entries.isEmpty()) {
      return new Chain(Map.of(), last, upTo);
    }
    long first = entries.get(0).sequence();
    Map<String, Long> previous = new HashMap<>();
    Map<Lane, Long> chain;
    if (upTo >= 0 && first > upTo) {
      chain = new EnumMap<>(last);
      for (LedgerEntry e : entries) {
        link(chain, lanes.of(e.type()), e.sequence(), e.operationId(), previous);
      }
      return new Chain(previous, chain, entries.get(entries.size() - 1).sequence());
    }
    // Not known yet (first send since start) or rows sent again: walk the ledger from the first.
    chain = new EnumMap<>(Lane.class);
    store
        .lastSequenceByType(first)
        .forEach((type, seq) -> chain.merge(lanes.of(type), seq, Math::max));
    Map<Long, String> ids =
        entries.stream()
            .collect(
                Collectors.toMap(LedgerEntry::sequence, LedgerEntry::operationId, (a, b) -> a));
    Set<Long> mine = ids.keySet();
    long end = first - 1;
    for (SequencedType row : store.sequencesFrom(first)) {
      Lane lane = lanes.of(row.type());
      Long before = chain.put(lane, row.sequence());
      if (mine.contains(row.sequence())) {
        previous.put(ids.get(row.sequence()), before == null ? 0L : before);
      }
      end = row.sequence();
    }
    return new Chain(previous, chain, end);
  }

  private static void link(
      Map<Lane, Long> chain, Lane lane, long sequence, String id, Map<String, Long> previous) {
    Long before = chain.put(lane, sequence);
    previous.put(id, before == null ? 0L : before);
  }

  /** The send of a chain succeeded: the next new rows follow it. */
  void sent(Chain chain) {
    if (chain.upTo() >= upTo) {
      last = chain.last();
      upTo = chain.upTo();
    }
  }
}
