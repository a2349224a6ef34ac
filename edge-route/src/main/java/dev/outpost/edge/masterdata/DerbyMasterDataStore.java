package dev.outpost.edge.masterdata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataChange;
import dev.outpost.contracts.MasterDataSets;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link MasterDataStore} on embedded Derby (schema: db/migration/edge, md_record and
 * md_set_state).
 */
@Repository
public class DerbyMasterDataStore implements MasterDataStore {
  private static final String VERSION_OF =
      "SELECT version FROM md_record WHERE set_name = :set AND record_id = :id";
  private static final String INSERT =
      "INSERT INTO md_record (set_name, record_id, version, deleted, lookup_key, ref_time, data, applied_at)"
          + " VALUES (:set, :id, :version, :deleted, :lookup, :refTime, :data, :at)";
  private static final String UPDATE =
      "UPDATE md_record SET version = :version, deleted = :deleted, lookup_key = :lookup, ref_time = :refTime,"
          + " data = :data, applied_at = :at WHERE set_name = :set AND record_id = :id AND version < :version";
  private static final String LIVE_IDS_APPLIED_BEFORE =
      "SELECT record_id FROM md_record WHERE set_name = :set AND deleted = FALSE AND applied_at < :before";
  private static final String TOMBSTONE =
      "UPDATE md_record SET deleted = TRUE, data = NULL, applied_at = :at WHERE set_name = :set AND record_id = :id";
  private static final String FIND =
      "SELECT data FROM md_record WHERE set_name = :set AND record_id = :id AND deleted = FALSE";
  private static final String LIST =
      "SELECT data FROM md_record WHERE set_name = :set AND deleted = FALSE ORDER BY record_id";
  private static final String BY_LOOKUP =
      "SELECT data FROM md_record WHERE set_name = :set AND lookup_key = :key AND deleted = FALSE ORDER BY record_id";
  private static final String CHECKSUM_ROWS =
      "SELECT record_id, version FROM md_record WHERE set_name = :set AND deleted = FALSE"
          + " AND (ref_time IS NULL OR ref_time >= :since)";
  private static final String PRUNE_VISITS =
      "DELETE FROM md_record WHERE set_name = :set AND ref_time < :cutoff";
  private static final String STATES =
      "SELECT set_name, loaded, last_pull_at, last_change_at FROM md_set_state";
  private static final String STATE_EXISTS =
      "SELECT COUNT(*) FROM md_set_state WHERE set_name = :set";
  private static final String STATE_INSERT =
      "INSERT INTO md_set_state (set_name, loaded, last_pull_at, last_change_at) VALUES (:set, FALSE, NULL, NULL)";
  private static final String STATE_LOADED =
      "UPDATE md_set_state SET loaded = TRUE, last_pull_at = :at WHERE set_name = :set";
  private static final String STATE_PULLED =
      "UPDATE md_set_state SET last_pull_at = :at WHERE set_name = :set";
  private static final String STATE_CHANGED =
      "UPDATE md_set_state SET last_change_at = :at WHERE set_name = :set";
  private final NamedParameterJdbcTemplate jdbc;
  private final TransactionTemplate tx;

  /** Changes and snapshots write the same rows from two threads; one at a time. */
  private final Object writeLock = new Object();

