package dev.outpost.central.records;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Read side of {@code entity_records} for people: a generic record with its version. */
@Repository
public class RecordRepository {
  private final NamedParameterJdbcTemplate jdbc;

  public RecordRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Map<String, Object>> find(String entity, UUID id) {
    return jdbc
        .queryForList(
            "select entity, id, data::text as data, deleted, updated_at, updated_by_terminal,"
                + " updated_by_operation from entity_records where entity = :entity and id = :id",
            Map.of("entity", entity, "id", id))
        .stream()
        .findFirst();
  }
}
