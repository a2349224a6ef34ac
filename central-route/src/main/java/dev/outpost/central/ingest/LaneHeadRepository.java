package dev.outpost.central.ingest;

import dev.outpost.central.ingest.LaneOrder.Lane;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code lane_heads}: the highest sequence applied or rejected in each terminal's lane. */
@Repository
public class LaneHeadRepository {
  private final NamedParameterJdbcTemplate jdbc;

  public LaneHeadRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The heads of every lane of these terminals. */
  Map<Lane, Long> heads(Collection<String> terminals) {
    Map<Lane, Long> heads = new HashMap<>();
    jdbc.query(
        "select terminal_id, lane_group, sequence from lane_heads where terminal_id in (:t)",
        Map.of("t", terminals),
        rs -> {
          heads.put(new Lane(rs.getString(1), rs.getString(2)), rs.getLong(3));
        });
    return heads;
  }

  /** Whether the terminal's operation of this sequence is in {@code operations}. */
  boolean applied(String terminal, long sequence) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from operations where terminal_id = :t and sequence = :s",
            new MapSqlParameterSource().addValue("t", terminal).addValue("s", sequence),
            Integer.class);
    return n != null && n > 0;
  }

  /** Raises the heads to these sequences, in the caller's transaction, in the map's key order. */
  void raise(Map<Lane, Long> moved) {
    if (moved.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "insert into lane_heads (terminal_id, lane_group, sequence) values (:t, :g, :s)"
            + " on conflict (terminal_id, lane_group) do update set"
            + " sequence = greatest(lane_heads.sequence, excluded.sequence), updated_at = now()",
        moved.entrySet().stream()
            .map(
                e ->
                    new MapSqlParameterSource()
                        .addValue("t", e.getKey().terminal())
                        .addValue("g", e.getKey().group())
                        .addValue("s", e.getValue()))
            .toArray(MapSqlParameterSource[]::new));
  }
}