  public DerbyMasterDataStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.tx = tx;
  }

  @Override
  public int applyAll(List<MasterDataChange> changes, Instant now) {
    synchronized (writeLock) {
      Integer applied =
          tx.execute(
              status -> {
                Set<String> sets = new java.util.TreeSet<>();
                changes.forEach(c -> sets.add(c.set()));
                for (String set : sets) {
                  ensureState(set);
                  jdbc.update(STATE_CHANGED, Map.of("set", set, "at", now.toEpochMilli()));
                }
                int n = 0;
                for (MasterDataChange change : changes) {
                  n += upsert(change, now) ? 1 : 0;
                }
                return n;
              });
      return applied == null ? 0 : applied;
    }
  }

  @Override
  public void replaceSet(
      String set, List<MasterDataChange> records, Instant requestedAt, Instant now) {
    synchronized (writeLock) {
      tx.executeWithoutResult(
          status -> {
            ensureState(set);
            Set<String> inSnapshot = new HashSet<>();
            for (MasterDataChange r : records) {
              inSnapshot.add(r.id());
              upsert(r, now);
            }
            List<String> live =
                jdbc.queryForList(
                    LIVE_IDS_APPLIED_BEFORE,
                    Map.of("set", set, "before", requestedAt.toEpochMilli()),
                    String.class);
            for (String id : live) {
              if (!inSnapshot.contains(id)) {
                jdbc.update(TOMBSTONE, Map.of("set", set, "id", id, "at", now.toEpochMilli()));
              }
            }
            jdbc.update(STATE_LOADED, Map.of("set", set, "at", now.toEpochMilli()));
          });
    }
  }

  @Override
  public void markPulled(String set, Instant at) {
    synchronized (writeLock) {
      ensureState(set);
      jdbc.update(STATE_PULLED, Map.of("set", set, "at", at.toEpochMilli()));
    }
  }

  @Override
  public List<SetState> states() {
    return jdbc.query(
        STATES,
        Map.of(),
        (rs, i) ->
            new SetState(
                rs.getString("set_name"),
                rs.getBoolean("loaded"),
                instant(rs.getObject("last_pull_at")),
                instant(rs.getObject("last_change_at"))));
  }

  @Override
  public Optional<ObjectNode> find(String set, String id) {
    return jdbc.queryForList(FIND, Map.of("set", set, "id", id), String.class).stream()
        .findFirst()
        .map(DerbyMasterDataStore::parse);
  }

  @Override
  public List<ObjectNode> list(String set) {
    return jdbc.queryForList(LIST, Map.of("set", set), String.class).stream()
        .map(DerbyMasterDataStore::parse)
        .toList();
  }

  @Override
  public List<ObjectNode> byLookup(String set, String key) {
    return jdbc.queryForList(BY_LOOKUP, Map.of("set", set, "key", key), String.class).stream()
        .map(DerbyMasterDataStore::parse)
        .toList();
  }

  @Override
  public Checksum checksum(String set, Instant visitsSince) {
    List<String> items = new ArrayList<>();
    jdbc.query(
        CHECKSUM_ROWS,
        Map.of("set", set, "since", visitsSince.toEpochMilli()),
        rs -> {
          items.add(rs.getString("record_id") + ":" + rs.getLong("version"));
        });
    // Byte order of the ids, as central's collate "C" (ids are compared before the ':').
    items.sort(
        (a, b) -> a.substring(0, a.lastIndexOf(':')).compareTo(b.substring(0, b.lastIndexOf(':'))));
    return new Checksum(items.size(), md5(String.join(",", items)));
  }

  @Override
  public int pruneVisits(Instant cutoff) {
    synchronized (writeLock) {
      return jdbc.update(
          PRUNE_VISITS, Map.of("set", MasterDataSets.VISITS, "cutoff", cutoff.toEpochMilli()));
    }
  }

  /** Inside a transaction: insert, or update when the change is newer. */
  private boolean upsert(MasterDataChange c, Instant now) {
    List<Long> stored =
        jdbc.queryForList(VERSION_OF, Map.of("set", c.set(), "id", c.id()), Long.class);
    MapSqlParameterSource p =
        new MapSqlParameterSource()
            .addValue("set", c.set())
            .addValue("id", c.id())
            .addValue("version", c.version())
            .addValue("deleted", c.deleted())
            .addValue("lookup", c.deleted() ? null : lookupKey(c))
            .addValue("refTime", refTime(c))
            .addValue("data", c.deleted() || c.data() == null ? null : write(c.data()))
            .addValue("at", now.toEpochMilli());
    if (stored.isEmpty()) {
      jdbc.update(INSERT, p);
      return true;
    }
    return jdbc.update(UPDATE, p) > 0;
  }

  private void ensureState(String set) {
    Long n = jdbc.queryForObject(STATE_EXISTS, Map.of("set", set), Long.class);
    if (n == null || n == 0) {
      jdbc.update(STATE_INSERT, Map.of("set", set));
    }
  }

  static String lookupKey(MasterDataChange c) {
    if (c.data() == null) {
      return null;
    }
    String field =
        switch (c.set()) {
          case MasterDataSets.VISITS -> "braceletId";
          case MasterDataSets.PLAYERS -> "team";
          case MasterDataSets.ACCREDITATIONS -> "matchId";
          default -> null;
        };
    return field == null || !c.data().hasNonNull(field) ? null : c.data().get(field).asText();
  }

  static Long refTime(MasterDataChange c) {
    if (!MasterDataSets.VISITS.equals(c.set())
        || c.data() == null
        || !c.data().hasNonNull("openedAt")) {
      return null;
    }
    try {
      return OffsetDateTime.parse(c.data().get("openedAt").asText()).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant instant(Object epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(((Number) epochMillis).longValue());
  }

  static String md5(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) Contracts.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(ObjectNode node) {
    try {
      return Contracts.mapper().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
