package dev.outpost.central.ingest;

import dev.outpost.central.ingest.InboundMessage.LanePosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Per-lane order that does not rest on the broker's timing. Message groups pin a terminal's lane to
 * one consumer, but when that consumer goes away with messages in hand (a replica killed, a
 * connection lost) Artemis unbinds the group at once and puts those messages back only when their
 * cancellation completes: meanwhile the group's next message can reach another consumer and
 * overtake them. So each bridged operation names its lane predecessor ({@code lanePrevious}), and
 * central applies it only once that predecessor is applied or rejected: {@code lane_heads} holds
 * the highest sequence done per lane, written in the same transaction as the operations.
 */
@Component
public class LaneOrder {
  private final LaneHeadRepository laneHeads;

  public LaneOrder(LaneHeadRepository laneHeads) {
    this.laneHeads = laneHeads;
  }

  /** A lane of one terminal, as its messages' group names it. */
  record Lane(String terminal, String group) implements Comparable<Lane> {
    @Override
    public int compareTo(Lane o) {
      int c = terminal.compareTo(o.terminal);
      return c != 0 ? c : group.compareTo(o.group);
    }
  }

  static Lane laneOf(InboundMessage m) {
    String terminal = EnvelopeCheck.sender(m);
    return terminal == null || m.lane() == null ? null : new Lane(terminal, m.lane().group());
  }

  /**
   * The batch with each lane's messages in sequence order, in the places that lane's messages hold:
   * two of a lane that reached the queue out of order are applied in order when they share a batch.
   */
  static List<InboundMessage> inLaneOrder(List<InboundMessage> batch) {
    Map<Lane, List<Integer>> places = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Lane lane = laneOf(batch.get(i));
      if (lane != null) {
        places.computeIfAbsent(lane, l -> new ArrayList<>()).add(i);
      }
    }
    List<InboundMessage> ordered = new ArrayList<>(batch);
    for (List<Integer> slots : places.values()) {
      if (slots.size() > 1) {
        List<InboundMessage> lane = new ArrayList<>();
        slots.forEach(i -> lane.add(batch.get(i)));
        lane.sort(Comparator.comparingLong(m -> m.lane().sequence()));
        for (int k = 0; k < slots.size(); k++) {
          ordered.set(slots.get(k), lane.get(k));
        }
      }
    }
    return ordered;
  }

  /**
   * The first message of {@code batch} whose lane predecessor is not done yet (neither applied nor
   * rejected, at central or earlier in this batch), or null when every one may be applied now.
   */
  InboundMessage firstOutOfOrder(List<InboundMessage> batch) {
    if (batch.stream().noneMatch(m -> laneOf(m) != null && m.lane().previous() > 0)) {
      return null;
    }
    Map<Lane, Long> heads = heads(batch);
    for (InboundMessage m : batch) {
      Lane lane = laneOf(m);
      if (lane != null && m.lane().previous() > 0) {
        long head = heads.getOrDefault(lane, 0L);
        long previous = m.lane().previous();
        // Not in lane_heads but applied: before heads were kept (an upgrade), or in a lane since
        // remapped on the terminal.
        if (head < previous && !laneHeads.applied(lane.terminal(), previous)) {
          return m;
        }
      }
      if (lane != null) {
        heads.merge(lane, m.lane().sequence(), Math::max);
      }
    }
    return null;
  }

  private Map<Lane, Long> heads(List<InboundMessage> batch) {
    Set<String> terminals = new HashSet<>();
    for (InboundMessage m : batch) {
      Lane lane = laneOf(m);
      if (lane != null) {
        terminals.add(lane.terminal());
      }
    }
    return laneHeads.heads(terminals);
  }

  /** Collects the lanes a batch moved, written once at its end in key order (no deadlocks). */
  static final class Heads {
    private final Map<Lane, Long> moved = new TreeMap<>();

    void saw(InboundMessage m, Long sequence) {
      Lane lane = laneOf(m);
      LanePosition p = m.lane();
      if (lane != null) {
        moved.merge(lane, sequence != null ? sequence : p.sequence(), Math::max);
      }
    }

    /** The highest sequence per lane, in key order (the rows are locked in that order). */
    Map<Lane, Long> moved() {
      return moved;
    }
  }
}
