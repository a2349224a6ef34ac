package dev.outpost.edge.masterdata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.MasterDataChange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The terminal's master-data cache: records per set, their checksums and each set's state (loaded,
 * last pull, last change). The offline checks' own projections of local activity live in {@link
 * LocalProjectionStore}. Routes see only these interfaces, so another embedded database can replace
 * Derby without touching them.
 */
public interface MasterDataStore {

  /**
   * Last-version-wins: applies each change that is newer than what is stored, all in one
   * transaction; returns how many were applied.
   */
  int applyAll(List<MasterDataChange> changes, Instant now);

  /**
   * Replaces a set with a snapshot: newer records are applied, and records not in the snapshot
   * become tombstones unless a change applied them after {@code requestedAt} (it may be newer than
   * the snapshot). Marks the set loaded and pulled.
   */
  void replaceSet(String set, List<MasterDataChange> records, Instant requestedAt, Instant now);

  void markPulled(String set, Instant at);

  List<SetState> states();

  Optional<ObjectNode> find(String set, String id);

  List<ObjectNode> list(String set);

  /** Live records whose lookup key (bracelet of a visit, team of a player) equals {@code key}. */
  List<ObjectNode> byLookup(String set, String key);

  /**
   * Count and md5 of "id:version" joined by ",", ids in byte order; visits opened since {@code
   * visitsSince}.
   */
  Checksum checksum(String set, Instant visitsSince);

  /** Drops visits opened before {@code cutoff}; returns how many. */
  int pruneVisits(Instant cutoff);

  record Checksum(long count, String hash) {}
}
