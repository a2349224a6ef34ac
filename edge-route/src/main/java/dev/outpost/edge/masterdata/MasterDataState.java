package dev.outpost.edge.masterdata;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.edge.sync.SyncStatusContributor;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Loaded sets, pulls and data age, for the checks, the reads and the sync status. */
@Component
@Order(20)
public class MasterDataState implements SyncStatusContributor {
  public static final String ALERT_STALE = "MASTERDATA_STALE";

  private final MasterDataStore store;
  private final Duration staleAfter;

  public MasterDataState(
      MasterDataStore store, @Value("${outpost.masterdata.stale-after:1h}") Duration staleAfter) {
    this.store = store;
    this.staleAfter = staleAfter;
  }

  public Map<String, SetState> states() {
    return store.states().stream().collect(Collectors.toMap(SetState::set, Function.identity()));
  }

  /**
   * Whether a snapshot ever loaded the set. Asked on every sale and scan, so a set once loaded is
   * remembered here (nothing ever unloads one) instead of read from Derby each time.
   */
  public boolean loaded(String set) {
    if (loadedSets.contains(set)) {
      return true;
    }
    boolean loaded = Optional.ofNullable(states().get(set)).map(SetState::loaded).orElse(false);
    if (loaded) {
      loadedSets.add(set);
    }
    return loaded;
  }

  private final Set<String> loadedSets = ConcurrentHashMap.newKeySet();

  /** Every set the terminal needs has been loaded by a snapshot at least once. */
  public boolean readyForOffline() {
    Map<String, SetState> states = states();
    return MasterDataSets.ALL.stream()
        .allMatch(s -> states.containsKey(s) && states.get(s).loaded());
  }

  /** The most recent successful pull of any set. */
  public Optional<Instant> lastPull() {
    return store.states().stream()
        .map(SetState::lastPullAt)
        .filter(i -> i != null)
        .max(Instant::compareTo);
  }

  /** True when no set was pulled for longer than the stale limit (or never). */
  public boolean stale(Instant now) {
    return lastPull().map(p -> p.isBefore(now.minus(staleAfter))).orElse(true);
  }

  /** {"asOf": ..., "dataAgeSeconds": ..., "readyForOffline": ...} for a read of one set. */
  public ObjectNode freshness(String set, Instant now) {
    ObjectNode doc = Contracts.mapper().createObjectNode();
    Instant asOf = Optional.ofNullable(states().get(set)).map(SetState::syncedAt).orElse(null);
    doc.put("asOf", asOf == null ? null : asOf.toString());
    if (asOf == null) {
      doc.putNull("dataAgeSeconds");
    } else {
      doc.put("dataAgeSeconds", Math.max(0, Duration.between(asOf, now).toSeconds()));
    }
    doc.put("readyForOffline", readyForOffline());
    return doc;
  }

  /** Adds the "masterData" block and the MASTERDATA_STALE alert to the sync status. */
  @Override
  public void contribute(ObjectNode status, ArrayNode alerts, Instant now) {
    ObjectNode md = status.putObject("masterData");
    md.put("readyForOffline", readyForOffline());
    Optional<Instant> last = lastPull();
    md.put("lastPull", last.map(Instant::toString).orElse(null));
    if (last.isPresent()) {
      md.put("dataAgeSeconds", Math.max(0, Duration.between(last.get(), now).toSeconds()));
    } else {
      md.putNull("dataAgeSeconds");
    }
    ObjectNode sets = md.putObject("sets");
    Map<String, SetState> states = states();
    for (String set : MasterDataSets.ALL) {
      SetState s = states.get(set);
      sets.putObject(set)
          .put("loaded", s != null && s.loaded())
          .put("lastPull", s == null || s.lastPullAt() == null ? null : s.lastPullAt().toString())
          .put(
              "lastChange",
              s == null || s.lastChangeAt() == null ? null : s.lastChangeAt().toString());
    }
    if (stale(now)) {
      alerts.add(ALERT_STALE);
    }
  }
}
